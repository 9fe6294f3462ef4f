/** S1–S7: weekly schedule entries and the conflict dry run. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { pageRequest, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import { WRITERS } from '../application/context.ts';
import { entryLinks } from '../application/entry-view.ts';
import type { createCopyService } from '../application/copy.service.ts';
import type { createExceptionsService } from '../application/exceptions.service.ts';
import type { SchedulesService } from '../application/schedules.service.ts';
import { actorOf, IdParams, ListEnvelope, listReply, Security } from './common.ts';
import * as S from './schedules.schemas.ts';

const tags = ['schedules'];

export function schedulesRoutes(app: App, opts: { schedules: SchedulesService }) {
  const svc = opts.schedules;
  app.get(
    '/api/v1/schedules',
    { preHandler: requireAuth(), schema: { summary: 'S1 List schedule entries', description: 'Scoped (O1–O3); date_from + date_to keep entries whose effective range overlaps the window.', tags, security: Security, querystring: S.ListQuery, response: { 200: ListEnvelope(S.ScheduleViewSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query;
      if (q.date_from && q.date_to && q.date_to < q.date_from) throw errors.validation([{ field: 'date_to', reason: 'before_start', message: 'date_to no puede ser anterior a date_from' }]);
      const sort = parseSort(q.sort, ['day_of_week', 'start_time', 'start_date', 'created_at'] as const, { field: 'day_of_week', direction: 'asc' });
      const { items, total, warnings } = await svc.list(actorOf(request), { ...q, from: q.date_from, to: q.date_to }, sort, pageRequest(q));
      return listReply(request, '/api/v1/schedules', q, items, total, warnings);
    },
  );
  app.post(
    '/api/v1/schedules',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'S2 Create a weekly entry', description: 'By hours or by blocks (R7); shift (R8), dates (R10) and conflicts (R13) checked; sends schedule.published.', tags, security: Security, body: S.CreateBody, response: { 201: Envelope(S.ScheduleViewSchema), ...errorResponses(401, 403, 409, 422, 503) } } },
    async (request, reply) => {
      const data = await svc.create(request.body, actorOf(request));
      return reply.code(201).send(ok(request, data, { message: 'Horario creado', links: entryLinks(data.id, data.group_id) }));
    },
  );
  app.post(
    '/api/v1/schedules/check-conflicts',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'S7 Check conflicts', description: 'The S2 validation and the R14 conflict list; writes nothing.', tags, security: Security, body: S.CheckBody, response: { 200: Envelope(Type.Object({ has_conflicts: Type.Boolean(), conflicts: Type.Array(S.ConflictSchema) })), ...errorResponses(401, 403, 422, 503) } } },
    async (request) => ok(request, await svc.checkConflicts(request.body, actorOf(request))),
  );
  app.get(
    '/api/v1/schedules/:id',
    { preHandler: requireAuth(), schema: { summary: 'S3 Get an entry', description: 'ScheduleView with its session exceptions.', tags, security: Security, params: IdParams, response: { 200: Envelope(S.ScheduleDetailSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => {
      const { view, warnings } = await svc.get(request.params.id, actorOf(request));
      return ok(request, view, { warnings, links: entryLinks(view.id, view.group_id) });
    },
  );
  app.patch(
    '/api/v1/schedules/:id',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'S4 Change an entry', description: 'In place without history; with history day/times/venue/instructor need effective_from and split the entry (R15).', tags, security: Security, params: IdParams, body: S.UpdateBody, response: { 200: Envelope(Type.Object({ updated: S.ScheduleViewSchema, created: Type.Optional(S.ScheduleViewSchema) })), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => ok(request, await svc.update(request.params.id, request.body, actorOf(request)), { message: 'Horario actualizado' }),
  );
  app.delete(
    '/api/v1/schedules/:id',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'S5 Delete an entry', description: 'Only entries without history (R17).', tags, security: Security, params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => {
      await svc.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/v1/schedules/:id/cancel',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'S6 Cancel an entry', description: 'From a date on (R16); sends schedule.cancelled.', tags, security: Security, params: IdParams, body: S.CancelBody, response: { 200: Envelope(S.ScheduleViewSchema), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => ok(request, await svc.cancel(request.params.id, request.body, actorOf(request)), { message: 'Horario cancelado' }),
  );
}

export function exceptionsRoutes(app: App, opts: { exceptions: ReturnType<typeof createExceptionsService> }) {
  app.post(
    '/api/v1/schedules/:id/exceptions',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'S11 Change one session', description: 'Cancel one occurrence or change its instructor/venue (R24), conflict-checked for that date; sends schedule.session_changed.', tags, security: Security, params: IdParams, body: S.ExceptionBody, response: { 201: Envelope(S.ExceptionSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request, reply) => reply.code(201).send(ok(request, await opts.exceptions.create(request.params.id, request.body, actorOf(request)), { message: 'Cambio registrado' })),
  );
  app.delete(
    '/api/v1/schedules/:id/exceptions/:date',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'S12 Undo a session change', description: 'Dates ≥ today; sends schedule.session_changed (RESTORED).', tags, security: Security, params: Type.Object({ id: IdParams.properties.id, date: S.ExceptionBody.properties.date }), response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      await opts.exceptions.remove(request.params.id, request.params.date, actorOf(request));
      return reply.code(204).send(null);
    },
  );
}

const CopyItem = Type.Object({
  source_id: Type.String(),
  new_id: Type.Optional(Type.String()),
  status: Type.String(),
  reason: Type.Optional(Type.Union([Type.String(), Type.Object({ code: Type.String(), message: Type.Optional(Type.String()), conflicts: Type.Optional(Type.Array(Type.Unknown())) })])),
});
const CopyResult = Type.Object({ dry_run: Type.Boolean(), created: Type.Integer(), skipped: Type.Integer(), items: Type.Array(CopyItem) });

export function copyRoutes(app: App, opts: { copy: ReturnType<typeof createCopyService> }) {
  app.post(
    '/api/v1/schedules/copy',
    {
      preHandler: requireAuth({ roles: WRITERS }),
      schema: {
        summary: 'S10 Copy a trimester',
        description: 'ACTIVE entries overlapping the source window (≤ 184 days) copied into the target dates (R29); all or nothing; dry_run answers 200.',
        tags,
        security: Security,
        body: Type.Object(
          { source_from: S.ExceptionBody.properties.date, source_to: S.ExceptionBody.properties.date, target_start_date: S.ExceptionBody.properties.date, target_end_date: S.ExceptionBody.properties.date, group_ids: Type.Optional(Type.Array(IdParams.properties.id, { maxItems: 500 })), dry_run: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: Envelope(CopyResult), 201: Envelope(CopyResult), ...errorResponses(401, 403, 422, 503) },
      },
    },
    async (request, reply) => {
      const { status, result } = await opts.copy.run(request.body, actorOf(request));
      request.log.info({ copy: true, created: result.created, skipped: result.skipped, dry_run: result.dry_run }, 'schedule copy');
      return reply.code(status).send(ok(request, result, { message: status === 201 ? 'Horarios copiados' : 'Validación sin cambios' }));
    },
  );
}
