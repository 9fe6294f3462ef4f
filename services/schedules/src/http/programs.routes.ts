/** P1–P5: programs (programas de formación). P6 (CSV) lives in imports.routes.ts. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { PageQuery, pageRequest, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import { WRITERS } from '../application/context.ts';
import type { createProgramsService } from '../application/programs.service.ts';
import { actorOf, AuditFields, IdParams, ListEnvelope, listReply, Nullable, Security, selfLink, Uuid } from './common.ts';

export const ProgramLevel = Type.Union(['TECNICO', 'TECNOLOGO', 'ESPECIALIZACION', 'COMPLEMENTARIO', 'CURSO_CORTO'].map((t) => Type.Literal(t)));
export const ProgramSchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  level: Type.String(),
  duration_months: Type.Integer(),
  quarters: Nullable(Type.Integer()),
  description: Nullable(Type.String()),
  is_active: Type.Boolean(),
  ...AuditFields,
});
const Fields = {
  code: Type.String({ minLength: 2, maxLength: 20, pattern: '^\\s*[A-Za-z0-9_-]+\\s*$' }),
  name: Type.String({ minLength: 3, maxLength: 200 }),
  level: ProgramLevel,
  duration_months: Type.Integer({ minimum: 1, maximum: 60 }),
  quarters: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 12 }))),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
};
const CreateBody = Type.Object(Fields, { additionalProperties: false });
const UpdateBody = Type.Object(
  {
    code: Type.Optional(Fields.code),
    name: Type.Optional(Fields.name),
    level: Type.Optional(Fields.level),
    duration_months: Type.Optional(Fields.duration_months),
    quarters: Fields.quarters,
    description: Fields.description,
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
const ListQuery = Type.Object(
  { ...PageQuery, level: Type.Optional(ProgramLevel), is_active: Type.Optional(Type.Boolean()), search: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), sort: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
const tags = ['programs'];

export function programsRoutes(app: App, opts: { programs: ReturnType<typeof createProgramsService> }) {
  const svc = opts.programs;
  app.get(
    '/api/v1/programs',
    { preHandler: requireAuth(), schema: { summary: 'P1 List programs', description: 'Programas de formación.', tags, security: Security, querystring: ListQuery, response: { 200: ListEnvelope(ProgramSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query;
      const sort = parseSort(q.sort, ['code', 'name'] as const, { field: 'code', direction: 'asc' });
      const { items, total } = await svc.list(q, sort, pageRequest(q));
      return listReply(request, '/api/v1/programs', q, items, total);
    },
  );
  app.post(
    '/api/v1/programs',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'P2 Create a program', description: 'Code unique (R1).', tags, security: Security, body: CreateBody, response: { 201: Envelope(ProgramSchema), ...errorResponses(401, 403, 409, 422) } } },
    async (request, reply) => {
      const data = await svc.create(request.body, actorOf(request));
      return reply.code(201).send(ok(request, data, { message: 'Programa creado', links: selfLink(`/api/v1/programs/${data.id}`) }));
    },
  );
  app.get(
    '/api/v1/programs/:id',
    { preHandler: requireAuth(), schema: { summary: 'P3 Get a program', description: 'With its active ficha count.', tags, security: Security, params: IdParams, response: { 200: Envelope(Type.Object({ ...ProgramSchema.properties, active_group_count: Type.Integer() })), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => ok(request, await svc.get(request.params.id), { links: selfLink(`/api/v1/programs/${request.params.id}`) }),
  );
  app.patch(
    '/api/v1/programs/:id',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'P4 Update a program', description: 'Deactivation only without active fichas (R3).', tags, security: Security, params: IdParams, body: UpdateBody, response: { 200: Envelope(ProgramSchema), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => ok(request, await svc.update(request.params.id, request.body, actorOf(request)), { message: 'Programa actualizado' }),
  );
  app.delete(
    '/api/v1/programs/:id',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'P5 Delete a program', description: 'Only a program without fichas (R4).', tags, security: Security, params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => {
      await svc.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
}
