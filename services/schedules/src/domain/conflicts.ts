/**
 * Conflict detection of R13, pure: a candidate against already loaded slots (entries and CHANGED
 * exceptions). Callers load the slots with one set-based query (or once per CSV file) and call this.
 */
import { firstWeekdayOnOrAfter, lastWeekdayOnOrBefore } from './calendar.ts';

export type ConflictKind = 'INSTRUCTOR' | 'VENUE' | 'GROUP';
export const CONFLICT_ORDER: ConflictKind[] = ['INSTRUCTOR', 'VENUE', 'GROUP'];

export interface Slot {
  schedule_id: string;
  exception_date?: string;
  /** The line of a CSV row or the source id of a copied item, for clashes inside one batch. */
  line?: number;
  group_id: string;
  group_number: string;
  instructor_id: string;
  venue_id: string;
  venue_code: string;
  day_of_week: number;
  start_time: string;
  end_time: string;
  start_date: string;
  /** Effective end date (R12). */
  end_date: string;
  /** Which kinds this slot can produce: an exception only clashes on what it changed. */
  kinds: readonly ConflictKind[];
}

export interface Candidate {
  id?: string;
  group_id: string;
  instructor_id: string;
  venue_id: string;
  day_of_week: number;
  start_time: string;
  end_time: string;
  start_date: string;
  end_date: string;
}

export interface Conflict {
  kind: ConflictKind;
  schedule_id: string;
  exception_date?: string;
  line?: number;
  group_number: string;
  instructor_id: string;
  venue_code: string;
  day_of_week: number;
  start_time: string;
  end_time: string;
  first_common_date: string;
  last_common_date: string;
}

/** Strict overlap of [s1, e1) and [s2, e2): touching ranges do not overlap (R13 b). */
export function timesOverlap(aStart: string, aEnd: string, bStart: string, bEnd: string): boolean {
  return aStart.slice(0, 5) < bEnd.slice(0, 5) && aEnd.slice(0, 5) > bStart.slice(0, 5);
}

/** First and last dates with weekday `dow` that lie in both ranges, or null (R13 c). */
export function commonDates(a: { start_date: string; end_date: string }, b: { start_date: string; end_date: string }, dow: number) {
  const lo = a.start_date > b.start_date ? a.start_date : b.start_date;
  const hi = a.end_date < b.end_date ? a.end_date : b.end_date;
  if (lo > hi) return null;
  const first = firstWeekdayOnOrAfter(lo, dow, hi);
  if (first === null) return null;
  return { first: first, last: lastWeekdayOnOrBefore(hi, dow, lo)! };
}

export function findConflicts(candidate: Candidate, slots: Iterable<Slot>, limit = 50): Conflict[] {
  const out: Conflict[] = [];
  for (const s of slots) {
    if (candidate.id !== undefined && s.schedule_id === candidate.id && s.exception_date === undefined) continue;
    if (s.day_of_week !== candidate.day_of_week) continue;
    if (!timesOverlap(s.start_time, s.end_time, candidate.start_time, candidate.end_time)) continue;
    const common = commonDates(s, candidate, candidate.day_of_week);
    if (!common) continue;
    const kinds: ConflictKind[] = [];
    if (s.kinds.includes('INSTRUCTOR') && s.instructor_id === candidate.instructor_id) kinds.push('INSTRUCTOR');
    if (s.kinds.includes('VENUE') && s.venue_id === candidate.venue_id) kinds.push('VENUE');
    if (s.kinds.includes('GROUP') && s.group_id === candidate.group_id) kinds.push('GROUP');
    for (const kind of kinds) {
      const c: Conflict = {
        kind,
        schedule_id: s.schedule_id,
        group_number: s.group_number,
        instructor_id: s.instructor_id,
        venue_code: s.venue_code,
        day_of_week: s.day_of_week,
        start_time: s.start_time.slice(0, 5),
        end_time: s.end_time.slice(0, 5),
        first_common_date: common.first,
        last_common_date: common.last,
      };
      if (s.exception_date !== undefined) c.exception_date = s.exception_date;
      if (s.line !== undefined) c.line = s.line;
      out.push(c);
    }
  }
  out.sort((a, b) => CONFLICT_ORDER.indexOf(a.kind) - CONFLICT_ORDER.indexOf(b.kind) || a.first_common_date.localeCompare(b.first_common_date));
  return out.slice(0, limit);
}

/**
 * An index of slots by (kind, key, weekday) so a file of thousands of rows checks each row against only
 * the slots sharing its instructor, venue or ficha that day, never the whole set.
 */
export function createSlotIndex() {
  const map = new Map<string, Slot[]>();
  const add = (key: string, s: Slot) => {
    const list = map.get(key);
    if (list) list.push(s);
    else map.set(key, [s]);
  };
  return {
    add(s: Slot) {
      add(`I:${s.instructor_id}:${s.day_of_week}`, s);
      add(`V:${s.venue_id}:${s.day_of_week}`, s);
      add(`G:${s.group_id}:${s.day_of_week}`, s);
    },
    check(c: Candidate, limit = 50): Conflict[] {
      const seen = new Set<Slot>();
      for (const key of [`I:${c.instructor_id}:${c.day_of_week}`, `V:${c.venue_id}:${c.day_of_week}`, `G:${c.group_id}:${c.day_of_week}`]) {
        for (const s of map.get(key) ?? []) seen.add(s);
      }
      return findConflicts(c, seen, limit);
    },
  };
}
