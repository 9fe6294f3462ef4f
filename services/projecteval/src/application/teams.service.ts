/** P1–P9: teams and their composition (R1–R6). Remote reads (G3, G7, G9, U12) happen before the unit of work. */
import { onUniqueViolation } from '@sicora/platform/db-errors';
import type { PageRequest } from '@sicora/platform/pagination';
import { pe } from '../domain/errors.ts';
import type { MemberRole, TeamStatus } from '../domain/enums.ts';
import type { Access } from './access.ts';
import { isApprentice, isCoordination, isInstructor, today, type Actor, type Deps } from './context.ts';
import { events } from './events.ts';
import { activeInstructors, names } from './people.ts';
import type { TeamRow } from './ports.ts';
import { teamViews } from './views.ts';

export const MAX_MEMBERS = 5;
export const MIN_MEMBERS = 3;

export interface TeamCreate {
  name: string;
  group_id: string;
  advisor_id?: string;
  members?: Array<{ student_id: string; role?: MemberRole }>;
  leader_id?: string;
}

export function createTeamsService(deps: Deps, access: Access) {
  const { repos } = deps;

  async function view(team: TeamRow) {
    const [v] = await teamViews(deps, [team]);
    return v;
  }

  /** R2: every student is on the ficha's roster and in no other open team. */
  async function checkStudents(groupId: string, studentIds: string[]) {
    if (!studentIds.length) return;
    const roster = new Set((await deps.schedules.apprentices(groupId)).map((a) => a.id));
    const outside = studentIds.find((id) => !roster.has(id));
    if (outside) throw pe.studentNotInGroup({ student_id: outside });
    const open = await repos.teams.openMembershipsOf(studentIds);
    if (open.length) throw pe.studentInTeam({ team_id: open[0].teamId, student_id: open[0].studentId });
  }

  async function checkAdvisor(id: string) {
    if (!(await activeInstructors(deps, [id])).has(id)) throw pe.advisorInvalid();
  }

  function requireOpen(team: TeamRow, action: string) {
    if (team.status === 'closed') throw pe.invalidState('team', team.status, action);
  }

  return {
    async list(actor: Actor, q: { group_id?: string; status?: TeamStatus; advisor_id?: string; student_id?: string; search?: string }, sort: 'name' | 'created_at', dir: 'asc' | 'desc', page: PageRequest) {
      const ids = await access.scope(actor);
      const { rows, total } = await repos.teams.list({ groupId: q.group_id, status: q.status, advisorId: q.advisor_id, studentId: q.student_id, search: q.search, ids }, sort, dir, page.limit, page.offset);
      return { items: await teamViews(deps, rows), total };
    },

    async get(actor: Actor, id: string) {
      return view(await access.team(actor, id));
    },

    async create(actor: Actor, body: TeamCreate) {
      const name = body.name.trim();
      if (name.length < 3) throw pe.field('name', 'too_short', 'El nombre debe tener entre 3 y 100 caracteres');
      let advisorId: string;
      const group = await deps.schedules.group(body.group_id);
      if (!group || !group.is_active) throw pe.unknownGroup();
      if (isInstructor(actor)) {
        if (body.advisor_id && body.advisor_id !== actor.sub) throw pe.forbidden();
        const teaches = await deps.schedules.teaches(body.group_id, actor.sub, today(deps));
        if (teaches === undefined) throw pe.unknownGroup();
        if (!teaches) throw pe.instructorNotInGroup();
        advisorId = actor.sub;
      } else {
        if (!body.advisor_id) throw pe.field('advisor_id', 'required', 'Indique el asesor del equipo');
        advisorId = body.advisor_id;
        await checkAdvisor(advisorId);
      }
      const members = body.members ?? [];
      const ids = members.map((m) => m.student_id);
      if (new Set(ids).size !== ids.length) throw pe.field('members', 'duplicate', 'Un aprendiz aparece dos veces');
      if (ids.length > MAX_MEMBERS) throw pe.teamSize('full');
      if (body.leader_id && !ids.includes(body.leader_id)) throw pe.leaderNotMember();
      await checkStudents(body.group_id, ids);
      if (await repos.teams.nameTaken(body.group_id, name)) throw pe.teamExists();
      const advisorName = (await names(deps, [advisorId])).name(advisorId);
      const at = deps.now();
      const team = await onUniqueViolation(
        () =>
          deps.withTransaction(async (tx) => {
            const row = await tx.teams.insert({ name, groupId: group.id, groupNumber: group.number, advisorId, leaderId: body.leader_id ?? null, createdBy: actor.sub, createdAt: at, updatedAt: at });
            await tx.teams.addMembers(members.map((m) => ({ teamId: row.id, studentId: m.student_id, role: m.role ?? 'member', joinedAt: at })));
            await tx.outbox.enqueue(members.map((m) => events.memberAdded(row, m.student_id, at, advisorName)));
            return row;
          }),
        { teams_group_name_uq: pe.teamExists, team_members_open_uq: () => pe.studentInTeam() },
      );
      return view(team);
    },

    async update(actor: Actor, id: string, body: { name?: string; leader_id?: string; advisor_id?: string }) {
      const team = await access.team(actor, id);
      access.requireManage(actor, team);
      requireOpen(team, 'update');
      if (body.advisor_id !== undefined && !isCoordination(actor)) throw pe.forbidden();
      const patch: Partial<TeamRow> = { updatedAt: deps.now() };
      if (body.name !== undefined) {
        const name = body.name.trim();
        if (name.length < 3) throw pe.field('name', 'too_short', 'El nombre debe tener entre 3 y 100 caracteres');
        if (await repos.teams.nameTaken(team.groupId, name, team.id)) throw pe.teamExists();
        patch.name = name;
      }
      if (body.leader_id !== undefined) {
        const open = await repos.teams.openMembers(team.id);
        if (!open.some((m) => m.studentId === body.leader_id)) throw pe.leaderNotMember();
        patch.leaderId = body.leader_id;
      }
      if (body.advisor_id !== undefined && body.advisor_id !== team.advisorId) {
        await checkAdvisor(body.advisor_id);
        patch.advisorId = body.advisor_id;
      }
      const row = await onUniqueViolation(() => repos.teams.update(team.id, patch), { teams_group_name_uq: pe.teamExists });
      return view(row);
    },

    async remove(actor: Actor, id: string) {
      const team = await access.team(actor, id);
      access.requireManage(actor, team);
      const ideas = await repos.ideas.ofTeam(team.id);
      if (team.status !== 'forming' || ideas.length > 0) throw pe.teamNotDeletable();
      await repos.teams.delete(team.id);
    },

    async addMember(actor: Actor, id: string, body: { student_id: string; role?: MemberRole }) {
      const team = await access.team(actor, id);
      access.requireManage(actor, team);
      requireOpen(team, 'add_member');
      const open = await repos.teams.openMembers(team.id);
      if (open.some((m) => m.studentId === body.student_id)) throw pe.studentInTeam({ team_id: team.id });
      if (open.length >= MAX_MEMBERS) throw pe.teamSize('full');
      await checkStudents(team.groupId, [body.student_id]);
      const advisorName = (await names(deps, [team.advisorId])).name(team.advisorId);
      const at = deps.now();
      const row = await onUniqueViolation(
        () =>
          deps.withTransaction(async (tx) => {
            const locked = (await tx.teams.lock(team.id))!;
            // R1 under the row lock: two concurrent additions cannot both pass the limit.
            if ((await tx.teams.openMembers(team.id)).length >= MAX_MEMBERS) throw pe.teamSize('full');
            await tx.teams.addMembers([{ teamId: team.id, studentId: body.student_id, role: body.role ?? 'member', joinedAt: at }]);
            await tx.outbox.enqueue(events.memberAdded(locked, body.student_id, at, advisorName));
            return tx.teams.update(team.id, { updatedAt: at });
          }),
        { team_members_open_uq: () => pe.studentInTeam() },
      );
      return view(row);
    },

    async removeMember(actor: Actor, id: string, studentId: string) {
      const team = await access.team(actor, id);
      access.requireManage(actor, team);
      requireOpen(team, 'remove_member');
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        await tx.teams.lock(team.id);
        const open = await tx.teams.openMembers(team.id);
        if (!open.some((m) => m.studentId === studentId)) throw pe.memberNotFound();
        if (team.status === 'active' && open.length - 1 < MIN_MEMBERS) throw pe.teamSize('too_small');
        const patch: Partial<TeamRow> = { updatedAt: at };
        if (team.leaderId === studentId) {
          if (team.status === 'active') throw pe.leaderRequired();
          patch.leaderId = null;
        }
        await tx.teams.leave(team.id, studentId, at);
        return tx.teams.update(team.id, patch);
      });
      return view(row);
    },

    async activate(actor: Actor, id: string) {
      const team = await access.team(actor, id);
      access.requireManage(actor, team);
      if (team.status !== 'forming') throw pe.invalidState('team', team.status, 'activate');
      const open = await repos.teams.openMembers(team.id);
      if (open.length < MIN_MEMBERS || open.length > MAX_MEMBERS) throw pe.teamSize('too_small');
      if (!team.leaderId) throw pe.leaderRequired();
      return view(await repos.teams.update(team.id, { status: 'active', updatedAt: deps.now() }));
    },

    async close(actor: Actor, id: string, reason: string) {
      const team = await access.team(actor, id);
      access.requireManage(actor, team);
      if (team.status === 'closed') throw pe.invalidState('team', team.status, 'close');
      const project = await repos.projects.byTeam(team.id);
      if (project && (project.status === 'active' || project.status === 'suspended')) throw pe.teamHasActiveProject();
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        await tx.teams.leave(team.id, undefined, at);
        return tx.teams.update(team.id, { status: 'closed', closeReason: reason, closedAt: at, updatedAt: at });
      });
      return view(row);
    },

    /** Is the caller an open member (apprentices' write rules R7, R20, R37, R42)? */
    isMember: (actor: Actor, teamId: string) => (isApprentice(actor) ? access.isOpenMember(actor, teamId) : Promise.resolve(false)),
  };
}

export type TeamsService = ReturnType<typeof createTeamsService>;
