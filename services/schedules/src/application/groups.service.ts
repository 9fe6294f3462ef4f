/** Fichas (G1–G5): numbers unique and immutable (R1), references (R2), period/shift/capacity (R5), deactivation (R3). */
import { onUniqueViolation } from '@sicora/platform/db-errors';
import { isAppError } from '@sicora/platform/errors';
import type { SortSpec } from '@sicora/platform/pagination';
import { addDays, daysBetween } from '../domain/calendar.ts';
import { earliestChangeDate, type EntryDates } from '../domain/entry.ts';
import { scheduleErrors } from '../domain/errors.ts';
import { dayName } from '../domain/shifts.ts';
import { searchText } from '../domain/text.ts';
import type { Access } from './access.ts';
import { callAs, localNow, today, type Actor, type Deps } from './context.ts';
import { notify, type ScheduleEvent } from './events.ts';
import type { NameResolver } from './names.ts';
import type { GroupFilter, GroupRow } from './ports.ts';
import { groupView } from './views.ts';

export interface GroupInput {
  number?: string;
  program_id?: string;
  campus_id?: string;
  shift?: GroupRow['shift'];
  start_date?: string;
  end_date?: string;
  current_quarter?: number;
  max_apprentices?: number | null;
  notes?: string | null;
  is_active?: boolean;
}

const numberExists = () => scheduleErrors.codeExists('GROUP_NUMBER_EXISTS', 'Ya existe una ficha con ese número');
export const groupNotFound = () => scheduleErrors.notFound('GROUP_NOT_FOUND', 'Ficha no encontrada');

export function checkPeriod(start: string, end: string) {
  if (start >= end) throw scheduleErrors.datesOrder();
  if (daysBetween(start, end) > 1461) throw scheduleErrors.rangeTooLong(1461);
}

export function createGroupsService(deps: Deps, access: Access, names: NameResolver) {
  const { groups: repo, programs: programsRepo, campuses: campusesRepo, assignments } = deps.repos;

  async function load(id: string) {
    const g = await repo.get(id);
    if (!g) throw groupNotFound();
    return g;
  }

  async function checkRefs(input: GroupInput, current?: GroupRow) {
    if (input.program_id !== undefined && input.program_id !== current?.programId) {
      const p = await programsRepo.get(input.program_id);
      if (!p) throw scheduleErrors.referenceNotFound('program_id', input.program_id);
      if (!p.isActive) throw scheduleErrors.referenceInactive('program_id', input.program_id);
    }
    if (input.campus_id !== undefined && input.campus_id !== current?.campusId) {
      const c = await campusesRepo.get(input.campus_id);
      if (!c) throw scheduleErrors.referenceNotFound('campus_id', input.campus_id);
      if (!c.isActive) throw scheduleErrors.referenceInactive('campus_id', input.campus_id);
    }
  }

  async function countApprentices(groupId: string, actor: Actor, isActive?: boolean) {
    const { total } = await deps.users.listApprentices({ group_id: groupId, is_active: isActive, page: 1, page_size: 1 }, callAs(actor));
    return total;
  }

  return {
    load,
    async list(actor: Actor, f: GroupFilter & { instructor_id?: string; assigned_on?: string }, sort: SortSpec<'number' | 'start_date' | 'created_at'>, page: { limit: number; offset: number }) {
      access.assertInstructorFilter(actor, f.instructor_id);
      let ids = await access.scope(actor);
      if (f.instructor_id) {
        const linked = await repo.linkedGroupIds(f.instructor_id, f.assigned_on);
        ids = ids === null ? linked : ids.filter((id) => linked.includes(id));
      }
      const { rows, total } = await repo.list({ ...f, ...(ids !== null ? { ids } : {}) }, sort, page.limit, page.offset);
      return { items: rows.map(groupView), total };
    },
    async get(id: string, actor: Actor) {
      const g = await load(id);
      await access.assertGroup(actor, id);
      const warnings: string[] = [];
      const director = await assignments.directorOn(id, today(deps));
      let directorName: string | null = null;
      if (director) {
        const res = await names.resolve([director], callAs(actor));
        directorName = res.names.get(director) ?? null;
        warnings.push(...res.warnings);
      }
      let apprenticeCount: number | null = null;
      try {
        apprenticeCount = await countApprentices(id, actor, true);
      } catch (err) {
        if (!isAppError(err) || err.status < 500) throw err;
        warnings.push('USERS_UNAVAILABLE');
      }
      return {
        data: {
          ...groupView(g),
          director_id: director,
          director: director ? { instructor_id: director, full_name: directorName } : null,
          apprentice_count: apprenticeCount,
        },
        warnings: [...new Set(warnings)],
      };
    },
    async create(input: Required<Pick<GroupInput, 'number' | 'program_id' | 'campus_id' | 'shift' | 'start_date' | 'end_date'>> & GroupInput, actor: Actor) {
      checkPeriod(input.start_date, input.end_date);
      await checkRefs(input);
      if ((await repo.byNumbers([input.number])).length) throw numberExists();
      // The number check races a concurrent writer; the unique index settles it with the same 409.
      const row = await onUniqueViolation(
        () =>
          repo.insert({
            number: input.number,
            programId: input.program_id,
            campusId: input.campus_id,
            shift: input.shift,
            startDate: input.start_date,
            endDate: input.end_date,
            currentQuarter: input.current_quarter ?? 1,
            maxApprentices: input.max_apprentices ?? null,
            notes: input.notes ?? null,
            searchText: searchText(input.number),
            createdBy: actor.sub,
            updatedBy: actor.sub,
          }),
        { groups_number_unique: numberExists },
      );
      return groupView(await load(row.id));
    },
    async update(id: string, input: GroupInput, actor: Actor) {
      const { row: current } = await load(id);
      if (input.number !== undefined && input.number !== current.number) throw scheduleErrors.immutable('number');
      await checkRefs(input, current);
      const start = input.start_date ?? current.startDate;
      const end = input.end_date ?? current.endDate;
      const todayDate = today(deps);
      if (start !== current.startDate || end !== current.endDate) {
        checkPeriod(start, end);
        const used = await repo.usedPeriod(id);
        if ((used.min && used.min < start) || (used.max && used.max > end)) {
          throw scheduleErrors.inUse('GROUP_PERIOD_IN_USE', 'Hay horarios o asignaciones fuera del nuevo periodo', { first_used_date: used.min, last_used_date: used.max });
        }
      }
      if (input.shift !== undefined && input.shift !== current.shift) {
        const running = await repo.runningEntries(id, todayDate);
        if (running.length) throw scheduleErrors.inUse('GROUP_SHIFT_IN_USE', 'La ficha tiene horarios activos vigentes', { entries: running.map((e) => e.id) });
      }
      if (input.max_apprentices != null && (current.maxApprentices === null || input.max_apprentices < current.maxApprentices)) {
        const active = await countApprentices(id, actor, true);
        if (active > input.max_apprentices) {
          throw scheduleErrors.inUse('CAPACITY_BELOW_ENROLMENT', 'El cupo es menor que el número de aprendices activos', { active_apprentices: active });
        }
      }
      const now = deps.now();
      const deactivating = input.is_active === false && current.isActive;
      const running = deactivating ? await repo.runningEntries(id, todayDate) : [];
      // R3: what still runs is cancelled from the first date R16 allows, with one schedule.cancelled each.
      const nowLocal = localNow(deps);
      const cancellations = running.map((e) => ({
        e,
        from: earliestChangeDate({ day_of_week: e.dayOfWeek, start_time: e.startTime, start_date: e.startDate, end_date: e.endDate, status: e.status, cancelled_from: null } satisfies EntryDates, nowLocal),
      }));
      await deps.withTransaction(async (tx) => {
        await tx.groups.update(id, {
          programId: input.program_id ?? current.programId,
          campusId: input.campus_id ?? current.campusId,
          shift: input.shift ?? current.shift,
          startDate: start,
          endDate: end,
          currentQuarter: input.current_quarter ?? current.currentQuarter,
          maxApprentices: input.max_apprentices !== undefined ? input.max_apprentices : current.maxApprentices,
          notes: input.notes !== undefined ? input.notes : current.notes,
          isActive: input.is_active ?? current.isActive,
          updatedBy: actor.sub,
          updatedAt: now,
        });
        if (!deactivating) return;
        for (const { e, from } of cancellations) {
          await tx.entries.update(e.id, { status: 'CANCELLED', cancelledFrom: from, cancelReason: 'Ficha desactivada', updatedBy: actor.sub, updatedAt: now });
          await tx.exceptions.removeFrom(e.id, from);
        }
        const events: ScheduleEvent[] = cancellations.map(({ e, from }) => ({
          type: 'schedule.cancelled',
          entityId: e.id,
          stamp: now,
          users: [e.instructorId],
          groups: [id],
          data: { group_number: current.number, subject: e.subject, day_name: dayName(e.dayOfWeek), start_time: e.startTime.slice(0, 5), end_time: e.endTime.slice(0, 5), from_date: from, reason: 'Ficha desactivada' },
        }));
        if (events.length) await notify(tx, events);
        // ... and its assignments end yesterday (those not started yet go).
        await tx.assignments.closeFrom(id, todayDate, addDays(todayDate, -1), actor.sub, now);
      });
      return groupView(await load(id));
    },
    async remove(id: string, actor: Actor) {
      await load(id);
      const usage = await repo.usage(id);
      const apprentices = await countApprentices(id, actor);
      if (usage.entries > 0 || usage.assignments > 0 || apprentices > 0) {
        throw scheduleErrors.inUse('GROUP_IN_USE', 'La ficha tiene horarios, asignaciones o aprendices; desactívela en su lugar', { ...usage, apprentices });
      }
      await repo.remove(id);
    },
  };
}

export type GroupsService = ReturnType<typeof createGroupsService>;
