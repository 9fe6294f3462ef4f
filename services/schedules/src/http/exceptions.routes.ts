/** S11, S12: one-off changes of a single session (R24). */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { COORDINATION } from '@sicora/platform/roles';
import { IdParams } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { ExceptionsService } from '../application/exceptions.service.ts';
import { Security } from './common.schemas.ts';
import { actorOf } from './common.ts';
import { ExceptionBody, ExceptionParams, ExceptionSchema } from './schedules.schemas.ts';

export interface ExceptionsRoutesOptions {
  exceptions: ExceptionsService;
}

const tags = ['schedules'];

export const exceptionsRoutes: RoutesPlugin<ExceptionsRoutesOptions> = async (app, { exceptions }) => {
  app.post(
    '/api/v1/schedules/:id/exceptions',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'S11 Change one session', description: 'Cancel one occurrence or change its instructor/venue (R24), conflict-checked for that date; sends schedule.session_changed.', tags, security: Security, params: IdParams, body: ExceptionBody, response: { 201: Envelope(ExceptionSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request, reply) => reply.code(201).send(ok(request, await exceptions.create(request.params.id, request.body, actorOf(request)), { message: 'Cambio registrado' })),
  );
  app.delete(
    '/api/v1/schedules/:id/exceptions/:date',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'S12 Undo a session change', description: 'Dates ≥ today; sends schedule.session_changed (RESTORED).', tags, security: Security, params: ExceptionParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      await exceptions.remove(request.params.id, request.params.date, actorOf(request));
      return reply.code(204).send(null);
    },
  );
};
