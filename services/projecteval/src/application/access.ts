/**
 * Object-level rules of §2: O1 (apprentices see only their own teams' objects, others are 404), O2 (the
 * advisor's rights cover everything under their teams) and the loaders every use case starts from.
 */
import { pe } from '../domain/errors.ts';
import { isApprentice, isCoordination, isInstructor, type Actor, type Deps } from './context.ts';
import type { DeliverableRow, ProjectRow, SubmissionRow, TeamRow } from './ports.ts';

export function createAccess(deps: Deps) {
  const { repos } = deps;
  const access = {
    /** O1: the apprentice's teams (ever); undefined for everyone else (no filter). */
    async scope(actor: Actor): Promise<string[] | undefined> {
      return isApprentice(actor) ? repos.teams.teamIdsOf(actor.sub) : undefined;
    },
    isAdvisor: (actor: Actor, team: TeamRow) => isInstructor(actor) && team.advisorId === actor.sub,
    /** O2: coordination or the team's advisor; else 403. */
    canManage: (actor: Actor, team: TeamRow) => isCoordination(actor) || access.isAdvisor(actor, team),
    requireManage(actor: Actor, team: TeamRow) {
      if (!access.canManage(actor, team)) throw pe.forbidden();
    },
    async isOpenMember(actor: Actor, teamId: string): Promise<boolean> {
      if (!isApprentice(actor)) return false;
      const open = await repos.teams.openMembers(teamId);
      return open.some((m) => m.studentId === actor.sub);
    },
    async team(actor: Actor, id: string): Promise<TeamRow> {
      const team = await repos.teams.byId(id);
      if (!team) throw pe.teamNotFound();
      if (isApprentice(actor) && !(await repos.teams.teamIdsOf(actor.sub)).includes(team.id)) throw pe.teamNotFound();
      return team;
    },
    async project(actor: Actor, id: string): Promise<{ project: ProjectRow; team: TeamRow }> {
      const project = await repos.projects.byId(id);
      if (!project) throw pe.projectNotFound();
      const team = (await repos.teams.byId(project.teamId))!;
      if (isApprentice(actor) && !(await repos.teams.teamIdsOf(actor.sub)).includes(team.id)) throw pe.projectNotFound();
      return { project, team };
    },
    async deliverable(actor: Actor, id: string): Promise<{ deliverable: DeliverableRow; project: ProjectRow; team: TeamRow }> {
      const deliverable = await repos.deliverables.byId(id);
      if (!deliverable) throw pe.deliverableNotFound();
      const project = (await repos.projects.byId(deliverable.projectId))!;
      const team = (await repos.teams.byId(project.teamId))!;
      if (isApprentice(actor) && !(await repos.teams.teamIdsOf(actor.sub)).includes(team.id)) throw pe.deliverableNotFound();
      return { deliverable, project, team };
    },
    async submission(actor: Actor, id: string): Promise<{ submission: SubmissionRow; deliverable: DeliverableRow; project: ProjectRow; team: TeamRow }> {
      const submission = await repos.submissions.byId(id);
      if (!submission) throw pe.submissionNotFound();
      const team = (await repos.teams.byId(submission.teamId))!;
      if (isApprentice(actor) && !(await repos.teams.teamIdsOf(actor.sub)).includes(team.id)) throw pe.submissionNotFound();
      const deliverable = (await repos.deliverables.byId(submission.deliverableId))!;
      const project = (await repos.projects.byId(submission.projectId))!;
      return { submission, deliverable, project, team };
    },
  };
  return access;
}

export type Access = ReturnType<typeof createAccess>;
