/** AL1–AL9: follow-up alerts, their lifecycle and the on-demand evaluation. */
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, roleGroup } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { AlertsService } from '../application/alerts.service.ts';
import { ListEnvelope, Security } from './common.schemas.ts';
import { actorOf, listReply, parseSorts, withWarnings } from './common.ts';
import {
  AcknowledgeBody,
  ALERT_SORT,
  AlertCreateBody,
  AlertListQuery,
  AlertParams,
  AlertSchema,
  AlertStatsQuery,
  AlertStatsSchema,
  EvaluateBody,
  EvaluationSchema,
  NoteBody,
  NoteSchema,
  ResolveBody,
} from './alerts.schemas.ts';

export interface AlertsRoutesOptions {
  alerts: AlertsService;
}

const tags = ['alerts'];
const READERS = roleGroup(COORDINATION, 'instructor', 'aprendiz');
const STAFF = roleGroup(COORDINATION, 'instructor');
const BASE = '/api/v1/attendance/alerts';

const links = (id: string) => ({
  self: { href: `${BASE}/${id}`, method: 'GET' },
  acknowledge: { href: `${BASE}/${id}/acknowledge`, method: 'POST' },
  resolve: { href: `${BASE}/${id}/resolve`, method: 'POST' },
  notes: { href: `${BASE}/${id}/notes`, method: 'POST' },
});

export const alertsRoutes: RoutesPlugin<AlertsRoutesOptions> = async (app, { alerts }) => {
  app.get(
    BASE,
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'AL1 List alerts', description: 'Scoped by O1/O2; default OPEN and ACKNOWLEDGED, most severe first (the level enum orders by severity).', tags, security: Security, querystring: AlertListQuery, response: { 200: ListEnvelope(AlertSchema), ...errorResponses(401, 403, 422, 503) } } },
    async (request) => {
      const q = request.query;
      const sort = parseSorts(q.sort, ALERT_SORT, [{ field: 'level', direction: 'desc' }, { field: 'created_at', direction: 'desc' }]);
      const { items, total, warnings } = await alerts.list(actorOf(request), q, sort, pageRequest(q));
      return listReply(request, BASE, q, items, total, warnings);
    },
  );
  app.get(
    `${BASE}/stats`,
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'AL2 Alert statistics', description: 'Counts under the AL1 filters and scope.', tags, security: Security, querystring: AlertStatsQuery, response: { 200: Envelope(AlertStatsSchema), ...errorResponses(401, 403, 422, 503) } } },
    async (request) => ok(request, await alerts.stats(actorOf(request), request.query)),
  );
  app.post(
    `${BASE}/evaluate`,
    {
      preHandler: requireAuth({ roles: COORDINATION }),
      // Every field is optional: a run sent without a body is a full run.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: { summary: 'AL9 Evaluate alerts now', description: 'For one student, one ficha or (without filters) every student; one full run at a time (409 EVALUATION_RUNNING).', tags, security: Security, body: EvaluateBody, response: { 200: Envelope(EvaluationSchema), ...errorResponses(401, 403, 409, 422, 503) } } },
    async (request) => ok(request, await alerts.evaluate(request.body), { message: 'Evaluación de alertas completada' }),
  );
  app.get(
    `${BASE}/:alert_id`,
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'AL3 Read an alert', description: 'Staff get the notes; the apprentice their own alert without notes, actions or data (O6). Outside the scope → 404.', tags, security: Security, params: AlertParams, response: { 200: Envelope(AlertSchema), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request) => {
      const actor = actorOf(request);
      const res = await alerts.get(actor, request.params.alert_id);
      return ok(request, res.data, { ...(actor.role === 'aprendiz' ? {} : { links: links(res.data.id) }), ...withWarnings(res.warnings) });
    },
  );
  app.post(
    BASE,
    { preHandler: requireAuth({ roles: STAFF }), schema: { summary: 'AL4 Create a custom alert', description: 'Type CUSTOM, source MANUAL; notifies no one.', tags, security: Security, body: AlertCreateBody, response: { 201: Envelope(AlertSchema), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request, reply) => {
      const res = await alerts.create(actorOf(request), request.body);
      reply.code(201);
      return ok(request, res.data, { message: 'Alerta creada', links: links(res.data.id), ...withWarnings(res.warnings) });
    },
  );
  app.post(
    `${BASE}/:alert_id/acknowledge`,
    {
      preHandler: requireAuth({ roles: STAFF }),
      // The note is optional: an acknowledge without a body is an acknowledge without a note.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: { summary: 'AL5 Acknowledge an alert', description: 'Only from OPEN (409 ALERT_NOT_OPEN); the note joins the follow-up log.', tags, security: Security, params: AlertParams, body: AcknowledgeBody, response: { 200: Envelope(AlertSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => {
      const res = await alerts.acknowledge(actorOf(request), request.params.alert_id, request.body.note);
      return ok(request, res.data, { message: 'Alerta atendida', links: links(res.data.id), ...withWarnings(res.warnings) });
    },
  );
  app.post(
    `${BASE}/:alert_id/resolve`,
    { preHandler: requireAuth({ roles: STAFF }), schema: { summary: 'AL6 Resolve an alert', description: 'HANDLED or DISMISSED with a note (5–500); a resolved alert → 409 ALERT_RESOLVED.', tags, security: Security, params: AlertParams, body: ResolveBody, response: { 200: Envelope(AlertSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => {
      const res = await alerts.resolve(actorOf(request), request.params.alert_id, request.body);
      return ok(request, res.data, { message: 'Alerta resuelta', links: links(res.data.id), ...withWarnings(res.warnings) });
    },
  );
  app.post(
    `${BASE}/:alert_id/notes`,
    { preHandler: requireAuth({ roles: STAFF }), schema: { summary: 'AL7 Add a note', description: 'Append-only follow-up log of an unresolved alert.', tags, security: Security, params: AlertParams, body: NoteBody, response: { 201: Envelope(NoteSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request, reply) => {
      const res = await alerts.addNote(actorOf(request), request.params.alert_id, request.body.body);
      reply.code(201);
      return ok(request, res.data, { message: 'Nota agregada', ...withWarnings(res.warnings) });
    },
  );
  app.post(
    `${BASE}/:alert_id/seen`,
    { preHandler: requireAuth({ roles: ['aprendiz'] }), schema: { summary: 'AL8 Mark own alert as seen', description: 'Sets student_seen_at once; idempotent.', tags, security: Security, params: AlertParams, response: { 200: Envelope(AlertSchema), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request) => {
      const res = await alerts.seen(actorOf(request), request.params.alert_id);
      return ok(request, res.data, withWarnings(res.warnings));
    },
  );
};
