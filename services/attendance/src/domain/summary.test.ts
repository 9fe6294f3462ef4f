import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  absenceRuns,
  chronological,
  complianceFigures,
  percentOneDecimal,
  ratioOneDecimal,
  summarizeRecords,
  type FigureRecord,
} from './summary.ts';
import type { RecordStatus } from './marks.ts';
import { addDays } from './time.ts';

const LETTER: Record<string, RecordStatus> = { P: 'PRESENT', T: 'LATE', A: 'ABSENT', J: 'JUSTIFIED', E: 'EXCUSED' };

/** One record per letter, one school day apart, oldest first (the seed's pattern notation). */
function pattern(letters: string, studentId = 's1', lateMinutes = 20): FigureRecord[] {
  return [...letters].map((l, i) => ({
    studentId,
    status: LETTER[l],
    sessionDate: addDays('2026-03-02', i),
    startTime: '06:00',
    lateMinutes: l === 'T' ? lateMinutes : null,
  }));
}

describe('rounding (R40)', () => {
  it('when 23 of 80, then 28.8 (half-up from the counts, not 28.7 from the float)', () => {
    expect(percentOneDecimal(23, 80)).toBe(28.8);
    expect(Math.round((23 / 80) * 100 * 10) / 10).toBe(28.7); // the float way the spec warns about
  });

  it('when the denominator is 0, then null', () => {
    expect(percentOneDecimal(0, 0)).toBeNull();
    expect(ratioOneDecimal(5, 0, 1)).toBeNull();
  });

  it('property: the result is the exact ratio rounded half-up to tenths', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), (d, raw) => {
        const n = raw % (d + 1);
        const r = percentOneDecimal(n, d) as number;
        const tenths = Math.round(r * 10);
        // Exact check in integers: tenths − ½ ≤ n·1000/d < tenths + ½.
        expect(2 * n * 1000 >= (2 * tenths - 1) * d).toBe(true);
        expect(2 * n * 1000 < (2 * tenths + 1) * d).toBe(true);
      }),
    );
  });
});

describe('summary figures (R40)', () => {
  it('US-ATT-16: given 14 PRESENT, 2 LATE, 3 ABSENT, 1 JUSTIFIED, 1 EXCUSED, then 20 scheduled, 85.0 / 87.5 / 15.0', () => {
    const f = summarizeRecords(pattern(`${'P'.repeat(14)}TTAAAJE`));
    expect(f).toMatchObject({
      total_records: 21,
      total_scheduled: 20,
      total_present: 14,
      total_late: 2,
      total_absent: 3,
      total_justified: 1,
      total_excused: 1,
      attendance_pct: 85.0,
      punctuality_pct: 87.5,
      absence_pct: 15.0,
      justified_pct: 5.0,
      average_lateness_minutes: 20,
    });
  });

  it('US-ATT-17: given runs A A P A A A in order, then consecutive_absent=3 and current_consecutive_absent=3', () => {
    const f = summarizeRecords(pattern('AAPAAA'));
    expect(f.consecutive_absent).toBe(3);
    expect(f.current_consecutive_absent).toBe(3);
  });

  it('when records arrive out of order, then runs follow (session_date, start_time)', () => {
    const recs: FigureRecord[] = [
      { status: 'ABSENT', sessionDate: '2026-03-03', startTime: '13:00' },
      { status: 'PRESENT', sessionDate: '2026-03-03', startTime: '06:00' },
      { status: 'ABSENT', sessionDate: '2026-03-02', startTime: '06:00' },
      { status: 'ABSENT', sessionDate: '2026-03-04', startTime: '06:00' },
    ];
    expect(chronological(recs).map((r) => `${r.sessionDate} ${r.startTime}`)).toEqual([
      '2026-03-02 06:00', '2026-03-03 06:00', '2026-03-03 13:00', '2026-03-04 06:00',
    ]);
    expect(summarizeRecords(recs)).toMatchObject({ consecutive_absent: 2, current_consecutive_absent: 2 });
  });

  it('when JUSTIFIED or EXCUSED sits between absences, then the run ends there', () => {
    expect(summarizeRecords(pattern('AJA')).consecutive_absent).toBe(1);
    expect(summarizeRecords(pattern('AEA')).consecutive_absent).toBe(1);
    expect(summarizeRecords(pattern('AAP')).current_consecutive_absent).toBe(0);
  });

  it('when several students are in scope, then runs never join across students and the maximum is given', () => {
    const recs = [...pattern('AAP', 's1'), ...pattern('PAAAA', 's2'), ...pattern('AA', 's3')];
    expect(summarizeRecords(recs)).toMatchObject({ consecutive_absent: 4, current_consecutive_absent: 4, total_absent: 8 });
  });

  it('when there are no records, then zero counts and null percentages', () => {
    expect(summarizeRecords([])).toEqual({
      total_records: 0, total_scheduled: 0, total_present: 0, total_late: 0, total_absent: 0, total_justified: 0, total_excused: 0,
      attendance_pct: null, absence_pct: null, justified_pct: null, punctuality_pct: null, average_lateness_minutes: null,
      consecutive_absent: 0, current_consecutive_absent: 0,
    });
  });

  it('when only EXCUSED records exist, then nothing is scheduled and punctuality has no base', () => {
    expect(summarizeRecords(pattern('EE'))).toMatchObject({ total_scheduled: 0, attendance_pct: null, punctuality_pct: null });
  });

  it('when some LATE records have no minutes, then the mean uses only those that have them, rounded half-up', () => {
    const recs: FigureRecord[] = [
      ...pattern('TT', 's1', 5),
      { status: 'LATE', sessionDate: '2026-03-10', startTime: '06:00', lateMinutes: 6, studentId: 's1' },
      { status: 'LATE', sessionDate: '2026-03-11', startTime: '06:00', lateMinutes: null, studentId: 's1' },
    ];
    expect(summarizeRecords(recs).average_lateness_minutes).toBe(5.3); // 16 / 3 = 5.33…
    expect(ratioOneDecimal(21, 4, 1)).toBe(5.3); // 5.25 → 5.3 (half-up)
  });

  it('the seed patterns give the figures the seed table promises', () => {
    expect(summarizeRecords(pattern('AAAPAPAPAPAPPPPPPPPP'))).toMatchObject({ attendance_pct: 65, consecutive_absent: 3, current_consecutive_absent: 0 });
    expect(summarizeRecords(pattern('PPAPPAPPAPPPAPPAAAAA'))).toMatchObject({ attendance_pct: 55, consecutive_absent: 5, current_consecutive_absent: 5 });
    expect(summarizeRecords(pattern('PPPAAPPPPPPPPPPAPPPP'))).toMatchObject({ attendance_pct: 85, consecutive_absent: 2 });
  });

  it('property: counts add up, percentages stay in 0–100 and the current run never exceeds the longest', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('P', 'T', 'A', 'J', 'E'), { maxLength: 60 }), (letters) => {
        const f = summarizeRecords(pattern(letters.join('')));
        expect(f.total_present + f.total_late + f.total_absent + f.total_justified + f.total_excused).toBe(f.total_records);
        expect(f.total_scheduled).toBe(f.total_records - f.total_excused);
        for (const p of [f.attendance_pct, f.absence_pct, f.justified_pct, f.punctuality_pct]) {
          if (p !== null) expect(p >= 0 && p <= 100).toBe(true);
        }
        expect(f.current_consecutive_absent).toBeLessThanOrEqual(f.consecutive_absent);
        const longest = Math.max(0, ...letters.join('').split(/[^A]/).map((s) => s.length));
        expect(f.consecutive_absent).toBe(longest);
      }),
    );
  });
});

describe('absence runs', () => {
  it('when two runs are equally long, then the latest one is reported (its sessions go in alert data)', () => {
    const runs = absenceRuns(pattern('AAPAA'));
    expect(runs).toEqual({ longest: 2, longestRange: [3, 5], current: 2 });
    expect(absenceRuns(pattern('PP'))).toEqual({ longest: 0, longestRange: null, current: 0 });
  });
});

describe('instructor compliance (R44)', () => {
  it('US-ATT-20: given 10 sessions, 8 with records (6 first marked before the end), then 80.0 and 75.0', () => {
    const end = new Date('2026-03-16T14:00:00Z');
    const before = new Date(end.getTime() - 60_000);
    const after = new Date(end.getTime() + 60_000);
    const sessions = [
      ...Array.from({ length: 6 }, () => ({ endAt: end, firstMarkAt: before, hasRecord: true })),
      ...Array.from({ length: 2 }, () => ({ endAt: end, firstMarkAt: after, hasRecord: true })),
      ...Array.from({ length: 2 }, () => ({ endAt: end, firstMarkAt: null, hasRecord: false })),
    ];
    expect(complianceFigures(sessions)).toEqual({ sessions_scheduled: 10, rolls_taken: 8, rolls_on_time: 6, compliance_pct: 80, on_time_pct: 75 });
    expect(complianceFigures([])).toMatchObject({ compliance_pct: null, on_time_pct: null });
  });

  it('when the first mark is exactly at the end, then it is on time', () => {
    const end = new Date('2026-03-16T14:00:00Z');
    expect(complianceFigures([{ endAt: end, firstMarkAt: end, hasRecord: true }]).rolls_on_time).toBe(1);
  });
});
