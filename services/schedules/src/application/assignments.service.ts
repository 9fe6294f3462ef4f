/**
 * Instructors of a ficha: apprentices (G7), instructors (G8), "is X assigned" (G9) and assignments
 * (G10–G12) with the R23 rules.
 */
import { errors } from '@sicora/platform/errors';
import { displayDate } from '../domain/calendar.ts';
import { scheduleErrors } from '../domain/errors.ts';
import type { Access } from './access.ts';
import { callAs, today, type Actor, type Deps } from './context.ts';
import { notify } from './events.ts';
import type { GroupsService } from './groups.service.ts';
import { invalidInstructors, type NameResolver } from './names.ts';
import type { AssignmentRow, InstructorSource } from './ports.ts';
import { assignmentView } from './views.ts';

export interface AssignmentInput {
  instructor_id?: string;
  role?: AssignmentRow['role'];
  subject?: string | null;
  start_date?: string;
  end_date?: string | null;
  notes?: string | null;
}

const notFound = () => scheduleErrors.notFound('ASSIGNMENT_NOT_FOUND', 'Asignación no encontrada');

export function createAssignmentsService(deps: Deps, access: Access, names: NameResolver, groups: GroupsService) {
  const repo = deps.repos.assignments;

  async function checkRules(group: { id: string; startDate: string; endDate: string }, a: { instructor_id: string; role: string; start_date: string; end_date: string | null }, excludeId?: string) {
    const end = a.end_date ?? group.endDate;
    if (a.start_date < group.startDate || a.start_date > group.endDate || end > group.endDate) throw scheduleErrors.outsideGroupPeriod(group.startDate, group.endDate);
    if (a.start_date > end) throw scheduleErrors.datesOrder();
    const others = await repo.overlapping(group.id, group.endDate, a.start_date, end, excludeId);
    if (others.some((o) => o.instructorId === a.instructor_id && o.role === a.role)) throw scheduleErrors.assignmentOverlap();
    if (a.role === 'director' && others.some((o) => o.role === 'director')) throw scheduleErrors.directorAssigned();
  }

  return {
    async apprentices(groupId: string, actor: Actor, q: { is_active?: boolean; search?: string; page: number; page_size: number; sort?: string }) {
      await groups.load(groupId);
      if (actor.role === 'aprendiz') throw errors.forbidden('No tiene acceso a los aprendices de la ficha');
      await access.assertGroup(actor, groupId);
      const res = await deps.users.listApprentices({ group_id: groupId, is_active: q.is_active ?? true, search: q.search, page: q.page, page_size: q.page_size, sort: q.sort ?? 'last_name' }, callAs(actor));
      return {
        total: res.total,
        items: res.items.map((u) => ({
          id: u.id,
          first_name: u.first_name,
          last_name: u.last_name,
          full_name: u.full_name,
          document_type: u.document_type ?? null,
          document_number: u.document_number ?? null,
          email: u.email ?? null,
          is_active: u.is_active,
        })),
      };
    },
    async instructors(groupId: string, actor: Actor, q: { from?: string; to?: string }) {
      const { row } = await groups.load(groupId);
      await access.assertGroup(actor, groupId);
      const from = q.from ?? row.startDate;
      const to = q.to ?? row.endDate;
      if (to < from) throw scheduleErrors.datesOrder('to');
      const sources = await repo.sources(groupId, from, to);
      const by = new Map<string, { instructor_id: string; roles: Set<InstructorSource['role']>; subjects: Set<string>; via: Set<InstructorSource['via']>; first_date: string; last_date: string; weekly_hours: number; assignment_ids: string[] }>();
      for (const s of sources) {
        let x = by.get(s.instructor_id);
        if (!x) {
          x = { instructor_id: s.instructor_id, roles: new Set(), subjects: new Set(), via: new Set(), first_date: s.first_date, last_date: s.last_date, weekly_hours: 0, assignment_ids: [] };
          by.set(s.instructor_id, x);
        }
        x.roles.add(s.role);
        if (s.subject) x.subjects.add(s.subject);
        x.via.add(s.via);
        if (s.first_date < x.first_date) x.first_date = s.first_date;
        if (s.last_date > x.last_date) x.last_date = s.last_date;
        x.weekly_hours += Number(s.weekly_hours);
        if (s.assignment_id) x.assignment_ids.push(s.assignment_id);
      }
      const { names: resolved, warnings } = await names.resolve(by.keys(), callAs(actor));
      const items = [...by.values()]
        .map((x) => ({ ...x, full_name: resolved.get(x.instructor_id) ?? null, roles: [...x.roles].sort(), subjects: [...x.subjects].sort(), via: [...x.via].sort() }))
        .sort((a, b) => (a.full_name ?? '').localeCompare(b.full_name ?? '') || a.instructor_id.localeCompare(b.instructor_id));
      return { items, warnings };
    },
    async isAssigned(groupId: string, instructorId: string, actor: Actor, date?: string) {
      await groups.load(groupId);
      if (actor.role === 'aprendiz') throw errors.forbidden();
      if (actor.role === 'instructor' && actor.sub !== instructorId) throw errors.forbidden('Solo puede consultar su propia asignación');
      const d = date ?? today(deps);
      const sources = await repo.sources(groupId, d, d, instructorId);
      const via = [...new Set(sources.map((s) => s.via))].sort();
      const roles = [...new Set(sources.map((s) => s.role))].sort();
      return { group_id: groupId, instructor_id: instructorId, date: d, assigned: sources.length > 0, roles, via };
    },
    async create(groupId: string, input: Required<Pick<AssignmentInput, 'instructor_id' | 'role'>> & AssignmentInput, actor: Actor) {
      const { row: group, program } = await groups.load(groupId);
      if (!group.isActive) throw scheduleErrors.referenceInactive('group_id', groupId);
      const a = { instructor_id: input.instructor_id, role: input.role, start_date: input.start_date ?? group.startDate, end_date: input.end_date ?? null };
      await checkRules(group, a);
      // Remote check before the transaction (never call another service inside one).
      if ((await invalidInstructors(deps.users, [a.instructor_id], callAs(actor))).size) throw scheduleErrors.invalidInstructor(a.instructor_id);
      const now = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        const created = await tx.assignments.insert({ groupId, instructorId: a.instructor_id, role: a.role, subject: input.subject ?? null, startDate: a.start_date, endDate: a.end_date, notes: input.notes ?? null, createdBy: actor.sub, updatedBy: actor.sub });
        await notify(tx, {
          type: 'group.instructor_assigned',
          entityId: created.id,
          stamp: now,
          users: [a.instructor_id],
          data: { group_number: group.number, program_name: program.name, role: a.role, subject: input.subject ?? null, start_date: displayDate(a.start_date), end_date: displayDate(a.end_date ?? group.endDate) },
        });
        return created;
      });
      return assignmentView(row);
    },
    async update(groupId: string, id: string, input: AssignmentInput, actor: Actor) {
      const { row: group } = await groups.load(groupId);
      const current = await repo.get(groupId, id);
      if (!current) throw notFound();
      const next = {
        instructor_id: current.instructorId,
        role: current.role,
        start_date: input.start_date ?? current.startDate,
        end_date: input.end_date !== undefined ? input.end_date : current.endDate,
      };
      await checkRules(group, next, id);
      const row = await repo.update(id, { startDate: next.start_date, endDate: next.end_date, subject: input.subject !== undefined ? input.subject : current.subject, notes: input.notes !== undefined ? input.notes : current.notes, updatedBy: actor.sub, updatedAt: deps.now() });
      return assignmentView(row);
    },
    async remove(groupId: string, id: string) {
      await groups.load(groupId);
      if (!(await repo.get(groupId, id))) throw notFound();
      await repo.remove(id);
    },
  };
}

export type AssignmentsService = ReturnType<typeof createAssignmentsService>;
