/** C1 and RL1–RL6: my classes, and taking the roll by list. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, roleGroup } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { ClassesService } from '../application/classes.service.ts';
import type { RollsService } from '../application/rolls.service.ts';
import { ListEnvelope, Security } from './common.schemas.ts';
import { actorOf, listReply, parseSorts, withWarnings } from './common.ts';
import { ClassesQuery, ClassItemSchema, CloseBody, MarksBody, ROLL_SORT, RollClosedSchema, RollDetailSchema, RollListQuery, RollMarkedSchema, RollOpenBody, RollSchema } from './rolls.schemas.ts';

export interface RollsRoutesOptions {
  rolls: RollsService;
  classes: ClassesService;
}

const tags = ['rolls'];
const TAKERS = roleGroup(COORDINATION, 'instructor');
const RollParams = Type.Object({ roll_id: Type.String({ format: 'uuid' }) });

export const rollsRoutes: RoutesPlugin<RollsRoutesOptions> = async (app, { rolls, classes }) => {
  app.get(
    '/api/v1/attendance/me/classes',
    { preHandler: requireAuth({ roles: ['instructor', 'aprendiz'] }), schema: { summary: 'C1 My classes of a date', description: 'Sessions the instructor teaches or of the apprentice\'s ficha, in start order; date within today ± 7 days.', tags: ['classes'], security: Security, querystring: ClassesQuery, response: { 200: Envelope(Type.Array(ClassItemSchema)), ...errorResponses(401, 403, 422, 503) } } },
    async (request) => ok(request, await classes.mine(actorOf(request), request.query.date)),
  );
  app.get(
    '/api/v1/attendance/rolls',
    { preHandler: requireAuth({ roles: TAKERS }), schema: { summary: 'RL1 List rolls', description: 'Instructors: their own sessions without filters, fichas assigned to them (O2).', tags, security: Security, querystring: RollListQuery, response: { 200: ListEnvelope(RollSchema), ...errorResponses(401, 403, 422, 503) } } },
    async (request) => {
      const q = request.query;
      const sort = parseSorts(q.sort, ROLL_SORT, [{ field: 'session_date', direction: 'desc' }])[0];
      const { items, total, warnings } = await rolls.list(actorOf(request), q, sort, pageRequest(q));
      return listReply(request, '/api/v1/attendance/rolls', q, items, total, warnings);
    },
  );
  app.post(
    '/api/v1/attendance/rolls',
    { preHandler: requireAuth({ roles: TAKERS }), schema: { summary: 'RL2 Open a roll', description: 'Idempotent per session (201 new, 200 existing); R1–R3.', tags, security: Security, body: RollOpenBody, response: { 200: Envelope(RollDetailSchema), 201: Envelope(RollDetailSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request, reply) => {
      const res = await rolls.open(actorOf(request), request.body.schedule_id, request.body.session_date);
      return reply.code(res.created ? 201 : 200).send(ok(request, res.data, { message: res.created ? 'Toma de asistencia abierta' : undefined, ...withWarnings(res.warnings) }));
    },
  );
  app.get(
    '/api/v1/attendance/rolls/:roll_id',
    { preHandler: requireAuth({ roles: TAKERS }), schema: { summary: 'RL3 Read a roll', description: 'With the ficha\'s roster (G7) in last-name order.', tags, security: Security, params: RollParams, response: { 200: Envelope(RollDetailSchema), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request) => {
      const res = await rolls.get(actorOf(request), request.params.roll_id);
      return ok(request, res.data, withWarnings(res.warnings));
    },
  );
  app.put(
    '/api/v1/attendance/rolls/:roll_id/marks',
    { preHandler: requireAuth({ roles: TAKERS }), schema: { summary: 'RL4 Mark', description: 'All-or-nothing (R6); mark_rest fills unmarked apprentices; reason required once the roll was closed (R9, R10).', tags, security: Security, params: RollParams, body: MarksBody, response: { 200: Envelope(RollMarkedSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => {
      const res = await rolls.mark(actorOf(request), request.params.roll_id, request.body);
      return ok(request, res.data, { message: 'Asistencia registrada', ...withWarnings(res.warnings) });
    },
  );
  app.post(
    '/api/v1/attendance/rolls/:roll_id/close',
    {
      preHandler: requireAuth({ roles: TAKERS }),
      // `confirm_all_absent?` is the only field: a close sent without any body is a close without options.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: { summary: 'RL5 Close', description: 'Unmarked apprentices become ABSENT (R7); idempotent. The body may be omitted.', tags, security: Security, params: RollParams, body: CloseBody, response: { 200: Envelope(RollClosedSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } },
    },
    async (request) => {
      const res = await rolls.close(actorOf(request), request.params.roll_id, request.body?.confirm_all_absent === true);
      return ok(request, res.data, { message: 'Toma de asistencia cerrada', ...withWarnings(res.warnings) });
    },
  );
  app.post(
    '/api/v1/attendance/rolls/:roll_id/reopen',
    { preHandler: requireAuth({ roles: TAKERS }), schema: { summary: 'RL6 Reopen', description: 'OPEN again (R9); idempotent; never auto-closed again.', tags, security: Security, params: RollParams, response: { 200: Envelope(RollSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => {
      const res = await rolls.reopen(actorOf(request), request.params.roll_id);
      return ok(request, res.data, { message: 'Toma de asistencia reabierta', ...withWarnings(res.warnings) });
    },
  );
};
