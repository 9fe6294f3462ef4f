/** P63–P68: change requests; only the advisor or coordination decide, approved scope changes apply at once (R37–R41). */
import type { PageRequest } from '@sicora/platform/pagination';
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import { SCOPE_FIELDS } from '../domain/enums.ts';
import { pe } from '../domain/errors.ts';
import { localDate, quarterOf } from '../domain/time.ts';
import type { Access } from './access.ts';
import { isApprentice, isCoordination, type Actor, type Deps } from './context.ts';
import { events } from './events.ts';
import { applyScope, scopeDiff } from './projects.service.ts';
import type { ChangeRequestRow, ProjectRow } from './ports.ts';
import { projectViews } from './views.ts';

export interface ChangeRequestCreate {
  origin: ChangeRequestRow['origin'];
  stakeholder_id?: string | null;
  change_type: ChangeRequestRow['changeType'];
  title: string;
  description: string;
  justification: string;
  priority?: ChangeRequestRow['priority'];
  proposed_changes?: Record<string, unknown> | null;
  impact_on_timeline?: string | null;
  impact_on_learning?: string | null;
}

const LIMITS: Record<string, [number, number]> = { title: [5, 200], description: [20, 5000], objectives: [10, 2000], scope: [20, 5000] };

/** R39: 1–5 scope fields, each valid as in P19. */
export function checkProposedChanges(changes: Record<string, unknown>): Record<string, string | string[]> {
  const keys = Object.keys(changes);
  if (keys.length < 1 || keys.length > 5 || keys.some((k) => !(SCOPE_FIELDS as readonly string[]).includes(k))) throw pe.proposedChangesInvalid({ fields: keys });
  for (const k of keys) {
    const v = changes[k];
    if (k === 'technologies') {
      if (!Array.isArray(v) || v.length > 15 || v.some((t) => typeof t !== 'string' || t.length < 1 || t.length > 50)) throw pe.proposedChangesInvalid({ field: k });
    } else {
      const [min, max] = LIMITS[k];
      if (typeof v !== 'string' || v.trim().length < min || v.length > max) throw pe.proposedChangesInvalid({ field: k });
    }
  }
  return changes as Record<string, string | string[]>;
}

export function changeRequestView(c: ChangeRequestRow) {
  return {
    id: c.id,
    project_id: c.projectId,
    origin: c.origin,
    stakeholder_id: c.stakeholderId,
    requested_by: c.requestedBy,
    change_type: c.changeType,
    priority: c.priority,
    status: c.status,
    title: c.title,
    description: c.description,
    justification: c.justification,
    proposed_changes: c.proposedChanges,
    impact_on_timeline: c.impactOnTimeline,
    impact_on_learning: c.impactOnLearning,
    review_comments: c.reviewComments,
    reviewed_by: c.reviewedBy,
    reviewed_at: toIsoOrNull(c.reviewedAt),
    decision_reason: c.decisionReason,
    decided_by: c.decidedBy,
    decided_at: toIsoOrNull(c.decidedAt),
    applied_scope_version: c.appliedScopeVersion,
    quarter: c.quarter,
    created_at: toIso(c.createdAt),
    updated_at: toIso(c.updatedAt),
  };
}

export function createChangeRequestsService(deps: Deps, access: Access) {
  const { repos } = deps;

  async function load(actor: Actor, id: string) {
    const cr = await repos.changeRequests.byId(id);
    if (!cr) throw pe.changeRequestNotFound();
    const project = (await repos.projects.byId(cr.projectId))!;
    const team = (await repos.teams.byId(project.teamId))!;
    if (isApprentice(actor) && !(await repos.teams.teamIdsOf(actor.sub)).includes(team.id)) throw pe.changeRequestNotFound();
    return { cr, project, team };
  }

  const active = (p: ProjectRow) => p.status === 'active' || p.status === 'suspended';

  return {
    async list(actor: Actor, q: { project_id?: string; status?: ChangeRequestRow['status']; origin?: ChangeRequestRow['origin']; stakeholder_id?: string; change_type?: ChangeRequestRow['changeType'] }, page: PageRequest) {
      const teamIds = await access.scope(actor);
      const { rows, total } = await repos.changeRequests.list({ projectId: q.project_id, status: q.status, origin: q.origin, stakeholderId: q.stakeholder_id, changeType: q.change_type, teamIds }, page.limit, page.offset);
      return { items: rows.map(changeRequestView), total };
    },

    async get(actor: Actor, id: string) {
      return changeRequestView((await load(actor, id)).cr);
    },

    async create(actor: Actor, projectId: string, body: ChangeRequestCreate) {
      const { project, team } = await access.project(actor, projectId);
      if (body.origin === 'team') {
        if (!(await access.isOpenMember(actor, team.id))) throw pe.forbidden();
      } else if (!access.canManage(actor, team)) throw pe.forbidden();
      if (body.origin === 'stakeholder') {
        if (!body.stakeholder_id) throw pe.field('stakeholder_id', 'required', 'Indique el aliado que hace la solicitud');
        if (body.stakeholder_id !== project.stakeholderId) throw pe.stakeholderNotOfProject();
        const s = await repos.stakeholders.byId(body.stakeholder_id);
        if (s?.status !== 'active') throw pe.stakeholderInactive();
      } else if (body.stakeholder_id) throw pe.field('stakeholder_id', 'not_allowed', 'Solo las solicitudes del aliado lo nombran');
      if (!active(project)) throw pe.projectNotActive();
      const proposed = body.proposed_changes ? checkProposedChanges(body.proposed_changes) : null;
      const at = deps.now();
      const quarter = quarterOf(localDate(at, deps.timeZone));
      const row = await deps.withTransaction(async (tx) => {
        if (body.origin === 'stakeholder') {
          // R38 under a lock on the project, so two requests at once cannot both be the second.
          await tx.outbox.lock([`cr:${project.id}`]);
          const count = await tx.changeRequests.stakeholderCount(project.id, quarter);
          if (count >= 2) throw pe.stakeholderLimit(quarter, count);
        }
        const cr = await tx.changeRequests.insert({
          projectId: project.id, origin: body.origin, stakeholderId: body.stakeholder_id ?? null, requestedBy: actor.sub, changeType: body.change_type, priority: body.priority ?? 'medium',
          title: body.title.trim(), description: body.description, justification: body.justification, proposedChanges: proposed, impactOnTimeline: body.impact_on_timeline ?? null, impactOnLearning: body.impact_on_learning ?? null,
          quarter, createdAt: at, updatedAt: at,
        });
        await tx.outbox.enqueue(events.crSubmitted(cr, project.title, team.advisorId));
        return cr;
      });
      return changeRequestView(row);
    },

    async review(actor: Actor, id: string, comments: string) {
      const { cr, team } = await load(actor, id);
      access.requireManage(actor, team);
      if (cr.status !== 'submitted') throw pe.invalidState('change_request', cr.status, 'review');
      const at = deps.now();
      return changeRequestView(await repos.changeRequests.update(cr.id, { status: 'under_review', reviewComments: comments, reviewedBy: actor.sub, reviewedAt: at, updatedAt: at }));
    },

    async decide(actor: Actor, id: string, body: { decision: 'approve' | 'reject'; decision_reason: string }) {
      const { cr, team, project } = await load(actor, id);
      access.requireManage(actor, team);
      if (cr.status !== 'submitted' && cr.status !== 'under_review') throw pe.invalidState('change_request', cr.status, 'decide');
      const members = (await repos.teams.openMembers(team.id)).map((m) => m.studentId);
      const at = deps.now();
      const result = await deps.withTransaction(async (tx) => {
        let p = project;
        let applied: number | null = null;
        if (body.decision === 'approve' && cr.proposedChanges) {
          const locked = (await tx.projects.lock(project.id))!;
          if (!active(locked)) throw pe.projectNotActive();
          // R40: values are checked again; they may have become invalid since the request was filed.
          const changes = checkProposedChanges(cr.proposedChanges);
          p = await applyScope(tx, locked, scopeDiff(locked, changes), actor.sub, at, { reason: body.decision_reason, changeRequestId: cr.id });
          applied = p.scopeVersion !== locked.scopeVersion ? p.scopeVersion : null;
        }
        const r = await tx.changeRequests.update(cr.id, { status: body.decision === 'approve' ? 'approved' : 'rejected', decisionReason: body.decision_reason, decidedBy: actor.sub, decidedAt: at, appliedScopeVersion: applied, updatedAt: at });
        await tx.outbox.enqueue(events.crDecided(r, project.title, [cr.requestedBy, ...members]));
        return { r, p, applied };
      });
      const view = changeRequestView(result.r);
      return result.applied !== null ? { ...view, project: (await projectViews(deps, actor, [result.p]))[0] } : view;
    },

    async withdraw(actor: Actor, id: string) {
      const { cr, team } = await load(actor, id);
      const allowed = cr.requestedBy === actor.sub || isCoordination(actor) || (access.isAdvisor(actor, team) && (cr.origin === 'stakeholder' || cr.origin === 'instructor'));
      if (!allowed) throw pe.forbidden();
      if (cr.status !== 'submitted' && cr.status !== 'under_review') throw pe.invalidState('change_request', cr.status, 'withdraw');
      return changeRequestView(await repos.changeRequests.update(cr.id, { status: 'withdrawn', updatedAt: deps.now() }));
    },
  };
}

export type ChangeRequestsService = ReturnType<typeof createChangeRequestsService>;
