/**
 * Attendance figures of attendance.md R40 (S1, reports, ai's dropout-risk inputs) as pure functions over
 * the records in scope and period. The caller passes non-deleted records only (R11: deleted records
 * count nowhere); nothing here reads the database or the clock.
 */
import type { RecordStatus } from './marks.ts';

/** The fields of a record the figures need (a repository row satisfies it structurally). */
export interface FigureRecord {
  status: RecordStatus;
  /** Local date `YYYY-MM-DD`. */
  sessionDate: string;
  /** Local time `HH:MM`: orders two sessions of one day. */
  startTime: string;
  lateMinutes?: number | null;
  /** Runs are per student; records without it are taken as one student's. */
  studentId?: string;
}

export interface RecordFigures {
  total_records: number;
  /** Records not EXCUSED: an excused session counts neither way. */
  total_scheduled: number;
  total_present: number;
  total_late: number;
  total_absent: number;
  total_justified: number;
  total_excused: number;
  attendance_pct: number | null;
  absence_pct: number | null;
  justified_pct: number | null;
  punctuality_pct: number | null;
  average_lateness_minutes: number | null;
  /** Longest ABSENT run of one student; the maximum over students for ficha or instructor scopes. */
  consecutive_absent: number;
  /**
   * The ABSENT run ending at the student's latest record. Meaningful with a `student_id` scope (S1 shows
   * it only then); over several students it is the largest such run.
   */
  current_consecutive_absent: number;
}

/**
 * `numerator / denominator × scale`, rounded half-up to one decimal from the integer counts, or null when
 * the denominator is 0. Integer arithmetic on purpose: 23 of 80 is 28.75 → 28.8, while rounding the float
 * percentage (`Math.round(n / d * 100 * 10) / 10`) gives 28.7 (R40).
 */
export function ratioOneDecimal(numerator: number, denominator: number, scale = 100): number | null {
  if (denominator === 0) return null;
  // tenths = numerator × scale × 10 / denominator, half-up: ⌊(2·a + d) / (2·d)⌋ for a, d ≥ 0.
  const a = numerator * scale * 10;
  return Math.floor((2 * a + denominator) / (2 * denominator)) / 10;
}

/** A percentage with one decimal, half-up from the counts (R40, R44). */
export function percentOneDecimal(part: number, whole: number): number | null {
  return ratioOneDecimal(part, whole, 100);
}

/** Orders a student's records as runs are defined: by (session_date, start_time). */
export function chronological<T extends Pick<FigureRecord, 'sessionDate' | 'startTime'>>(records: readonly T[]): T[] {
  return [...records].sort((x, y) =>
    x.sessionDate === y.sessionDate ? (x.startTime < y.startTime ? -1 : x.startTime > y.startTime ? 1 : 0) : x.sessionDate < y.sessionDate ? -1 : 1,
  );
}

export interface AbsenceRuns {
  /** Longest run of consecutive ABSENT records; any other status ends a run. */
  longest: number;
  /** Index range [start, end) of the longest run in the chronological order (the latest among equals). */
  longestRange: [number, number] | null;
  /** The run ending at the latest record (0 when it is not ABSENT). */
  current: number;
}

/** ABSENT runs of one student's records, which must already be in chronological order. */
export function absenceRuns(ordered: ReadonlyArray<Pick<FigureRecord, 'status'>>): AbsenceRuns {
  let run = 0;
  let longest = 0;
  let longestRange: [number, number] | null = null;
  ordered.forEach((r, i) => {
    run = r.status === 'ABSENT' ? run + 1 : 0;
    // ≥ keeps the most recent of equally long runs: the one staff can still act on.
    if (run > 0 && run >= longest) {
      longest = run;
      longestRange = [i + 1 - run, i + 1];
    }
  });
  return { longest, longestRange, current: run };
}

function groupByStudent<T extends FigureRecord>(records: readonly T[]): T[][] {
  const groups = new Map<string | undefined, T[]>();
  for (const r of records) {
    const list = groups.get(r.studentId);
    if (list) list.push(r);
    else groups.set(r.studentId, [r]);
  }
  return [...groups.values()];
}

/** R40 figures over the given records. */
export function summarizeRecords(records: readonly FigureRecord[]): RecordFigures {
  const count = { PRESENT: 0, LATE: 0, ABSENT: 0, JUSTIFIED: 0, EXCUSED: 0 } satisfies Record<RecordStatus, number>;
  let lateSum = 0;
  let lateWithMinutes = 0;
  for (const r of records) {
    count[r.status]++;
    if (r.status === 'LATE' && r.lateMinutes != null) {
      lateSum += r.lateMinutes;
      lateWithMinutes++;
    }
  }
  let consecutive = 0;
  let current = 0;
  for (const group of groupByStudent(records)) {
    const runs = absenceRuns(chronological(group));
    consecutive = Math.max(consecutive, runs.longest);
    current = Math.max(current, runs.current);
  }
  const scheduled = records.length - count.EXCUSED;
  const attended = count.PRESENT + count.LATE + count.JUSTIFIED;
  return {
    total_records: records.length,
    total_scheduled: scheduled,
    total_present: count.PRESENT,
    total_late: count.LATE,
    total_absent: count.ABSENT,
    total_justified: count.JUSTIFIED,
    total_excused: count.EXCUSED,
    attendance_pct: percentOneDecimal(attended, scheduled),
    absence_pct: percentOneDecimal(count.ABSENT, scheduled),
    justified_pct: percentOneDecimal(count.JUSTIFIED, scheduled),
    punctuality_pct: percentOneDecimal(count.PRESENT, count.PRESENT + count.LATE),
    average_lateness_minutes: ratioOneDecimal(lateSum, lateWithMinutes, 1),
    consecutive_absent: consecutive,
    current_consecutive_absent: current,
  };
}

export interface ComplianceFigures {
  sessions_scheduled: number;
  rolls_taken: number;
  rolls_on_time: number;
  compliance_pct: number | null;
  on_time_pct: number | null;
}

/**
 * R44 instructor compliance: a roll is taken when its session has a record, on time when its first
 * mark came no later than the session's end. Same rounding as R40.
 */
export function complianceFigures(
  sessions: ReadonlyArray<{ endAt: Date; firstMarkAt: Date | null; hasRecord: boolean }>,
): ComplianceFigures {
  const taken = sessions.filter((s) => s.hasRecord);
  const onTime = taken.filter((s) => s.firstMarkAt !== null && s.firstMarkAt.getTime() <= s.endAt.getTime()).length;
  return {
    sessions_scheduled: sessions.length,
    rolls_taken: taken.length,
    rolls_on_time: onTime,
    compliance_pct: percentOneDecimal(taken.length, sessions.length),
    on_time_pct: percentOneDecimal(onTime, taken.length),
  };
}
