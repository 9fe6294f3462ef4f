/** V1–V6: venues (ambientes) and free-venue search. V7 (CSV) lives in imports.routes.ts. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, PERSONNEL, roleGroup } from '@sicora/platform/roles';
import { IdParams } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { VenuesService } from '../application/venues.service.ts';
import { ListEnvelope, Security } from './common.schemas.ts';
import { actorOf, listReply, selfLink } from './common.ts';
import { AvailabilityQuery, VENUE_SORT, VenueCreateBody, VenueListQuery, VenueSchema, VenueUpdateBody } from './venues.schemas.ts';

export interface VenuesRoutesOptions {
  venues: VenuesService;
}

const tags = ['venues'];

export const venuesRoutes: RoutesPlugin<VenuesRoutesOptions> = async (app, { venues }) => {
  app.get(
    '/api/v1/venues',
    { preHandler: requireAuth(), schema: { summary: 'V1 List venues', description: 'Ambientes with their campus.', tags, security: Security, querystring: VenueListQuery, response: { 200: ListEnvelope(VenueSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query;
      const sort = parseSort(q.sort, VENUE_SORT, { field: 'code', direction: 'asc' });
      const { items, total } = await venues.list(q, sort, pageRequest(q));
      return listReply(request, '/api/v1/venues', q, items, total);
    },
  );
  app.get(
    '/api/v1/venues/availability',
    {
      preHandler: requireAuth({ roles: roleGroup(PERSONNEL, 'service') }),
      schema: { summary: 'V6 Free venues', description: 'Active venues with no VENUE conflict (R13) for a weekly slot between two dates (≤ 366 days).', tags, security: Security, querystring: AvailabilityQuery, response: { 200: Envelope(Type.Array(VenueSchema)), ...errorResponses(401, 403, 422) } },
    },
    async (request) => ok(request, await venues.availability(request.query)),
  );
  app.post(
    '/api/v1/venues',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'V2 Create a venue', description: 'Code unique across the centre (R1); campus must exist and be active (R2).', tags, security: Security, body: VenueCreateBody, response: { 201: Envelope(VenueSchema), ...errorResponses(401, 403, 409, 422) } } },
    async (request, reply) => {
      const data = await venues.create(request.body, actorOf(request));
      return reply.code(201).send(ok(request, data, { message: 'Ambiente creado', links: selfLink(`/api/v1/venues/${data.id}`) }));
    },
  );
  app.get(
    '/api/v1/venues/:id',
    { preHandler: requireAuth(), schema: { summary: 'V3 Get a venue', description: 'One ambiente.', tags, security: Security, params: IdParams, response: { 200: Envelope(VenueSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => ok(request, await venues.get(request.params.id), { links: selfLink(`/api/v1/venues/${request.params.id}`) }),
  );
  app.patch(
    '/api/v1/venues/:id',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'V4 Update a venue', description: 'Deactivation only when no ACTIVE entry still runs (R3).', tags, security: Security, params: IdParams, body: VenueUpdateBody, response: { 200: Envelope(VenueSchema), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => ok(request, await venues.update(request.params.id, request.body, actorOf(request)), { message: 'Ambiente actualizado' }),
  );
  app.delete(
    '/api/v1/venues/:id',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'V5 Delete a venue', description: 'Only a venue never used by an entry or exception (R4).', tags, security: Security, params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => {
      await venues.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
};
