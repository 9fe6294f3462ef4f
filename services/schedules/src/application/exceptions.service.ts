/** One-off session changes (S11, S12, R24): cancel one class or change its instructor/venue for one date. */
import { errors } from '@sicora/platform/errors';
import { displayDate, isoWeekday } from '../domain/calendar.ts';
import { findConflicts, type Slot } from '../domain/conflicts.ts';
import { isOccurrence } from '../domain/entry.ts';
import { scheduleErrors } from '../domain/errors.ts';
import { ConflictsFound, namingConflicts } from './conflict-check.ts';
import { callAs, today, type Actor, type Deps } from './context.ts';
import { entryDates } from './entries.view.ts';
import { notify } from './events.ts';
import { invalidInstructors, type NameResolver } from './names.ts';
import { scheduleNotFound } from './schedules.service.ts';
import { exceptionView } from './views.ts';

export interface ExceptionInput {
  date: string;
  kind: 'CANCELLED' | 'CHANGED';
  instructor_id?: string;
  venue_id?: string;
  reason: string;
}

export function createExceptionsService(deps: Deps, names: NameResolver) {
  const { entries, exceptions, nonTeachingDays, venues } = deps.repos;

  async function load(id: string) {
    const [j] = await entries.find({ ids: [id] });
    if (!j) throw scheduleNotFound();
    return j;
  }

  return {
    async create(id: string, input: ExceptionInput, actor: Actor) {
      const j = await load(id);
      const e = j.e;
      const closed = await nonTeachingDays.between(input.date, input.date, j.venue.campusId);
      if (!isOccurrence(entryDates(e), input.date, isoWeekday(input.date)) || closed.length) throw scheduleErrors.notAnOccurrence();
      if (input.date < today(deps)) throw scheduleErrors.dateInPast('date');
      if ((await exceptions.ofEntries([id], input.date, input.date)).length) throw scheduleErrors.exceptionExists();
      let venueCode = j.venue.code;
      if (input.kind === 'CHANGED') {
        const changesInstructor = input.instructor_id !== undefined && input.instructor_id !== e.instructorId;
        const changesVenue = input.venue_id !== undefined && input.venue_id !== e.venueId;
        if (!changesInstructor && !changesVenue) throw scheduleErrors.validation('instructor_id', 'no_change', 'Indique un instructor o un ambiente distinto al del horario');
        if (changesVenue) {
          const v = await venues.get(input.venue_id!);
          if (!v) throw scheduleErrors.referenceNotFound('venue_id', input.venue_id!);
          if (!v.v.isActive) throw scheduleErrors.referenceInactive('venue_id', input.venue_id!);
          venueCode = v.v.code;
        }
        if (changesInstructor && (await invalidInstructors(deps.users, [input.instructor_id!], callAs(actor))).size) throw scheduleErrors.invalidInstructor(input.instructor_id!);
      }
      const instructorId = input.kind === 'CHANGED' ? (input.instructor_id ?? e.instructorId) : e.instructorId;
      const venueId = input.kind === 'CHANGED' ? (input.venue_id ?? e.venueId) : e.venueId;
      const resolved = await names.resolve([e.instructorId, instructorId], callAs(actor));
      const now = deps.now();
      const resolveNames = async (ids: string[]) => (await names.resolve(ids, callAs(actor))).names;
      const row = await namingConflicts(() => deps.withTransaction(async (tx) => {
        await tx.entries.lockForConflictCheck();
        if (input.kind === 'CHANGED') {
          // A one-date candidate: occurrences that another exception cancels or changes that day no longer hold their original slot.
          const all = await tx.entries.slots({ dows: [e.dayOfWeek], from: input.date, to: input.date, instructorIds: [instructorId], venueIds: [venueId], groupIds: [e.groupId] });
          const overridden = await tx.exceptions.entryIdsOn(input.date);
          const slots: Slot[] = all
            .filter((s) => (s.exception_date === undefined ? !overridden.has(s.schedule_id) : true))
            .map((s) => (s.exception_date === undefined ? s : { ...s, kinds: ['INSTRUCTOR', 'VENUE', 'GROUP'] }));
          const conflicts = findConflicts({ id, group_id: e.groupId, instructor_id: instructorId, venue_id: venueId, day_of_week: e.dayOfWeek, start_time: e.startTime.slice(0, 5), end_time: e.endTime.slice(0, 5), start_date: input.date, end_date: input.date }, slots).filter((c) => c.schedule_id !== id);
          if (conflicts.length) throw new ConflictsFound(conflicts);
        }
        const created = await tx.exceptions.insert({ scheduleId: id, date: input.date, kind: input.kind, instructorId: input.kind === 'CHANGED' ? (input.instructor_id ?? null) : null, venueId: input.kind === 'CHANGED' ? (input.venue_id ?? null) : null, reason: input.reason, createdBy: actor.sub, updatedBy: actor.sub });
        await notify(tx, {
          type: 'schedule.session_changed',
          entityId: created.id,
          stamp: now,
          users: [e.instructorId, instructorId],
          groups: [e.groupId],
          data: { group_number: j.group.number, subject: e.subject, date: displayDate(input.date), kind: input.kind, instructor_name: resolved.names.get(instructorId) ?? null, venue_code: venueCode, reason: input.reason },
        });
        return created;
      }), resolveNames);
      return exceptionView(row);
    },
    async remove(id: string, date: string, actor: Actor) {
      const j = await load(id);
      const [x] = await exceptions.ofEntries([id], date, date);
      if (!x) throw errors.notFound('EXCEPTION_NOT_FOUND', 'No hay un cambio para esa fecha');
      if (date < today(deps)) throw scheduleErrors.dateInPast('date');
      const resolved = await names.resolve([j.e.instructorId], callAs(actor));
      const now = deps.now();
      await deps.withTransaction(async (tx) => {
        await tx.exceptions.removeOn(id, date);
        await notify(tx, {
          type: 'schedule.session_changed',
          entityId: x.id,
          stamp: now,
          users: [j.e.instructorId, x.instructorId ?? j.e.instructorId],
          groups: [j.e.groupId],
          data: { group_number: j.group.number, subject: j.e.subject, date: displayDate(date), kind: 'RESTORED', instructor_name: resolved.names.get(j.e.instructorId) ?? null, venue_code: j.venue.code, reason: x.reason },
        });
      });
    },
  };
}

export type ExceptionsService = ReturnType<typeof createExceptionsService>;
