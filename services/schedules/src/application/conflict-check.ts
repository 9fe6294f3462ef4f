/**
 * Conflict checking against the database (R13, R14): slots loaded set-based, compared in memory.
 */
import { displayDate } from '../domain/calendar.ts';
import { findConflicts, type Candidate, type Conflict } from '../domain/conflicts.ts';
import { scheduleErrors } from '../domain/errors.ts';
import { dayName } from '../domain/shifts.ts';
import type { NameResolution } from './names.ts';
import type { Repositories } from './ports.ts';

/** The candidate's conflicts with what is stored (inside a write, use the transaction's repositories). */
export async function conflictsFor(repos: Pick<Repositories, 'entries'>, c: Candidate): Promise<Conflict[]> {
  const slots = await repos.entries.slots({
    dows: [c.day_of_week],
    from: c.start_date,
    to: c.end_date,
    instructorIds: [c.instructor_id],
    venueIds: [c.venue_id],
    groupIds: [c.group_id],
  });
  return findConflicts(c, slots);
}

const KIND_TEXT = { INSTRUCTOR: 'El instructor', VENUE: 'El ambiente', GROUP: 'La ficha' } as const;

export function conflictMessage(c: Conflict): string {
  return `${KIND_TEXT[c.kind]} ya tiene clase el ${dayName(c.day_of_week).toLowerCase()} de ${c.start_time} a ${c.end_time} con la ficha ${c.group_number} desde el ${displayDate(c.first_common_date)}`;
}

export function withNames(conflicts: Conflict[], names: NameResolution['names']) {
  return conflicts.map((c) => ({ ...c, instructor_name: names.get(c.instructor_id) ?? null }));
}

export function conflictError(conflicts: Array<Conflict & { instructor_name: string | null }>) {
  return scheduleErrors.conflict(conflictMessage(conflicts[0]), conflicts);
}

/** Raised inside a write transaction; names are resolved after it rolled back (no remote call inside it). */
export class ConflictsFound extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super('schedule conflicts');
  }
}

export async function namingConflicts<T>(run: () => Promise<T>, resolve: (ids: string[]) => Promise<NameResolution['names']>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ConflictsFound)) throw err;
    throw conflictError(withNames(err.conflicts, await resolve(err.conflicts.map((c) => c.instructor_id))));
  }
}
