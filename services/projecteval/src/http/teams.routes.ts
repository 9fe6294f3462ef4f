/** P1–P15: teams, their composition, and project ideas. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, EVERYONE, roleGroup } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { IdeasService } from '../application/ideas.service.ts';
import type { TeamsService } from '../application/teams.service.ts';
import { ListEnvelope, Params, Security } from './common.schemas.ts';
import { actorOf, listReply, sortOf } from './common.ts';
import { CloseBody, IdeaCreateBody, IdeaDecisionBody, IdeaListQuery, IdeaPatchBody, IdeaSchema, MemberBody, TeamCreateBody, TeamListQuery, TeamPatchBody, TeamSchema } from './teams.schemas.ts';

export interface TeamsRoutesOptions {
  teams: TeamsService;
  ideas: IdeasService;
}

const BASE = '/api/v1/projecteval';
const MANAGERS = roleGroup(COORDINATION, 'instructor');
const PROPOSERS = roleGroup(COORDINATION, 'instructor', 'aprendiz');

export const teamsRoutes: RoutesPlugin<TeamsRoutesOptions> = async (app, { teams, ideas }) => {
  const tags = ['teams'];
  const T = { security: Security, tags };
  const TeamReply = { 200: Envelope(TeamSchema), ...errorResponses(404, 409, 503) };

  app.get(`${BASE}/teams`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...T, summary: 'P1 List teams', description: 'Apprentices see only their own teams (O1).', querystring: TeamListQuery, response: { 200: ListEnvelope(TeamSchema), ...errorResponses(503) } } }, async (request) => {
    const q = request.query;
    const s = sortOf<'name' | 'created_at'>(q.sort, 'name');
    const { items, total } = await teams.list(actorOf(request), q, s.field, s.dir, pageRequest(q));
    return listReply(request, `${BASE}/teams`, q, items, total);
  });

  app.post(`${BASE}/teams`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...T, summary: 'P2 Create a team', description: 'Instructors create teams in fichas they teach and become the advisor (R3); admin and coordinador name the advisor. Members are apprentices of the ficha in no other open team (R2), at most 5 (R1).', body: TeamCreateBody, response: { 201: Envelope(TeamSchema), ...errorResponses(409, 503) } } }, async (request, reply) => {
    return reply.code(201).send(ok(request, await teams.create(actorOf(request), request.body), { message: 'Equipo creado' }));
  });

  app.get(`${BASE}/teams/:team_id`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...T, summary: 'P3 Read a team', params: Params.team, response: TeamReply } }, async (request) => ok(request, await teams.get(actorOf(request), request.params.team_id)));

  app.patch(`${BASE}/teams/:team_id`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...T, summary: 'P4 Edit a team', description: 'Advisor or coordination; only admin and coordinador change the advisor (R3).', params: Params.team, body: TeamPatchBody, response: TeamReply } }, async (request) =>
    ok(request, await teams.update(actorOf(request), request.params.team_id, request.body), { message: 'Equipo actualizado' }),
  );

  app.delete(`${BASE}/teams/:team_id`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...T, summary: 'P5 Delete a team', description: 'Only a forming team without ideas (R6).', params: Params.team, response: { 204: Type.Null(), ...errorResponses(404, 409) } } }, async (request, reply) => {
    await teams.remove(actorOf(request), request.params.team_id);
    return reply.code(204).send(null);
  });

  app.post(`${BASE}/teams/:team_id/members`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...T, summary: 'P6 Add a member', description: 'R1, R2.', params: Params.team, body: MemberBody, response: TeamReply } }, async (request) =>
    ok(request, await teams.addMember(actorOf(request), request.params.team_id, request.body), { message: 'Integrante agregado' }),
  );

  app.delete(`${BASE}/teams/:team_id/members/:student_id`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...T, summary: 'P7 Remove a member', description: 'An active team keeps 3 members and its leader (R1, R4).', params: Params.teamMember, response: TeamReply } }, async (request) =>
    ok(request, await teams.removeMember(actorOf(request), request.params.team_id, request.params.student_id), { message: 'Integrante retirado' }),
  );

  app.post(`${BASE}/teams/:team_id/activate`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...T, summary: 'P8 Activate a team', description: '3–5 members and a leader (R5).', params: Params.team, response: TeamReply } }, async (request) =>
    ok(request, await teams.activate(actorOf(request), request.params.team_id), { message: 'Equipo activado' }),
  );

  app.post(`${BASE}/teams/:team_id/close`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...T, summary: 'P9 Close a team', description: 'No project in course (R6); every open membership ends.', params: Params.team, body: CloseBody, response: TeamReply } }, async (request) =>
    ok(request, await teams.close(actorOf(request), request.params.team_id, request.body.reason), { message: 'Equipo cerrado' }),
  );

  const I = { security: Security, tags: ['ideas'] };
  const IdeaReply = { 200: Envelope(IdeaSchema), ...errorResponses(404, 409, 503) };

  app.get(`${BASE}/ideas`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...I, summary: 'P10 List ideas', description: 'O1 for apprentices.', querystring: IdeaListQuery, response: { 200: ListEnvelope(IdeaSchema), ...errorResponses(503) } } }, async (request) => {
    const q = request.query;
    const s = sortOf<'created_at' | 'title'>(q.sort, '-created_at');
    const { items, total } = await ideas.list(actorOf(request), q, s.field, s.dir, pageRequest(q));
    return listReply(request, `${BASE}/ideas`, q, items, total);
  });

  app.post(`${BASE}/teams/:team_id/ideas`, { preHandler: requireAuth({ roles: PROPOSERS }), schema: { ...I, summary: 'P11 Propose an idea', description: 'Members of the active team, its advisor or coordination; ≤ 10 ideas, none after an approval (R7).', params: Params.team, body: IdeaCreateBody, response: { 201: Envelope(IdeaSchema), ...errorResponses(404, 409) } } }, async (request, reply) =>
    reply.code(201).send(ok(request, await ideas.create(actorOf(request), request.params.team_id, request.body), { message: 'Idea registrada' })),
  );

  app.get(`${BASE}/ideas/:idea_id`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...I, summary: 'P12 Read an idea', params: Params.idea, response: IdeaReply } }, async (request) => ok(request, await ideas.get(actorOf(request), request.params.idea_id)));

  app.patch(`${BASE}/ideas/:idea_id`, { preHandler: requireAuth({ roles: PROPOSERS }), schema: { ...I, summary: 'P13 Edit an idea', description: 'While proposed or revision_requested; a revised idea returns to proposed (R8).', params: Params.idea, body: IdeaPatchBody, response: IdeaReply } }, async (request) =>
    ok(request, await ideas.update(actorOf(request), request.params.idea_id, request.body), { message: 'Idea actualizada' }),
  );

  app.post(`${BASE}/ideas/:idea_id/decision`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...I, summary: 'P14 Decide an idea', description: 'approve (viability_score, ≥ 3 ideas), reject or request_revision (feedback) (R9).', params: Params.idea, body: IdeaDecisionBody, response: IdeaReply } }, async (request) =>
    ok(request, await ideas.decide(actorOf(request), request.params.idea_id, request.body), { message: 'Decisión registrada' }),
  );

  app.post(`${BASE}/ideas/:idea_id/withdraw`, { preHandler: requireAuth({ roles: PROPOSERS }), schema: { ...I, summary: 'P15 Withdraw an idea', description: 'Team members or the advisor (R10).', params: Params.idea, response: IdeaReply } }, async (request) =>
    ok(request, await ideas.withdraw(actorOf(request), request.params.idea_id), { message: 'Idea retirada' }),
  );
};
