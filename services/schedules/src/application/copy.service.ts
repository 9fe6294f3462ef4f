/**
 * S10: copy a trimester (R29). Every new entry passes R2, R8, R10 and R13 against the database and the
 * other new entries; any failure → 422 COPY_VALIDATION_FAILED and nothing written; else one transaction.
 */
import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '@sicora/platform/errors';
import { daysBetween } from '../domain/calendar.ts';
import { validateEntry } from '../domain/candidate.ts';
import { createSlotIndex, type Conflict } from '../domain/conflicts.ts';
import { scheduleErrors } from '../domain/errors.ts';
import { dayName } from '../domain/shifts.ts';
import { callAs, type Actor, type Deps } from './context.ts';
import { notify, type ScheduleEvent } from './events.ts';
import { invalidInstructors } from './names.ts';
import type { EntryValues } from './ports.ts';

export interface CopyInput {
  source_from: string;
  source_to: string;
  target_start_date: string;
  target_end_date: string;
  group_ids?: string[];
  dry_run?: boolean;
}

type Item = { source_id: string; new_id?: string; status: 'ok' | 'skipped' | 'failed'; reason?: string | { code: string; message?: string; conflicts?: Conflict[] } };

export function createCopyService(deps: Pick<Deps, 'repos' | 'withTransaction' | 'users' | 'now'>) {
  const entries = deps.repos.entries;
  return {
    async run(input: CopyInput, actor: Actor) {
      if (input.source_to < input.source_from) throw scheduleErrors.datesOrder('source_to');
      if (daysBetween(input.source_from, input.source_to) + 1 > 184) throw scheduleErrors.windowTooLong(184, 'source_to');
      if (input.target_end_date < input.target_start_date) throw scheduleErrors.datesOrder('target_end_date');
      if (daysBetween(input.target_start_date, input.target_end_date) + 1 > 366) throw scheduleErrors.windowTooLong(366, 'target_end_date');
      const sources = await entries.find({ status: 'ACTIVE', from: input.source_from, to: input.source_to, group_ids: input.group_ids });
      const bad = await invalidInstructors(deps.users, sources.map((s) => s.e.instructorId), callAs(actor));
      const items: Item[] = [];
      const fresh: Array<{ item: Item; values: EntryValues; number: string; venueCode: string }> = [];
      for (const j of sources) {
        const item: Item = { source_id: j.e.id, status: 'ok' };
        items.push(item);
        if (!j.group.isActive) {
          Object.assign(item, { status: 'skipped', reason: 'Ficha inactiva' });
          continue;
        }
        const start = input.target_start_date > j.group.startDate ? input.target_start_date : j.group.startDate;
        const end = input.target_end_date < j.group.endDate ? input.target_end_date : j.group.endDate;
        try {
          const slot = validateEntry(j.group, { day_of_week: j.e.dayOfWeek, start_time: j.e.startTime.slice(0, 5), end_time: j.e.endTime.slice(0, 5), start_date: start, end_date: end });
          if (bad.has(j.e.instructorId)) throw scheduleErrors.invalidInstructor(j.e.instructorId);
          fresh.push({ item, values: { group_id: j.e.groupId, instructor_id: j.e.instructorId, venue_id: j.e.venueId, ...slot, subject: j.e.subject, notes: j.e.notes }, number: j.group.number, venueCode: j.venue.code });
        } catch (err) {
          if (!isAppError(err)) throw err;
          if (err.code === 'NO_OCCURRENCES' || (err.code === 'VALIDATION_ERROR' && start > end)) Object.assign(item, { status: 'skipped', reason: 'Sin clases en el nuevo rango' });
          else Object.assign(item, { status: 'failed', reason: { code: err.code, message: err.message } });
        }
      }
      if (fresh.length) {
        const index = createSlotIndex();
        const slots = await entries.slots({
          dows: [...new Set(fresh.map((f) => f.values.day_of_week))],
          from: input.target_start_date,
          to: input.target_end_date,
          instructorIds: [...new Set(fresh.map((f) => f.values.instructor_id))],
          venueIds: [...new Set(fresh.map((f) => f.values.venue_id))],
          groupIds: [...new Set(fresh.map((f) => f.values.group_id))],
        });
        for (const s of slots) index.add(s);
        for (const f of fresh) {
          const conflicts = index.check(f.values);
          if (conflicts.length) {
            Object.assign(f.item, { status: 'failed', reason: { code: 'SCHEDULE_CONFLICT', conflicts } });
            continue;
          }
          index.add({ schedule_id: `copy-${f.item.source_id}`, ...f.values, group_number: f.number, venue_code: f.venueCode, kinds: ['INSTRUCTOR', 'VENUE', 'GROUP'] });
        }
      }
      const dryRun = input.dry_run === true;
      const ok = fresh.filter((f) => f.item.status === 'ok');
      const skipped = items.filter((i) => i.status === 'skipped').length;
      if (items.some((i) => i.status === 'failed')) {
        throw new AppError('COPY_VALIDATION_FAILED', 'invalid', 'La copia tiene horarios con errores o conflictos; no se guardó nada', { dry_run: dryRun, created: 0, skipped, items });
      }
      if (dryRun) return { status: 200 as const, result: { dry_run: true, created: 0, skipped, items } };
      for (const f of ok) f.item.new_id = randomUUID();
      const now = deps.now();
      // R28: one schedule.published per ficha and one per instructor of the copy.
      const summary = (list: typeof ok) => list.map((f) => ({ subject: f.values.subject, day_name: dayName(f.values.day_of_week), start_time: f.values.start_time, end_time: f.values.end_time, venue_code: f.venueCode, start_date: f.values.start_date, end_date: f.values.end_date }));
      const batch = ok[0]?.item.new_id ?? 'empty';
      const events: ScheduleEvent[] = [];
      for (const groupId of new Set(ok.map((f) => f.values.group_id))) {
        const list = ok.filter((f) => f.values.group_id === groupId);
        events.push({ type: 'schedule.published', entityId: `${groupId}:${batch}`, stamp: now, groups: [groupId], data: { group_number: list[0].number, count: list.length, entries: summary(list) } });
      }
      for (const instructorId of new Set(ok.map((f) => f.values.instructor_id))) {
        const list = ok.filter((f) => f.values.instructor_id === instructorId);
        events.push({ type: 'schedule.published', entityId: `${instructorId}:${batch}`, stamp: now, users: [instructorId], data: { group_number: [...new Set(list.map((f) => f.number))].sort().join(', '), count: list.length, entries: summary(list) } });
      }
      await deps.withTransaction(async (tx) => {
        await tx.entries.insertMany(ok.map((f) => ({ id: f.item.new_id!, values: f.values })), actor.sub);
        if (events.length) await notify(tx, events);
      });
      return { status: 201 as const, result: { dry_run: false, created: ok.length, skipped, items } };
    },
  };
}

export type CopyService = ReturnType<typeof createCopyService>;
