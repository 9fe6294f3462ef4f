/** K1–K5: shifts, blocks and non-teaching days. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { COORDINATION } from '@sicora/platform/roles';
import { IdParams } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { CalendarService } from '../application/calendar.service.ts';
import { BlocksQuery, BlocksSchema, NonTeachingDayBody, NonTeachingDaySchema, NonTeachingDaysQuery, ShiftCatalogueSchema } from './calendar.schemas.ts';
import { Security } from './common.schemas.ts';
import { actorOf } from './common.ts';

export interface CalendarRoutesOptions {
  calendar: CalendarService;
}

const tags = ['calendar'];

export const calendarRoutes: RoutesPlugin<CalendarRoutesOptions> = async (app, { calendar }) => {
  app.get(
    '/api/v1/schedules/shifts',
    { preHandler: requireAuth(), schema: { summary: 'K1 Shifts', description: 'The fixed jornadas of §3.5 with their windows.', tags, security: Security, response: { 200: Envelope(ShiftCatalogueSchema), ...errorResponses(401, 403) } } },
    async (request) => ok(request, calendar.shifts()),
  );
  app.get(
    '/api/v1/schedules/blocks',
    { preHandler: requireAuth(), schema: { summary: 'K2 Blocks', description: 'One-hour blocks (104 unfiltered).', tags, security: Security, querystring: BlocksQuery, response: { 200: Envelope(BlocksSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => ok(request, calendar.blocks(request.query)),
  );
  app.get(
    '/api/v1/schedules/non-teaching-days',
    { preHandler: requireAuth(), schema: { summary: 'K3 Non-teaching days', description: 'Holidays and closures of a year (default current), centre-wide plus the campus\'s when campus_id is given.', tags, security: Security, querystring: NonTeachingDaysQuery, response: { 200: Envelope(Type.Array(NonTeachingDaySchema)), ...errorResponses(401, 403, 422) } } },
    async (request) => ok(request, await calendar.list(request.query)),
  );
  app.post(
    '/api/v1/schedules/non-teaching-days',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'K4 Add a non-teaching day', description: 'A MANUAL closure, centre-wide or for one campus.', tags, security: Security, body: NonTeachingDayBody, response: { 201: Envelope(NonTeachingDaySchema), ...errorResponses(401, 403, 409, 422) } } },
    async (request, reply) => reply.code(201).send(ok(request, await calendar.create(request.body, actorOf(request)), { message: 'Día no hábil registrado' })),
  );
  app.delete(
    '/api/v1/schedules/non-teaching-days/:id',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'K5 Delete a non-teaching day', description: 'Any day, holidays included (not re-created, R25).', tags, security: Security, params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      await calendar.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
};
