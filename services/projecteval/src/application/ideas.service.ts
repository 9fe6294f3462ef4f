/** P10–P15: project ideas and their approval (R7–R10). Decisions keep the history: nothing is deleted. */
import type { PageRequest } from '@sicora/platform/pagination';
import type { IdeaStatus } from '../domain/enums.ts';
import { pe } from '../domain/errors.ts';
import type { Access } from './access.ts';
import { isApprentice, isCoordination, type Actor, type Deps } from './context.ts';
import { events } from './events.ts';
import type { IdeaRow, TeamRow } from './ports.ts';
import { ideaView } from './views.ts';

export const MAX_IDEAS = 10;
export const MIN_IDEAS = 3;

export interface IdeaInput {
  title?: string;
  description?: string;
  objectives?: string;
  technologies?: string[];
  stakeholder_id?: string | null;
  stakeholder_info?: string | null;
  expected_impact?: string | null;
}

const OPEN: IdeaStatus[] = ['proposed', 'revision_requested'];

export function createIdeasService(deps: Deps, access: Access) {
  const { repos } = deps;

  async function load(actor: Actor, id: string): Promise<{ idea: IdeaRow; team: TeamRow }> {
    const idea = await repos.ideas.byId(id);
    if (!idea) throw pe.ideaNotFound();
    const team = (await repos.teams.byId(idea.teamId))!;
    if (isApprentice(actor) && !(await repos.teams.teamIdsOf(actor.sub)).includes(team.id)) throw pe.ideaNotFound();
    return { idea, team };
  }

  /** R7, R8, R10: coordination, the advisor, or an open member of the team. */
  async function requireProposer(actor: Actor, team: TeamRow) {
    if (isCoordination(actor) || access.isAdvisor(actor, team)) return;
    if (isApprentice(actor) && (await access.isOpenMember(actor, team.id))) return;
    throw pe.forbidden();
  }

  async function checkStakeholder(id: string | null | undefined) {
    if (!id) return;
    const s = await repos.stakeholders.byId(id);
    if (!s) throw pe.stakeholderNotFound();
    if (s.status !== 'active') throw pe.stakeholderInactive();
  }

  async function members(teamId: string) {
    return (await repos.teams.openMembers(teamId)).map((m) => m.studentId);
  }

  return {
    async list(actor: Actor, q: { team_id?: string; group_id?: string; status?: IdeaStatus }, sort: 'created_at' | 'title', dir: 'asc' | 'desc', page: PageRequest) {
      const teamIds = await access.scope(actor);
      const { rows, total } = await repos.ideas.list({ teamId: q.team_id, groupId: q.group_id, status: q.status, teamIds }, sort, dir, page.limit, page.offset);
      return { items: rows.map(ideaView), total };
    },

    async get(actor: Actor, id: string) {
      return ideaView((await load(actor, id)).idea);
    },

    async create(actor: Actor, teamId: string, body: Required<Pick<IdeaInput, 'title' | 'description' | 'objectives'>> & IdeaInput) {
      const team = await access.team(actor, teamId);
      await requireProposer(actor, team);
      if (team.status !== 'active') throw pe.teamNotActive();
      await checkStakeholder(body.stakeholder_id);
      const at = deps.now();
      const idea = await deps.withTransaction(async (tx) => {
        await tx.teams.lock(team.id);
        const existing = await tx.ideas.ofTeam(team.id);
        if (existing.some((i) => i.status === 'approved')) throw pe.alreadyApproved();
        if (existing.filter((i) => i.status !== 'withdrawn').length >= MAX_IDEAS) throw pe.ideaLimit();
        const row = await tx.ideas.insert({
          teamId: team.id,
          title: body.title.trim(),
          description: body.description,
          objectives: body.objectives,
          technologies: body.technologies ?? [],
          stakeholderId: body.stakeholder_id ?? null,
          stakeholderInfo: body.stakeholder_info ?? null,
          expectedImpact: body.expected_impact ?? null,
          proposedBy: actor.sub,
          createdAt: at,
          updatedAt: at,
        });
        await tx.outbox.enqueue(events.ideaSubmitted(row, team.name, team.advisorId));
        return row;
      });
      return ideaView(idea);
    },

    async update(actor: Actor, id: string, body: IdeaInput) {
      const { idea, team } = await load(actor, id);
      await requireProposer(actor, team);
      if (!OPEN.includes(idea.status)) throw pe.invalidState('idea', idea.status, 'edit');
      if (body.stakeholder_id !== undefined && body.stakeholder_id !== idea.stakeholderId) await checkStakeholder(body.stakeholder_id);
      const at = deps.now();
      const revised = idea.status === 'revision_requested';
      const row = await deps.withTransaction(async (tx) => {
        const r = await tx.ideas.update(idea.id, {
          ...(body.title !== undefined ? { title: body.title.trim() } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.objectives !== undefined ? { objectives: body.objectives } : {}),
          ...(body.technologies !== undefined ? { technologies: body.technologies } : {}),
          ...(body.stakeholder_id !== undefined ? { stakeholderId: body.stakeholder_id } : {}),
          ...(body.stakeholder_info !== undefined ? { stakeholderInfo: body.stakeholder_info } : {}),
          ...(body.expected_impact !== undefined ? { expectedImpact: body.expected_impact } : {}),
          status: 'proposed',
          updatedAt: at,
        });
        // R8: a revised idea goes back to the advisor.
        if (revised) await tx.outbox.enqueue(events.ideaSubmitted(r, team.name, team.advisorId));
        return r;
      });
      return ideaView(row);
    },

    async decide(actor: Actor, id: string, body: { decision: 'approve' | 'reject' | 'request_revision'; viability_score?: number; feedback?: string }) {
      const { idea, team } = await load(actor, id);
      access.requireManage(actor, team);
      if (!OPEN.includes(idea.status)) throw pe.invalidState('idea', idea.status, 'decide');
      if (body.decision === 'approve' && body.viability_score === undefined) throw pe.field('viability_score', 'required', 'La aprobación requiere el puntaje de viabilidad');
      if (body.decision !== 'approve' && !body.feedback) throw pe.field('feedback', 'required', 'Explique la decisión (10 a 2000 caracteres)');
      const recipients = await members(team.id);
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        await tx.teams.lock(team.id);
        const all = await tx.ideas.ofTeam(team.id);
        let others: IdeaRow[] = [];
        if (body.decision === 'approve') {
          if (all.some((i) => i.status === 'approved')) throw pe.alreadyApproved();
          const count = all.filter((i) => i.status !== 'withdrawn').length;
          if (count < MIN_IDEAS) throw pe.minIdeas(count);
          others = await tx.ideas.markNotSelected(team.id, idea.id, at, actor.sub);
        }
        const status: IdeaStatus = body.decision === 'approve' ? 'approved' : body.decision === 'reject' ? 'rejected' : 'revision_requested';
        const r = await tx.ideas.update(idea.id, {
          status,
          viabilityScore: body.decision === 'approve' ? body.viability_score! : idea.viabilityScore,
          feedback: body.feedback ?? idea.feedback,
          decidedBy: actor.sub,
          decidedAt: at,
          updatedAt: at,
        });
        await tx.outbox.enqueue([r, ...others].map((i) => events.ideaDecided(i, recipients)));
        return r;
      });
      return ideaView(row);
    },

    async withdraw(actor: Actor, id: string) {
      const { idea, team } = await load(actor, id);
      if (!(access.isAdvisor(actor, team) || isCoordination(actor) || (isApprentice(actor) && (await access.isOpenMember(actor, team.id))))) throw pe.forbidden();
      if (!OPEN.includes(idea.status)) throw pe.invalidState('idea', idea.status, 'withdraw');
      return ideaView(await repos.ideas.update(idea.id, { status: 'withdrawn', updatedAt: deps.now() }));
    },
  };
}

export type IdeasService = ReturnType<typeof createIdeasService>;
