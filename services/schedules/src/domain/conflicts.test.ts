import { describe, expect, it } from 'vitest';
import { createSlotIndex, findConflicts, type Candidate, type Slot } from './conflicts.ts';

// E of US-SCH-08: instructor X, venue 205, ficha A, Monday 08:00–10:00, 2026-03-02 → 2026-05-24.
const E: Slot = {
  schedule_id: 'E', group_id: 'A', group_number: '2826503', instructor_id: 'X', venue_id: 'V205', venue_code: '205',
  day_of_week: 1, start_time: '08:00', end_time: '10:00', start_date: '2026-03-02', end_date: '2026-05-24',
  kinds: ['INSTRUCTOR', 'VENUE', 'GROUP'],
};
const base: Candidate = {
  group_id: 'B', instructor_id: 'Y', venue_id: 'V412', day_of_week: 1, start_time: '09:00', end_time: '11:00',
  start_date: '2026-03-02', end_date: '2026-05-24',
};

describe('conflict detection (R13)', () => {
  it.each<[string, Partial<Candidate>, string[]]>([
    ['same instructor only, overlapping hours', { instructor_id: 'X' }, ['INSTRUCTOR']],
    ['same venue only', { venue_id: 'V205' }, ['VENUE']],
    ['same ficha only', { group_id: 'A' }, ['GROUP']],
    ['all three shared', { instructor_id: 'X', venue_id: 'V205', group_id: 'A' }, ['INSTRUCTOR', 'VENUE', 'GROUP']],
    ['nothing shared', {}, []],
    ['touching after (10:00–12:00)', { instructor_id: 'X', start_time: '10:00', end_time: '12:00' }, []],
    ['touching before (06:00–08:00)', { instructor_id: 'X', start_time: '06:00', end_time: '08:00' }, []],
    ['inside (08:00–09:00)', { instructor_id: 'X', start_time: '08:00', end_time: '09:00' }, ['INSTRUCTOR']],
    ['containing (06:00–12:00)', { venue_id: 'V205', start_time: '06:00', end_time: '12:00' }, ['VENUE']],
    ['another weekday', { instructor_id: 'X', day_of_week: 2, start_time: '08:00', end_time: '10:00' }, []],
    ['later date range, touching the end', { instructor_id: 'X', start_date: '2026-05-25', end_date: '2026-08-16' }, []],
    ['earlier date range', { instructor_id: 'X', start_date: '2026-01-05', end_date: '2026-03-01' }, []],
    ['ranges sharing only other weekdays', { instructor_id: 'X', start_date: '2026-05-19', end_date: '2026-05-23' }, []],
    ['ranges sharing one Monday', { instructor_id: 'X', start_date: '2026-05-18', end_date: '2026-05-30' }, ['INSTRUCTOR']],
  ])('when the candidate has %s, then the conflicts are %j', (_name, change, kinds) => {
    expect(findConflicts({ ...base, ...change }, [E]).map((c) => c.kind)).toEqual(kinds);
  });

  it('when the common range is a single Monday, then first and last common dates are that Monday', () => {
    const [c] = findConflicts({ ...base, instructor_id: 'X', start_date: '2026-05-18', end_date: '2026-05-30' }, [E]);
    expect(c).toMatchObject({ schedule_id: 'E', first_common_date: '2026-05-18', last_common_date: '2026-05-18', group_number: '2826503', venue_code: '205' });
  });

  it('when the candidate is the entry itself (an edit), then it does not clash with itself', () => {
    expect(findConflicts({ ...base, id: 'E', instructor_id: 'X', group_id: 'A', venue_id: 'V205' }, [E])).toEqual([]);
  });

  it('when a CHANGED exception only changed the venue, then it clashes on the venue only', () => {
    const ex: Slot = { ...E, exception_date: '2026-03-09', start_date: '2026-03-09', end_date: '2026-03-09', venue_id: 'V509', venue_code: '509', kinds: ['VENUE'] };
    expect(findConflicts({ ...base, venue_id: 'V509' }, [ex]).map((c) => [c.kind, c.exception_date])).toEqual([['VENUE', '2026-03-09']]);
    expect(findConflicts({ ...base, instructor_id: 'X' }, [ex])).toEqual([]);
  });

  it('when an index is used, then it finds the same conflicts as the full scan', () => {
    const idx = createSlotIndex();
    idx.add(E);
    idx.add({ ...E, schedule_id: 'F', instructor_id: 'Q', venue_id: 'V9', group_id: 'Z', day_of_week: 1 });
    expect(idx.check({ ...base, instructor_id: 'X' }).map((c) => c.schedule_id)).toEqual(['E']);
    expect(idx.check({ ...base, venue_id: 'V9' }).map((c) => c.schedule_id)).toEqual(['F']);
  });
});
