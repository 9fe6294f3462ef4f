/** V1–V6: venues (ambientes) and free-venue search. V7 (CSV) lives in imports.routes.ts. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { PageQuery, pageRequest, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import { WRITERS } from '../application/context.ts';
import type { createVenuesService } from '../application/venues.service.ts';
import { actorOf, AuditFields, IdParams, ListEnvelope, listReply, LocalDate, LocalTime, Nullable, Ref, Security, selfLink, Uuid } from './common.ts';

const VenueType = Type.Union(['AULA', 'LABORATORIO', 'TALLER', 'AUDITORIO', 'BIBLIOTECA'].map((t) => Type.Literal(t)));
export const VenueSchema = Type.Object({
  id: Uuid,
  campus_id: Uuid,
  campus: Ref,
  code: Type.String(),
  name: Type.String(),
  type: Type.String(),
  capacity: Type.Integer(),
  floor: Nullable(Type.String()),
  building: Nullable(Type.String()),
  equipment: Nullable(Type.String()),
  is_active: Type.Boolean(),
  ...AuditFields,
});
const Fields = {
  campus_id: Uuid,
  code: Type.String({ minLength: 1, maxLength: 20, pattern: '^\\s*[A-Za-z0-9_-]+\\s*$' }),
  name: Type.String({ minLength: 2, maxLength: 100 }),
  type: VenueType,
  capacity: Type.Integer({ minimum: 1, maximum: 500 }),
  floor: Type.Optional(Nullable(Type.String({ maxLength: 10 }))),
  building: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  equipment: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
};
const CreateBody = Type.Object(Fields, { additionalProperties: false });
const UpdateBody = Type.Object(
  {
    campus_id: Type.Optional(Fields.campus_id),
    code: Type.Optional(Fields.code),
    name: Type.Optional(Fields.name),
    type: Type.Optional(Fields.type),
    capacity: Type.Optional(Fields.capacity),
    floor: Fields.floor,
    building: Fields.building,
    equipment: Fields.equipment,
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
const ListQuery = Type.Object(
  {
    ...PageQuery,
    campus_id: Type.Optional(Uuid),
    type: Type.Optional(VenueType),
    min_capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    is_active: Type.Optional(Type.Boolean()),
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    sort: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
const AvailabilityQuery = Type.Object(
  {
    day_of_week: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
    start_time: Type.Optional(LocalTime),
    end_time: Type.Optional(LocalTime),
    blocks: Type.Optional(Type.String({ maxLength: 20 })),
    date_from: LocalDate,
    date_to: LocalDate,
    campus_id: Type.Optional(Uuid),
    type: Type.Optional(VenueType),
    min_capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
const tags = ['venues'];

export function venuesRoutes(app: App, opts: { venues: ReturnType<typeof createVenuesService> }) {
  const svc = opts.venues;
  app.get(
    '/api/v1/venues',
    { preHandler: requireAuth(), schema: { summary: 'V1 List venues', description: 'Ambientes with their campus.', tags, security: Security, querystring: ListQuery, response: { 200: ListEnvelope(VenueSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query;
      const sort = parseSort(q.sort, ['code', 'name', 'capacity'] as const, { field: 'code', direction: 'asc' });
      const { rows, total } = await svc.list(q, sort, pageRequest(q));
      return listReply(request, '/api/v1/venues', q, rows, total);
    },
  );
  app.get(
    '/api/v1/venues/availability',
    {
      preHandler: requireAuth({ roles: ['admin', 'coordinador', 'administrativo', 'instructor', 'service'] }),
      schema: { summary: 'V6 Free venues', description: 'Active venues with no VENUE conflict (R13) for a weekly slot between two dates (≤ 366 days).', tags, security: Security, querystring: AvailabilityQuery, response: { 200: Envelope(Type.Array(VenueSchema)), ...errorResponses(401, 403, 422) } },
    },
    async (request) => ok(request, await svc.availability(request.query)),
  );
  app.post(
    '/api/v1/venues',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'V2 Create a venue', description: 'Code unique across the centre (R1); campus must exist and be active (R2).', tags, security: Security, body: CreateBody, response: { 201: Envelope(VenueSchema), ...errorResponses(401, 403, 409, 422) } } },
    async (request, reply) => {
      const data = await svc.create(request.body, actorOf(request));
      return reply.code(201).send(ok(request, data, { message: 'Ambiente creado', links: selfLink(`/api/v1/venues/${data.id}`) }));
    },
  );
  app.get(
    '/api/v1/venues/:id',
    { preHandler: requireAuth(), schema: { summary: 'V3 Get a venue', description: 'One ambiente.', tags, security: Security, params: IdParams, response: { 200: Envelope(VenueSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => ok(request, await svc.get(request.params.id), { links: selfLink(`/api/v1/venues/${request.params.id}`) }),
  );
  app.patch(
    '/api/v1/venues/:id',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'V4 Update a venue', description: 'Deactivation only when no ACTIVE entry still runs (R3).', tags, security: Security, params: IdParams, body: UpdateBody, response: { 200: Envelope(VenueSchema), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => ok(request, await svc.update(request.params.id, request.body, actorOf(request)), { message: 'Ambiente actualizado' }),
  );
  app.delete(
    '/api/v1/venues/:id',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'V5 Delete a venue', description: 'Only a venue never used by an entry or exception (R4).', tags, security: Security, params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => {
      await svc.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
}
