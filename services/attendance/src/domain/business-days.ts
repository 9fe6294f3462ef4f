/**
 * Business days and the justification windows of attendance.md R22–R23.
 *
 * Local dates (`YYYY-MM-DD`) stay strings and day arithmetic runs on epoch-day integers; every
 * local↔instant conversion goes through the IANA zone with Intl (00-conventions §5).
 * The calendar and zone helpers are time.ts's; the zone (`SICORA_TIMEZONE`, America/Bogota by default) is
 * always passed in, like `now`: nothing here reads the clock or assumes a zone.
 */
import { addDays, endOfLocalDay, localDateOf, toEpochDay } from './time.ts';

/** ISO weekday: 1 = lunes … 7 = domingo (1970-01-01, epoch day 0, was a Thursday). */
export function isoWeekday(date: string): number {
  return ((((toEpochDay(date) + 3) % 7) + 7) % 7) + 1;
}

// ── Business days (R23) ────────────────────────────────────────────────────────────────────────────

/**
 * Centre-wide non-teaching days (schedules K3 rows with `campus_id` null), as local dates. A campus-only
 * closure does not move a centre-wide deadline, so the caller filters those out before passing them.
 */
export type NonTeachingDays = ReadonlySet<string> | readonly string[];

function asSet(days: NonTeachingDays): ReadonlySet<string> {
  return days instanceof Set ? days : new Set(days as readonly string[]);
}

/** Monday–Friday and not a non-teaching day. */
export function isBusinessDay(date: string, nonTeachingDays: NonTeachingDays): boolean {
  return isoWeekday(date) <= 5 && !asSet(nonTeachingDays).has(date);
}

/** The `n`-th business day strictly after `date` (n ≥ 1); `date` itself never counts. */
export function nthBusinessDayAfter(date: string, n: number, nonTeachingDays: NonTeachingDays): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  const set = asSet(nonTeachingDays);
  let day = date;
  for (let found = 0; found < n; ) {
    day = addDays(day, 1);
    if (isBusinessDay(day, set)) found++;
  }
  return day;
}

/**
 * The years whose K3 non-teaching days a deadline may need: the session's and the next, because three
 * business days after a session late in December fall in January.
 */
export function nonTeachingYearsFor(sessionDate: string): [number, number] {
  const year = Number(sessionDate.slice(0, 4));
  return [year, year + 1];
}

/**
 * A deadline that lasts until the end of a local day. Views and `deadline_at` show `shownAt`
 * (23:59:59 local, as the spec words it); the check uses `closesAt` (00:00 of the next local day), so an
 * instant such as 23:59:59.500 still meets it (R23: "met while now < 00:00 of the next day").
 */
export interface DayEndDeadline {
  /** The local date the deadline falls on. */
  date: string;
  /** 23:59:59 local of `date`: the value to store in `deadline_at` and show as `justify_deadline`. */
  shownAt: Date;
  /** 00:00 local of the next day: the first instant after the deadline. */
  closesAt: Date;
}

export function dayEndDeadline(date: string, timeZone: string): DayEndDeadline {
  const closesAt = endOfLocalDay(date, timeZone);
  return { date, shownAt: new Date(closesAt.getTime() - 1000), closesAt };
}

/** True while `now` is before the first instant after the deadline. */
export function isDeadlineMet(now: Date, deadline: DayEndDeadline): boolean {
  return now.getTime() < deadline.closesAt.getTime();
}

export interface JustificationDeadlineInput {
  sessionDate: string;
  /** `justification_deadline_business_days` (R47, default 3). */
  businessDays: number;
  nonTeachingDays: NonTeachingDays;
  timeZone: string;
}

/**
 * R23: the end of the local day that is the `businessDays`-th business day after the session.
 * Example: Friday 2026-03-20, Monday 23 San José → Thursday 2026-03-26 23:59:59.
 */
export function justificationDeadline(input: JustificationDeadlineInput): DayEndDeadline {
  const date = nthBusinessDayAfter(input.sessionDate, input.businessDays, input.nonTeachingDays);
  return dayEndDeadline(date, input.timeZone);
}

/** The earliest of several item deadlines: a justification's `deadline_at` (§3.5). */
export function earliestDeadline(deadlines: readonly DayEndDeadline[]): DayEndDeadline | null {
  let best: DayEndDeadline | null = null;
  for (const d of deadlines) if (best === null || d.closesAt.getTime() < best.closesAt.getTime()) best = d;
  return best;
}

export interface ResubmissionDeadlineInput {
  /** The session's own R23 deadline. */
  itemDeadline: DayEndDeadline;
  rejectedAt: Date;
  nonTeachingDays: NonTeachingDays;
  /** Business days granted after a rejection (R23: the 2nd). */
  businessDaysAfterRejection?: number;
  timeZone: string;
}

/**
 * R23, after a REJECTED decision: the later of the session's deadline and the end of the 2nd business
 * day after the rejection, so a rejection on the last day still leaves time to gather a better document.
 */
export function resubmissionDeadline(input: ResubmissionDeadlineInput): DayEndDeadline {
  const rejectedOn = localDateOf(input.rejectedAt, input.timeZone);
  const afterRejection = dayEndDeadline(
    nthBusinessDayAfter(rejectedOn, input.businessDaysAfterRejection ?? 2, input.nonTeachingDays),
    input.timeZone,
  );
  return afterRejection.closesAt.getTime() > input.itemDeadline.closesAt.getTime() ? afterRejection : input.itemDeadline;
}

// ── Justification kind and advance-notice window (R22) ────────────────────────────────────────────

export type JustificationKind = 'AFTER_ABSENCE' | 'ADVANCE_NOTICE';

export type JustificationKindResult =
  | { ok: true; kind: JustificationKind }
  | { ok: false; code: 'JUSTIFICATION_MIXED_KINDS' };

/**
 * R22: AFTER_ABSENCE when every session has started (start_at ≤ now), ADVANCE_NOTICE when none has;
 * a mix is refused because the two kinds follow different rules (deadline vs. horizon, JUSTIFIED vs.
 * EXCUSED). An empty list is a schema error the caller reports before asking.
 */
export function justificationKind(sessions: ReadonlyArray<{ startAt: Date }>, now: Date): JustificationKindResult {
  if (sessions.length === 0) throw new RangeError('a justification needs at least one session');
  const started = sessions.filter((s) => s.startAt.getTime() <= now.getTime()).length;
  if (started === sessions.length) return { ok: true, kind: 'AFTER_ABSENCE' };
  if (started === 0) return { ok: true, kind: 'ADVANCE_NOTICE' };
  return { ok: false, code: 'JUSTIFICATION_MIXED_KINDS' };
}

/** The last session date an advance notice may cover: local today + `advance_notice_max_days`. */
export function advanceNoticeHorizon(now: Date, maxDays: number, timeZone: string): string {
  return addDays(localDateOf(now, timeZone), maxDays);
}

/**
 * R22: an advance-notice item must satisfy `session_date ≤ today + advance_notice_max_days` (Bogotá
 * dates, so the hour of submission never matters). Returns the refusal code, or null when allowed.
 */
export function advanceNoticeRefusal(
  sessionDate: string,
  now: Date,
  maxDays: number,
  timeZone: string,
): 'ADVANCE_NOTICE_TOO_FAR' | null {
  return sessionDate > advanceNoticeHorizon(now, maxDays, timeZone) ? 'ADVANCE_NOTICE_TOO_FAR' : null;
}
