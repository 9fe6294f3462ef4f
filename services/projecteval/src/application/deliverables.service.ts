/** P34–P38: deliverables with due dates and an active rubric (R19). */
import { onUniqueViolation } from '@sicora/platform/db-errors';
import type { PageRequest } from '@sicora/platform/pagination';
import { toIso } from '@sicora/platform/schemas';
import { pe } from '../domain/errors.ts';
import type { Access } from './access.ts';
import { isApprentice, type Actor, type Deps } from './context.ts';
import { events } from './events.ts';
import type { DeliverableRow, SubmissionRow } from './ports.ts';

export interface DeliverableInput {
  title?: string;
  description?: string | null;
  deliverable_type?: DeliverableRow['deliverableType'];
  due_at?: string;
  rubric_id?: string;
  weight?: number;
}

export function deliverableView(d: DeliverableRow, current: SubmissionRow | undefined, now: Date, actor: { role: string }) {
  const hide = isApprentice(actor as Actor) && current?.status !== 'published';
  return {
    id: d.id,
    project_id: d.projectId,
    title: d.title,
    description: d.description,
    deliverable_type: d.deliverableType,
    due_at: toIso(d.dueAt),
    rubric_id: d.rubricId,
    weight: d.weight,
    created_by: d.createdBy,
    created_at: toIso(d.createdAt),
    updated_at: toIso(d.updatedAt),
    is_open: now.getTime() <= d.dueAt.getTime(),
    overdue: now.getTime() > d.dueAt.getTime() && (!current || current.status === 'returned'),
    current_submission: current
      ? { id: current.id, version: current.version, status: current.status, final_score: hide || current.finalScore === null ? null : Number(current.finalScore), band_label: hide ? null : current.bandLabel }
      : null,
  };
}

export function createDeliverablesService(deps: Deps, access: Access) {
  const { repos } = deps;

  async function views(actor: Actor, rows: DeliverableRow[]) {
    const current = await repos.submissions.currentOf(rows.map((d) => d.id));
    const now = deps.now();
    return rows.map((d) => deliverableView(d, current.find((s) => s.deliverableId === d.id), now, actor));
  }

  async function checkRubric(id: string) {
    const r = await repos.rubrics.byId(id);
    if (!r) throw pe.rubricNotFound();
    if (r.status !== 'active') throw pe.rubricNotActive();
    return r;
  }

  function checkDue(dueAt: string): Date {
    const due = new Date(dueAt);
    if (due.getTime() <= deps.now().getTime()) throw pe.dueInPast();
    return due;
  }

  return {
    async list(actor: Actor, projectId: string, sort: 'due_at' | 'title', dir: 'asc' | 'desc', page: PageRequest) {
      const { project } = await access.project(actor, projectId);
      const all = await repos.deliverables.ofProjects([project.id]);
      all.sort((a, b) => (sort === 'title' ? a.title.localeCompare(b.title) : a.dueAt.getTime() - b.dueAt.getTime()) * (dir === 'asc' ? 1 : -1));
      return { items: await views(actor, all.slice(page.offset, page.offset + page.limit)), total: all.length };
    },

    async get(actor: Actor, id: string) {
      const { deliverable } = await access.deliverable(actor, id);
      return (await views(actor, [deliverable]))[0];
    },

    async create(actor: Actor, projectId: string, body: Required<Pick<DeliverableInput, 'title' | 'deliverable_type' | 'due_at' | 'rubric_id'>> & DeliverableInput) {
      const { project, team } = await access.project(actor, projectId);
      access.requireManage(actor, team);
      if (project.status !== 'active') throw pe.projectNotActive();
      const due = checkDue(body.due_at);
      const rubric = await checkRubric(body.rubric_id);
      const title = body.title.trim();
      if (await repos.deliverables.titleTaken(project.id, title)) throw pe.deliverableExists();
      const members = (await repos.teams.openMembers(team.id)).map((m) => m.studentId);
      const at = deps.now();
      const row = await onUniqueViolation(
        () =>
          deps.withTransaction(async (tx) => {
            const d = await tx.deliverables.insert({ projectId: project.id, title, description: body.description ?? null, deliverableType: body.deliverable_type, dueAt: due, rubricId: rubric.id, weight: body.weight ?? 1, createdBy: actor.sub, createdAt: at, updatedAt: at });
            await tx.outbox.enqueue(events.deliverableAssigned(d, project.title, rubric.name, members));
            return d;
          }),
        { deliverables_title_uq: pe.deliverableExists },
      );
      return (await views(actor, [row]))[0];
    },

    async update(actor: Actor, id: string, body: DeliverableInput) {
      const { deliverable, team } = await access.deliverable(actor, id);
      access.requireManage(actor, team);
      const patch: Partial<DeliverableRow> = { updatedAt: deps.now() };
      if (body.due_at !== undefined) patch.dueAt = checkDue(body.due_at);
      if (body.rubric_id !== undefined && body.rubric_id !== deliverable.rubricId) {
        if (await repos.deliverables.hasEvaluations(deliverable.id)) throw pe.deliverableLocked();
        patch.rubricId = (await checkRubric(body.rubric_id)).id;
      }
      if (body.title !== undefined) {
        if (await repos.deliverables.titleTaken(deliverable.projectId, body.title.trim(), deliverable.id)) throw pe.deliverableExists();
        patch.title = body.title.trim();
      }
      if (body.description !== undefined) patch.description = body.description;
      if (body.weight !== undefined) patch.weight = body.weight;
      const row = await onUniqueViolation(() => repos.deliverables.update(deliverable.id, patch), { deliverables_title_uq: pe.deliverableExists });
      return (await views(actor, [row]))[0];
    },

    async remove(actor: Actor, id: string) {
      const { deliverable, team } = await access.deliverable(actor, id);
      access.requireManage(actor, team);
      if (await repos.deliverables.hasSubmissions(deliverable.id)) throw pe.deliverableHasSubmissions();
      await repos.deliverables.delete(deliverable.id);
    },
  };
}

export type DeliverablesService = ReturnType<typeof createDeliverablesService>;
