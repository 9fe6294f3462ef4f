import { describe, expect, it } from 'vitest';
import { AppError } from '@sicora/platform/errors';
import { draftNote, purgeCutoff } from './note.ts';

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('__name__ note rules', () => {
  it('when the title and body have surrounding spaces, then the draft keeps them trimmed', () => {
    expect(draftNote({ title: '  Acta de comité ', body: ' Puntos tratados \n' })).toEqual({ title: 'Acta de comité', body: 'Puntos tratados' });
  });

  it('when the body is omitted, then the draft has an empty body', () => {
    expect(draftNote({ title: 'Recordatorio' })).toEqual({ title: 'Recordatorio', body: '' });
  });

  it('when the title is only spaces, then VALIDATION_ERROR names the title', () => {
    const err = thrown(() => draftNote({ title: '   ' }));
    expect(err.code).toBe('VALIDATION_ERROR');
    expect(err.details).toEqual({ fields: [expect.objectContaining({ field: 'title', reason: 'blank' })] });
  });

  it('when the retention is 30 days, then the run for the slot of 1 April 03:00 Bogotá purges what was archived before 2 March 03:00', () => {
    expect(purgeCutoff(new Date('2026-04-01T08:00:00Z'), 30).toISOString()).toBe('2026-03-02T08:00:00.000Z');
  });
});
