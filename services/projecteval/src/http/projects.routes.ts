/** P16–P26: projects, scope history and lock, status; stakeholders. */
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, EVERYONE, PERSONNEL, roleGroup } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { ProjectsService } from '../application/projects.service.ts';
import type { StakeholdersService } from '../application/stakeholders.service.ts';
import { ListEnvelope, Params, Security } from './common.schemas.ts';
import { actorOf, listReply, sortOf } from './common.ts';
import {
  ProjectCreateBody, ProjectListQuery, ProjectPatchBody, ProjectSchema, ProjectStatusBody, ScopeChangeSchema, ScopeHistoryQuery, ScopeLockBody,
  StakeholderCreateBody, StakeholderDetail, StakeholderListQuery, StakeholderPatchBody, StakeholderSchema,
} from './projects.schemas.ts';

export interface ProjectsRoutesOptions {
  projects: ProjectsService;
  stakeholders: StakeholdersService;
}

const BASE = '/api/v1/projecteval';
const MANAGERS = roleGroup(COORDINATION, 'instructor');

export const projectsRoutes: RoutesPlugin<ProjectsRoutesOptions> = async (app, { projects, stakeholders }) => {
  const P = { security: Security, tags: ['projects'] };
  const Reply = { 200: Envelope(ProjectSchema), ...errorResponses(404, 409, 503) };

  app.get(`${BASE}/projects`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...P, summary: 'P16 List projects', description: 'O1 for apprentices.', querystring: ProjectListQuery, response: { 200: ListEnvelope(ProjectSchema), ...errorResponses(503) } } }, async (request) => {
    const q = request.query;
    const s = sortOf<'title' | 'created_at'>(q.sort, '-created_at');
    const { items, total } = await projects.list(actorOf(request), q, s.field, s.dir, pageRequest(q));
    return listReply(request, `${BASE}/projects`, q, items, total);
  });

  app.post(`${BASE}/projects`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...P, summary: 'P17 Create a project', description: 'From the team\'s approved idea, by its advisor or coordination (R11). intellectual_property_owner is always SENA.', body: ProjectCreateBody, response: { 201: Envelope(ProjectSchema), ...errorResponses(404, 409) } } }, async (request, reply) =>
    reply.code(201).send(ok(request, await projects.create(actorOf(request), request.body), { message: 'Proyecto creado' })),
  );

  app.get(`${BASE}/projects/:project_id`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...P, summary: 'P18 Read a project', description: 'Apprentices see only name, type, sector and website of the stakeholder (R15).', params: Params.project, response: Reply } }, async (request) =>
    ok(request, await projects.get(actorOf(request), request.params.project_id)),
  );

  app.patch(`${BASE}/projects/:project_id`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...P, summary: 'P19 Edit a project', description: 'Scope fields change the scope version (R12); while locked they are refused with SCOPE_LOCKED.', params: Params.project, body: ProjectPatchBody, response: Reply } }, async (request) =>
    ok(request, await projects.update(actorOf(request), request.params.project_id, request.body), { message: 'Proyecto actualizado' }),
  );

  app.post(`${BASE}/projects/:project_id/status`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...P, summary: 'P20 Change a project\'s status', description: 'completed needs every deliverable published; completed and cancelled close the team and withdraw open change requests (R14).', params: Params.project, body: ProjectStatusBody, response: Reply } }, async (request) =>
    ok(request, await projects.setStatus(actorOf(request), request.params.project_id, request.body), { message: 'Estado actualizado' }),
  );

  app.put(`${BASE}/projects/:project_id/scope-lock`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...P, summary: 'P21 Lock or unlock the scope', description: 'R13; the team is notified.', params: Params.project, body: ScopeLockBody, response: Reply } }, async (request) =>
    ok(request, await projects.scopeLock(actorOf(request), request.params.project_id, request.body), { message: request.body.locked ? 'Alcance bloqueado' : 'Alcance desbloqueado' }),
  );

  app.get(`${BASE}/projects/:project_id/scope-history`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...P, summary: 'P22 Scope history', description: 'One row per applied scope change, newest first.', params: Params.project, querystring: ScopeHistoryQuery, response: { 200: ListEnvelope(ScopeChangeSchema), ...errorResponses(404) } } }, async (request) => {
    const { items, total } = await projects.scopeHistory(actorOf(request), request.params.project_id, pageRequest(request.query));
    return listReply(request, `${BASE}/projects/${request.params.project_id}/scope-history`, request.query, items, total);
  });

  const S = { security: Security, tags: ['stakeholders'] };
  const READERS = roleGroup(PERSONNEL, 'service');

  app.get(`${BASE}/stakeholders`, { preHandler: requireAuth({ roles: READERS }), schema: { ...S, summary: 'P23 List stakeholders', querystring: StakeholderListQuery, response: { 200: ListEnvelope(StakeholderSchema) } } }, async (request) => {
    const { items, total } = await stakeholders.list(request.query, pageRequest(request.query));
    return listReply(request, `${BASE}/stakeholders`, request.query, items, total);
  });

  app.post(`${BASE}/stakeholders`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...S, summary: 'P24 Register a stakeholder', description: 'Names are unique case-insensitively (R15).', body: StakeholderCreateBody, response: { 201: Envelope(StakeholderSchema), ...errorResponses(409) } } }, async (request, reply) =>
    reply.code(201).send(ok(request, await stakeholders.create(actorOf(request), request.body), { message: 'Aliado registrado' })),
  );

  app.get(`${BASE}/stakeholders/:stakeholder_id`, { preHandler: requireAuth({ roles: READERS }), schema: { ...S, summary: 'P25 Read a stakeholder', description: 'With its projects and change request counts.', params: Params.stakeholder, response: { 200: Envelope(StakeholderDetail), ...errorResponses(404) } } }, async (request) =>
    ok(request, await stakeholders.get(request.params.stakeholder_id)),
  );

  app.patch(`${BASE}/stakeholders/:stakeholder_id`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...S, summary: 'P26 Edit a stakeholder', description: 'Never deleted: set status inactive (R15).', params: Params.stakeholder, body: StakeholderPatchBody, response: { 200: Envelope(StakeholderSchema), ...errorResponses(404, 409) } } }, async (request) =>
    ok(request, await stakeholders.update(request.params.stakeholder_id, request.body), { message: 'Aliado actualizado' }),
  );
};
