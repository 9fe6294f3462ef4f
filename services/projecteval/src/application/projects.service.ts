/** P16–P22: projects from approved ideas, scope versioning and lock, status (R11–R14). */
import type { PageRequest } from '@sicora/platform/pagination';
import { onUniqueViolation } from '@sicora/platform/db-errors';
import { SCOPE_FIELDS, type ProjectStatus, type ScopeField } from '../domain/enums.ts';
import { pe } from '../domain/errors.ts';
import { addDays, daysBetween } from '../domain/time.ts';
import type { Access } from './access.ts';
import { today, type Actor, type Deps } from './context.ts';
import { events } from './events.ts';
import type { ProjectRow, Repositories } from './ports.ts';
import { projectViews, scopeChangeView } from './views.ts';

type ScopeValues = { title?: string; description?: string; objectives?: string; scope?: string; technologies?: string[] };

export interface ProjectCreate extends ScopeValues {
  idea_id: string;
  project_type: ProjectRow['projectType'];
  scope: string;
  expected_end_date: string;
  start_date?: string;
  stakeholder_id?: string | null;
  repository_url?: string | null;
}

export interface ProjectPatch extends ScopeValues {
  project_type?: ProjectRow['projectType'];
  stakeholder_id?: string | null;
  repository_url?: string | null;
  expected_end_date?: string;
  stakeholder_expectations_documented?: boolean;
  stakeholder_limitations_communicated?: boolean;
  reason?: string;
}

const COLUMN: Record<ScopeField, 'title' | 'description' | 'objectives' | 'scope' | 'technologies'> = { title: 'title', description: 'description', objectives: 'objectives', scope: 'scope', technologies: 'technologies' };

/** R12: the scope fields whose value actually changes, as `{field: {from, to}}`. */
export function scopeDiff(project: ProjectRow, values: ScopeValues): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const f of SCOPE_FIELDS) {
    const to = values[f];
    if (to === undefined) continue;
    const from = project[COLUMN[f]];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[f] = { from, to };
  }
  return changes;
}

/** R11: end between start + 7 days and start + 728 days. */
export function checkDates(start: string, end: string) {
  const d = daysBetween(start, end);
  if (d < 7 || d > 728) throw pe.projectDates({ min_end_date: addDays(start, 7), max_end_date: addDays(start, 728) });
}

/**
 * Applies a scope change in `tx` (R12, R40): scope_version + 1 and one scope_changes row.
 * Returns the updated project, or the same one when nothing changes.
 */
export async function applyScope(tx: Repositories, project: ProjectRow, changes: Record<string, { from: unknown; to: unknown }>, by: string, at: Date, extra: { reason?: string | null; changeRequestId?: string | null }) {
  if (Object.keys(changes).length === 0) return project;
  const version = project.scopeVersion + 1;
  const patch: Partial<ProjectRow> = { scopeVersion: version, updatedAt: at };
  for (const [f, c] of Object.entries(changes)) (patch as Record<string, unknown>)[COLUMN[f as ScopeField]] = c.to;
  const row = await tx.projects.update(project.id, patch);
  await tx.projects.addScopeChange({ projectId: project.id, scopeVersion: version, changes, changeRequestId: extra.changeRequestId ?? null, reason: extra.reason ?? null, changedBy: by, changedAt: at });
  return row;
}

export function createProjectsService(deps: Deps, access: Access) {
  const { repos } = deps;

  async function checkStakeholder(id: string | null | undefined) {
    if (!id) return;
    const s = await repos.stakeholders.byId(id);
    if (!s) throw pe.stakeholderNotFound();
    if (s.status !== 'active') throw pe.stakeholderInactive();
  }

  const view = async (actor: Actor, p: ProjectRow) => (await projectViews(deps, actor, [p]))[0];

  /** R14's effects of an ended project: requests withdrawn, scheduled agendas cleared, team closed. */
  async function endProject(tx: Repositories, project: ProjectRow, at: Date) {
    await tx.projects.withdrawOpenRequests(project.id, at);
    const subs = (await tx.submissions.list({ projectId: project.id, includeSuperseded: true }, 'submitted_at', 1000, 0)).rows.map((s) => s.id);
    const sessionIds = new Set<string>();
    for (const id of subs) for (const s of await tx.submissions.activeAgendaSessions(id)) sessionIds.add(s);
    for (const sid of sessionIds) {
      const session = await tx.sessions.byId(sid);
      if (session?.status !== 'scheduled') continue;
      const items = await tx.sessions.agenda([sid]);
      await tx.sessions.replaceAgenda(sid, items.filter((i) => !subs.includes(i.item.submissionId)).map((i) => i.item.submissionId));
    }
    await tx.teams.leave(project.teamId, undefined, at);
    await tx.teams.update(project.teamId, { status: 'closed', closedAt: at, updatedAt: at, closeReason: `Proyecto ${project.status === 'completed' ? 'finalizado' : 'cancelado'}` });
  }

  return {
    async list(actor: Actor, q: { group_id?: string; team_id?: string; status?: ProjectStatus; project_type?: ProjectRow['projectType']; advisor_id?: string; stakeholder_id?: string; search?: string }, sort: 'title' | 'created_at', dir: 'asc' | 'desc', page: PageRequest) {
      const teamIds = await access.scope(actor);
      const { rows, total } = await repos.projects.list({ groupId: q.group_id, teamId: q.team_id, status: q.status, projectType: q.project_type, advisorId: q.advisor_id, stakeholderId: q.stakeholder_id, search: q.search, teamIds }, sort, dir, page.limit, page.offset);
      return { items: await projectViews(deps, actor, rows), total };
    },

    async get(actor: Actor, id: string) {
      return view(actor, (await access.project(actor, id)).project);
    },

    async create(actor: Actor, body: ProjectCreate) {
      const idea = await repos.ideas.byId(body.idea_id);
      if (!idea) throw pe.ideaNotFound();
      const team = (await repos.teams.byId(idea.teamId))!;
      access.requireManage(actor, team);
      if (idea.status !== 'approved') throw pe.ideaNotApproved();
      if (team.status !== 'active') throw pe.teamNotActive();
      if (await repos.projects.byTeam(team.id)) throw pe.projectExists();
      const stakeholderId = body.stakeholder_id !== undefined ? body.stakeholder_id : idea.stakeholderId;
      await checkStakeholder(stakeholderId);
      const start = body.start_date ?? today(deps);
      checkDates(start, body.expected_end_date);
      const at = deps.now();
      const row = await onUniqueViolation(
        () =>
          repos.projects.insert({
            teamId: team.id,
            ideaId: idea.id,
            title: body.title ?? idea.title,
            description: body.description ?? idea.description,
            objectives: body.objectives ?? idea.objectives,
            technologies: body.technologies ?? idea.technologies,
            scope: body.scope,
            projectType: body.project_type,
            stakeholderId: stakeholderId ?? null,
            startDate: start,
            expectedEndDate: body.expected_end_date,
            repositoryUrl: body.repository_url ?? null,
            createdBy: actor.sub,
            createdAt: at,
            updatedAt: at,
          }),
        { projects_team_uq: pe.projectExists, projects_idea_uq: pe.projectExists },
      );
      return view(actor, row);
    },

    async update(actor: Actor, id: string, body: ProjectPatch) {
      const { project, team } = await access.project(actor, id);
      access.requireManage(actor, team);
      if (project.status === 'completed' || project.status === 'cancelled') throw pe.invalidState('project', project.status, 'update');
      const changes = scopeDiff(project, body);
      if (Object.keys(changes).length && project.scopeLocked) throw pe.scopeLocked();
      if (body.stakeholder_id !== undefined && body.stakeholder_id !== project.stakeholderId) await checkStakeholder(body.stakeholder_id);
      if (body.expected_end_date !== undefined) checkDates(project.startDate, body.expected_end_date);
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        const locked = (await tx.projects.lock(project.id))!;
        if (Object.keys(changes).length && locked.scopeLocked) throw pe.scopeLocked();
        const scoped = await applyScope(tx, locked, changes, actor.sub, at, { reason: body.reason });
        return tx.projects.update(project.id, {
          updatedAt: at,
          ...(body.project_type !== undefined ? { projectType: body.project_type } : {}),
          ...(body.stakeholder_id !== undefined ? { stakeholderId: body.stakeholder_id } : {}),
          ...(body.repository_url !== undefined ? { repositoryUrl: body.repository_url } : {}),
          ...(body.expected_end_date !== undefined ? { expectedEndDate: body.expected_end_date } : {}),
          ...(body.stakeholder_expectations_documented !== undefined ? { stakeholderExpectationsDocumented: body.stakeholder_expectations_documented } : {}),
          ...(body.stakeholder_limitations_communicated !== undefined ? { stakeholderLimitationsCommunicated: body.stakeholder_limitations_communicated } : {}),
          scopeVersion: scoped.scopeVersion,
        });
      });
      return view(actor, row);
    },

    async setStatus(actor: Actor, id: string, body: { status: ProjectStatus; reason: string }) {
      const { project, team } = await access.project(actor, id);
      access.requireManage(actor, team);
      const allowed: Record<ProjectStatus, ProjectStatus[]> = { active: ['suspended', 'cancelled', 'completed'], suspended: ['active', 'cancelled'], completed: [], cancelled: [] };
      if (!allowed[project.status].includes(body.status)) throw pe.invalidState('project', project.status, body.status);
      if (body.status === 'completed') {
        const ds = await repos.deliverables.ofProjects([project.id]);
        const current = await repos.submissions.currentOf(ds.map((d) => d.id));
        const pending = ds.filter((d) => !current.some((s) => s.deliverableId === d.id && s.status === 'published')).map((d) => d.id);
        if (pending.length) throw pe.pendingResults(pending);
      }
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        const r = await tx.projects.update(project.id, { status: body.status, statusReason: body.reason, updatedAt: at, ...(body.status === 'completed' ? { completedAt: at } : {}) });
        if (body.status === 'completed' || body.status === 'cancelled') await endProject(tx, r, at);
        return r;
      });
      return view(actor, row);
    },

    async scopeLock(actor: Actor, id: string, body: { locked: boolean; reason: string }) {
      const { project, team } = await access.project(actor, id);
      access.requireManage(actor, team);
      if (project.scopeLocked === body.locked) throw pe.invalidState('project', body.locked ? 'scope_locked' : 'scope_unlocked', body.locked ? 'lock' : 'unlock');
      if (project.status === 'completed' || project.status === 'cancelled') throw pe.invalidState('project', project.status, 'scope_lock');
      const members = (await repos.teams.openMembers(team.id)).map((m) => m.studentId);
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        const r = await tx.projects.update(project.id, { scopeLocked: body.locked, scopeLockedAt: at, scopeLockedBy: actor.sub, scopeLockReason: body.reason, updatedAt: at });
        await tx.outbox.enqueue(events.scopeLock(r, body.reason, members));
        return r;
      });
      return view(actor, row);
    },

    async scopeHistory(actor: Actor, id: string, page: PageRequest) {
      const { project } = await access.project(actor, id);
      const { rows, total } = await repos.projects.scopeHistory(project.id, page.limit, page.offset);
      return { items: rows.map(scopeChangeView), total };
    },
  };
}

export type ProjectsService = ReturnType<typeof createProjectsService>;
