/** C1–C5: campuses (sedes). */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION } from '@sicora/platform/roles';
import { IdParams } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { CampusesService } from '../application/campuses.service.ts';
import { CAMPUS_SORT, CampusCreateBody, CampusDetailSchema, CampusListQuery, CampusSchema, CampusUpdateBody } from './campuses.schemas.ts';
import { ListEnvelope, Security } from './common.schemas.ts';
import { actorOf, listReply, selfLink } from './common.ts';

export interface CampusesRoutesOptions {
  campuses: CampusesService;
}

const tags = ['campuses'];

export const campusesRoutes: RoutesPlugin<CampusesRoutesOptions> = async (app, { campuses }) => {
  app.get(
    '/api/v1/campuses',
    {
      preHandler: requireAuth(),
      schema: { summary: 'C1 List campuses', description: 'Sedes, filtered and paginated.', tags, security: Security, querystring: CampusListQuery, response: { 200: ListEnvelope(CampusSchema), ...errorResponses(401, 403, 422) } },
    },
    async (request) => {
      const q = request.query;
      const sort = parseSort(q.sort, CAMPUS_SORT, { field: 'code', direction: 'asc' });
      const { items, total } = await campuses.list(q, sort, pageRequest(q));
      return listReply(request, '/api/v1/campuses', q, items, total);
    },
  );
  app.post(
    '/api/v1/campuses',
    {
      preHandler: requireAuth({ roles: COORDINATION }),
      schema: { summary: 'C2 Create a campus', description: 'Code trimmed and upper-cased (R1).', tags, security: Security, body: CampusCreateBody, response: { 201: Envelope(CampusSchema), ...errorResponses(401, 403, 409, 422) } },
    },
    async (request, reply) => {
      const data = await campuses.create(request.body, actorOf(request));
      return reply.code(201).send(ok(request, data, { message: 'Sede creada', links: selfLink(`/api/v1/campuses/${data.id}`) }));
    },
  );
  app.get(
    '/api/v1/campuses/:id',
    {
      preHandler: requireAuth(),
      schema: { summary: 'C3 Get a campus', description: 'With venue and ficha counts.', tags, security: Security, params: IdParams, response: { 200: Envelope(CampusDetailSchema), ...errorResponses(401, 403, 404, 422) } },
    },
    async (request) => ok(request, await campuses.get(request.params.id), { links: selfLink(`/api/v1/campuses/${request.params.id}`) }),
  );
  app.patch(
    '/api/v1/campuses/:id',
    {
      preHandler: requireAuth({ roles: COORDINATION }),
      schema: { summary: 'C4 Update a campus', description: 'Deactivation only without active venues or fichas (R3).', tags, security: Security, params: IdParams, body: CampusUpdateBody, response: { 200: Envelope(CampusSchema), ...errorResponses(401, 403, 404, 409, 422) } },
    },
    async (request) => ok(request, await campuses.update(request.params.id, request.body, actorOf(request)), { message: 'Sede actualizada' }),
  );
  app.delete(
    '/api/v1/campuses/:id',
    {
      preHandler: requireAuth({ roles: COORDINATION }),
      schema: { summary: 'C5 Delete a campus', description: 'Only without venues and fichas (R4).', tags, security: Security, params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } },
    },
    async (request, reply) => {
      await campuses.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
};
