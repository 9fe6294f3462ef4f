/** P1–P5: programs (programas de formación). P6 (CSV) lives in imports.routes.ts. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION } from '@sicora/platform/roles';
import { IdParams } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { ProgramsService } from '../application/programs.service.ts';
import { ListEnvelope, Security } from './common.schemas.ts';
import { actorOf, listReply, selfLink } from './common.ts';
import { PROGRAM_SORT, ProgramCreateBody, ProgramDetailSchema, ProgramListQuery, ProgramSchema, ProgramUpdateBody } from './programs.schemas.ts';

export interface ProgramsRoutesOptions {
  programs: ProgramsService;
}

const tags = ['programs'];

export const programsRoutes: RoutesPlugin<ProgramsRoutesOptions> = async (app, { programs }) => {
  app.get(
    '/api/v1/programs',
    { preHandler: requireAuth(), schema: { summary: 'P1 List programs', description: 'Programas de formación.', tags, security: Security, querystring: ProgramListQuery, response: { 200: ListEnvelope(ProgramSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query;
      const sort = parseSort(q.sort, PROGRAM_SORT, { field: 'code', direction: 'asc' });
      const { items, total } = await programs.list(q, sort, pageRequest(q));
      return listReply(request, '/api/v1/programs', q, items, total);
    },
  );
  app.post(
    '/api/v1/programs',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'P2 Create a program', description: 'Code unique (R1).', tags, security: Security, body: ProgramCreateBody, response: { 201: Envelope(ProgramSchema), ...errorResponses(401, 403, 409, 422) } } },
    async (request, reply) => {
      const data = await programs.create(request.body, actorOf(request));
      return reply.code(201).send(ok(request, data, { message: 'Programa creado', links: selfLink(`/api/v1/programs/${data.id}`) }));
    },
  );
  app.get(
    '/api/v1/programs/:id',
    { preHandler: requireAuth(), schema: { summary: 'P3 Get a program', description: 'With its active ficha count.', tags, security: Security, params: IdParams, response: { 200: Envelope(ProgramDetailSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => ok(request, await programs.get(request.params.id), { links: selfLink(`/api/v1/programs/${request.params.id}`) }),
  );
  app.patch(
    '/api/v1/programs/:id',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'P4 Update a program', description: 'Deactivation only without active fichas (R3).', tags, security: Security, params: IdParams, body: ProgramUpdateBody, response: { 200: Envelope(ProgramSchema), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => ok(request, await programs.update(request.params.id, request.body, actorOf(request)), { message: 'Programa actualizado' }),
  );
  app.delete(
    '/api/v1/programs/:id',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'P5 Delete a program', description: 'Only a program without fichas (R4).', tags, security: Security, params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => {
      await programs.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
};
