import { describe, expect, it } from 'vitest';
import { AppError } from '@sicora/platform/errors';
import { allBlocks, blocksFor, blocksOfDay, parseBlocks, resolveSlot, shiftCatalogue } from './shifts.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as AppError).code;
  }
  return undefined;
}

describe('shifts and blocks catalogue', () => {
  it('when every block is listed, then there are 104 with the §3.5 windows', () => {
    expect(allBlocks()).toHaveLength(104);
    const noche = shiftCatalogue().find((s) => s.code === 'NOCHE')!;
    expect(noche.windows[0]).toEqual({ day_of_week: 1, start_time: '18:00', end_time: '22:00' });
    expect(noche.windows[5]).toEqual({ day_of_week: 6, start_time: '06:00', end_time: '18:00' });
    const sat = blocksOfDay('NOCHE', 6);
    expect(sat).toHaveLength(12);
    expect(sat[0]).toMatchObject({ id: 'NSAB1', start_time: '06:00', end_time: '07:00' });
    expect(sat[11]).toMatchObject({ id: 'NSAB12', start_time: '17:00', end_time: '18:00' });
  });

  it.each([
    ['MLUN1', { day_of_week: 1, start_time: '06:00', end_time: '07:00' }],
    ['TMIE3', { day_of_week: 3, start_time: '14:00', end_time: '15:00' }],
    ['NJUE4', { day_of_week: 4, start_time: '21:00', end_time: '22:00' }],
    ['MLUN1-MLUN3', { day_of_week: 1, start_time: '06:00', end_time: '09:00' }],
  ])('when %s is parsed, then it yields the slot', (input, slot) => {
    expect(parseBlocks(input)).toMatchObject(slot);
  });

  it.each(['MLUN7', 'MLUN3-MLUN1', 'MLUN1-MMAR2', 'MLUN1-TLUN2', 'XLUN1', 'MDOM1', 'MLUN1-MLUN2-MLUN3'])('when %s is parsed, then INVALID_BLOCK', (input) => {
    expect(codeOf(() => parseBlocks(input))).toBe('INVALID_BLOCK');
  });

  it('when a slot is resolved, then shift, block letter, mismatches and Sunday are checked', () => {
    expect(resolveSlot({ shift: 'MANANA', blocks: 'MLUN1-MLUN3' })).toEqual({ day_of_week: 1, start_time: '06:00', end_time: '09:00' });
    expect(resolveSlot({ shift: 'MANANA', blocks: 'MLUN1-MLUN3', day_of_week: 1, start_time: '6:00' })).toMatchObject({ start_time: '06:00' });
    expect(codeOf(() => resolveSlot({ shift: 'MANANA', blocks: 'TLUN1' }))).toBe('OUTSIDE_SHIFT');
    expect(codeOf(() => resolveSlot({ shift: 'MANANA', day_of_week: 1, start_time: '12:00', end_time: '14:00' }))).toBe('OUTSIDE_SHIFT');
    expect(codeOf(() => resolveSlot({ shift: 'MANANA', day_of_week: 7, start_time: '06:00', end_time: '08:00' }))).toBe('OUTSIDE_SHIFT');
    expect(codeOf(() => resolveSlot({ shift: 'MANANA', blocks: 'MLUN1-MLUN3', start_time: '07:00' }))).toBe('BLOCK_MISMATCH');
    expect(codeOf(() => resolveSlot({ shift: 'MANANA', day_of_week: 1, start_time: '06:30', end_time: '08:00' }))).toBe('VALIDATION_ERROR');
    expect(codeOf(() => resolveSlot({ shift: 'MANANA', day_of_week: 1, start_time: '08:00', end_time: '08:00' }))).toBe('VALIDATION_ERROR');
    expect(blocksFor('MANANA', 1, '06:00', '09:00')).toEqual(['MLUN1', 'MLUN2', 'MLUN3']);
  });
});
