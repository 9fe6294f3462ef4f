/** C1–C5: campuses (sedes). */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { PageQuery, pageRequest, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import { WRITERS } from '../application/context.ts';
import type { createCampusesService } from '../application/campuses.service.ts';
import { actorOf, AuditFields, IdParams, ListEnvelope, listReply, Nullable, Security, selfLink, Uuid } from './common.ts';

const CodeSchema = Type.String({ minLength: 2, maxLength: 20, pattern: '^\\s*[A-Za-z0-9_-]+\\s*$' });
export const CampusSchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  address: Nullable(Type.String()),
  city: Type.String(),
  is_active: Type.Boolean(),
  ...AuditFields,
});
const CampusDetail = Type.Object({ ...CampusSchema.properties, venue_count: Type.Integer(), group_count: Type.Integer() });
const CreateBody = Type.Object(
  {
    code: CodeSchema,
    name: Type.String({ minLength: 2, maxLength: 100 }),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    city: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(
  {
    code: Type.Optional(CodeSchema),
    name: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    city: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
const ListQuery = Type.Object(
  {
    ...PageQuery,
    is_active: Type.Optional(Type.Boolean()),
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    city: Type.Optional(Type.String({ maxLength: 60 })),
    sort: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
const tags = ['campuses'];

export function campusesRoutes(app: App, opts: { campuses: ReturnType<typeof createCampusesService> }) {
  const svc = opts.campuses;
  app.get(
    '/api/v1/campuses',
    {
      preHandler: requireAuth(),
      schema: { summary: 'C1 List campuses', description: 'Sedes, filtered and paginated.', tags, security: Security, querystring: ListQuery, response: { 200: ListEnvelope(CampusSchema), ...errorResponses(401, 403, 422) } },
    },
    async (request) => {
      const q = request.query;
      const sort = parseSort(q.sort, ['code', 'name', 'created_at'] as const, { field: 'code', direction: 'asc' });
      const page = pageRequest(q);
      const { items, total } = await svc.list(q, sort, page);
      return listReply(request, '/api/v1/campuses', q, items, total);
    },
  );
  app.post(
    '/api/v1/campuses',
    {
      preHandler: requireAuth({ roles: WRITERS }),
      schema: { summary: 'C2 Create a campus', description: 'Code trimmed and upper-cased (R1).', tags, security: Security, body: CreateBody, response: { 201: Envelope(CampusSchema), ...errorResponses(401, 403, 409, 422) } },
    },
    async (request, reply) => {
      const data = await svc.create(request.body, actorOf(request));
      return reply.code(201).send(ok(request, data, { message: 'Sede creada', links: selfLink(`/api/v1/campuses/${data.id}`) }));
    },
  );
  app.get(
    '/api/v1/campuses/:id',
    {
      preHandler: requireAuth(),
      schema: { summary: 'C3 Get a campus', description: 'With venue and ficha counts.', tags, security: Security, params: IdParams, response: { 200: Envelope(CampusDetail), ...errorResponses(401, 403, 404, 422) } },
    },
    async (request) => ok(request, await svc.get(request.params.id), { links: selfLink(`/api/v1/campuses/${request.params.id}`) }),
  );
  app.patch(
    '/api/v1/campuses/:id',
    {
      preHandler: requireAuth({ roles: WRITERS }),
      schema: { summary: 'C4 Update a campus', description: 'Deactivation only without active venues or fichas (R3).', tags, security: Security, params: IdParams, body: UpdateBody, response: { 200: Envelope(CampusSchema), ...errorResponses(401, 403, 404, 409, 422) } },
    },
    async (request) => ok(request, await svc.update(request.params.id, request.body, actorOf(request)), { message: 'Sede actualizada' }),
  );
  app.delete(
    '/api/v1/campuses/:id',
    {
      preHandler: requireAuth({ roles: WRITERS }),
      schema: { summary: 'C5 Delete a campus', description: 'Only without venues and fichas (R4).', tags, security: Security, params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } },
    },
    async (request, reply) => {
      await svc.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
}
