/** S1–S7: weekly schedule entries and the conflict dry run. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { pageRequest, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION } from '@sicora/platform/roles';
import { IdParams } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import { entryLinks } from '../application/entries.view.ts';
import type { SchedulesService } from '../application/schedules.service.ts';
import { ListEnvelope, Security } from './common.schemas.ts';
import { actorOf, listReply } from './common.ts';
import * as S from './schedules.schemas.ts';

export interface SchedulesRoutesOptions {
  schedules: SchedulesService;
}

const tags = ['schedules'];

export const schedulesRoutes: RoutesPlugin<SchedulesRoutesOptions> = async (app, { schedules }) => {
  app.get(
    '/api/v1/schedules',
    { preHandler: requireAuth(), schema: { summary: 'S1 List schedule entries', description: 'Scoped (O1–O3); date_from + date_to keep entries whose effective range overlaps the window.', tags, security: Security, querystring: S.ListQuery, response: { 200: ListEnvelope(S.ScheduleViewSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query;
      if (q.date_from && q.date_to && q.date_to < q.date_from) throw errors.validation([{ field: 'date_to', reason: 'before_start', message: 'date_to no puede ser anterior a date_from' }]);
      const sort = parseSort(q.sort, S.ENTRY_SORT, { field: 'day_of_week', direction: 'asc' });
      const { items, total, warnings } = await schedules.list(actorOf(request), { ...q, from: q.date_from, to: q.date_to }, sort, pageRequest(q));
      return listReply(request, '/api/v1/schedules', q, items, total, warnings);
    },
  );
  app.post(
    '/api/v1/schedules',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'S2 Create a weekly entry', description: 'By hours or by blocks (R7); shift (R8), dates (R10) and conflicts (R13) checked; sends schedule.published.', tags, security: Security, body: S.CreateBody, response: { 201: Envelope(S.ScheduleViewSchema), ...errorResponses(401, 403, 409, 422, 503) } } },
    async (request, reply) => {
      const data = await schedules.create(request.body, actorOf(request));
      return reply.code(201).send(ok(request, data, { message: 'Horario creado', links: entryLinks(data.id, data.group_id) }));
    },
  );
  app.post(
    '/api/v1/schedules/check-conflicts',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'S7 Check conflicts', description: 'The S2 validation and the R14 conflict list; writes nothing.', tags, security: Security, body: S.CheckBody, response: { 200: Envelope(S.CheckResultSchema), ...errorResponses(401, 403, 422, 503) } } },
    async (request) => ok(request, await schedules.checkConflicts(request.body, actorOf(request))),
  );
  app.get(
    '/api/v1/schedules/:id',
    { preHandler: requireAuth(), schema: { summary: 'S3 Get an entry', description: 'ScheduleView with its session exceptions.', tags, security: Security, params: IdParams, response: { 200: Envelope(S.ScheduleDetailSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => {
      const { view, warnings } = await schedules.get(request.params.id, actorOf(request));
      return ok(request, view, { warnings, links: entryLinks(view.id, view.group_id) });
    },
  );
  app.patch(
    '/api/v1/schedules/:id',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'S4 Change an entry', description: 'In place without history; with history day/times/venue/instructor need effective_from and split the entry (R15).', tags, security: Security, params: IdParams, body: S.UpdateBody, response: { 200: Envelope(S.UpdateResultSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => ok(request, await schedules.update(request.params.id, request.body, actorOf(request)), { message: 'Horario actualizado' }),
  );
  app.delete(
    '/api/v1/schedules/:id',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'S5 Delete an entry', description: 'Only entries without history (R17).', tags, security: Security, params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => {
      await schedules.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/schedules/:id/cancel',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'S6 Cancel an entry', description: 'From a date on (R16); sends schedule.cancelled.', tags, security: Security, params: IdParams, body: S.CancelBody, response: { 200: Envelope(S.ScheduleViewSchema), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => ok(request, await schedules.cancel(request.params.id, request.body, actorOf(request)), { message: 'Horario cancelado' }),
  );
};
