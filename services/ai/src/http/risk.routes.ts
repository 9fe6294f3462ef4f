/** §4.2–§4.4: ficha reports, assessments, runs, settings, alerts and analytics. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { attachment, csvExport, localIso } from '@sicora/platform/csv-export';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { ADMINS, COORDINATION, roleGroup } from '@sicora/platform/roles';
import { IdParams } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { AlertsService } from '../application/alerts.service.ts';
import type { AnalyticsService } from '../application/analytics.service.ts';
import { CSV_COLUMNS, csvRecord, type ReportService } from '../application/report.service.ts';
import type { RunsService } from '../application/runs.service.ts';
import type { RiskSettingsService } from '../application/settings.service.ts';
import type { RiskSettings } from '../domain/risk.ts';
import { actorOf, csv, ListEnvelope, listReply, Security } from './common.ts';
import {
  AlertDetailSchema,
  AlertEventSchema,
  AlertListQuery,
  AlertSchema,
  ApprenticeParams,
  ApprenticeRiskSchema,
  AssessmentSchema,
  FeedbackListQuery,
  FeedbackRowSchema,
  GroupParams,
  HistoryQuery,
  NoteBody,
  OptionalNoteBody,
  ReasonBody,
  ReportQuery,
  ReportSchema,
  RiskAnalyticsQuery,
  RiskAnalyticsSchema,
  RunListQuery,
  RunSchema,
  SettingsBody,
  SettingsSchema,
  UnansweredQuery,
  UnansweredSchema,
  UsageQuery,
  UsageSchema,
} from './risk.schemas.ts';

export interface RiskRoutesOptions {
  reports: ReportService;
  runs: RunsService;
  settings: RiskSettingsService;
  alerts: AlertsService;
  analytics: AnalyticsService;
  timeZone: string;
}

const ST = requireAuth({ roles: roleGroup(COORDINATION, 'instructor') });
const CA = requireAuth({ roles: COORDINATION });
const AD = requireAuth({ roles: ADMINS });
const BASE = '/api/v1/ai';
const risk = ['risk'];
const alertTags = ['alerts'];
const analyticsTags = ['analytics'];

export const riskRoutes: RoutesPlugin<RiskRoutesOptions> = async (app, { reports, runs, settings, alerts, analytics, timeZone }) => {
  app.get(
    `${BASE}/risk/groups/:group_id/report`,
    {
      preHandler: ST,
      schema: {
        summary: 'Ficha risk report',
        description: 'R34: every active apprentice with the latest assessment, ordered by score desc; `format=csv` gives §6’s file. Instructors: only fichas assigned today (O2).',
        tags: risk,
        security: Security,
        params: GroupParams,
        querystring: ReportQuery,
        response: { 200: { description: 'JSON en el sobre; con format=csv: el archivo de §6 (Content-Disposition: attachment)', content: { 'application/json': { schema: Envelope(ReportSchema) }, 'text/csv': { schema: Type.Unsafe<unknown>({ type: 'string' }) } } }, ...errorResponses(401, 403, 404, 422, 503) },
      },
    },
    async (request, reply) => {
      const r = await reports.groupReport(actorOf(request), request.params.group_id, csv(request.query.level));
      if (request.query.format !== 'csv') return ok(request, r.data, r.warnings.length ? { warnings: r.warnings } : {});
      const stamp = (iso: string) => localIso(iso, timeZone).slice(0, 16).replace('T', ' ');
      const day = localIso(new Date(), timeZone).slice(0, 10).replace(/-/g, '');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachment(`riesgo-ficha-${r.data.group.number}-${day}.csv`))
        .send(csvExport({ columns: CSV_COLUMNS, batches: [r.csvRows], toRecord: (row) => Object.values(csvRecord(r.data.group.number, row, stamp)) }));
    },
  );
  app.post(
    `${BASE}/risk/groups/:group_id/assess`,
    { preHandler: ST, schema: { summary: 'Assess a ficha now', description: 'Queues a group run (R30): 409 while a run is in progress or within 10 minutes of the last one.', tags: risk, security: Security, params: GroupParams, response: { 202: Envelope(RunSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request, reply) => reply.code(202).send(ok(request, await runs.assessGroup(actorOf(request), request.params.group_id), { message: 'Análisis en cola' })),
  );
  app.get(
    `${BASE}/risk/apprentices/:apprentice_id`,
    { preHandler: ST, schema: { summary: 'Apprentice risk history', description: 'Latest assessment, history and open alert.', tags: risk, security: Security, params: ApprenticeParams, querystring: HistoryQuery, response: { 200: Envelope(ApprenticeRiskSchema), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request) => ok(request, await reports.apprentice(actorOf(request), request.params.apprentice_id, request.query.history ?? 12)),
  );
  app.post(
    `${BASE}/risk/apprentices/:apprentice_id/assess`,
    { preHandler: ST, schema: { summary: 'Assess one apprentice now', description: 'R31: synchronous; applies R32. Fewer than 5 sessions → 422 INSUFFICIENT_DATA and nothing stored.', tags: risk, security: Security, params: ApprenticeParams, response: { 201: Envelope(AssessmentSchema), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request, reply) => reply.code(201).send(ok(request, await runs.assessApprentice(actorOf(request), request.params.apprentice_id), { message: 'Riesgo calculado' })),
  );
  app.post(
    `${BASE}/risk/runs`,
    { preHandler: AD, schema: { summary: 'Start an all-fichas run', description: 'R30; one at a time.', tags: risk, security: Security, response: { 202: Envelope(RunSchema), ...errorResponses(401, 403, 409) } } },
    async (request, reply) => reply.code(202).send(ok(request, await runs.startAll(actorOf(request), 'manual'), { message: 'Análisis en cola' })),
  );
  app.get(
    `${BASE}/risk/runs`,
    { preHandler: ST, schema: { summary: 'List runs', description: 'Instructors see group runs of their fichas.', tags: risk, security: Security, querystring: RunListQuery, response: { 200: ListEnvelope(RunSchema), ...errorResponses(401, 403, 422, 503) } } },
    async (request) => {
      const q = request.query;
      const page = pageRequest(q);
      const { items, total } = await runs.list(actorOf(request), { status: q.status, scope: q.scope, group_id: q.group_id }, page.limit, page.offset);
      return listReply(request, `${BASE}/risk/runs`, q, items, total);
    },
  );
  app.get(
    `${BASE}/risk/runs/:id`,
    { preHandler: ST, schema: { summary: 'Read a run', description: 'With counts and errors.', tags: risk, security: Security, params: IdParams, response: { 200: Envelope(RunSchema), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request) => ok(request, await runs.get(actorOf(request), request.params.id)),
  );
  app.get(
    `${BASE}/risk/settings`,
    { preHandler: CA, schema: { summary: 'Read risk settings', description: 'The current version (R29).', tags: risk, security: Security, response: { 200: Envelope(SettingsSchema), ...errorResponses(401, 403) } } },
    async (request) => ok(request, await settings.get()),
  );
  app.put(
    `${BASE}/risk/settings`,
    { preHandler: AD, schema: { summary: 'Change risk settings', description: 'The whole document; stores version n+1 (R29).', tags: risk, security: Security, body: SettingsBody, response: { 200: Envelope(SettingsSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => ok(request, await settings.put(actorOf(request), request.body as Omit<RiskSettings, 'version'>), { message: 'Configuración de riesgo actualizada' }),
  );

  app.get(
    `${BASE}/risk/alerts`,
    { preHandler: ST, schema: { summary: 'List risk alerts', description: 'Default active and acknowledged, critical first.', tags: alertTags, security: Security, querystring: AlertListQuery, response: { 200: ListEnvelope(AlertSchema), ...errorResponses(401, 403, 422, 503) } } },
    async (request) => {
      const q = request.query;
      const page = pageRequest(q);
      const sort = q.sort === '-opened_at' ? 'opened_at' : q.sort === '-score' ? 'score' : 'level';
      const { items, total } = await alerts.list(actorOf(request), { status: csv(q.status), level: csv(q.level), group_id: q.group_id, apprentice_id: q.apprentice_id, overdue: q.overdue, sort }, page.limit, page.offset);
      return listReply(request, `${BASE}/risk/alerts`, q, items, total);
    },
  );
  app.get(
    `${BASE}/risk/alerts/:id`,
    { preHandler: ST, schema: { summary: 'Read a risk alert', description: 'With its latest assessment, events and recommended actions.', tags: alertTags, security: Security, params: IdParams, response: { 200: Envelope(AlertDetailSchema), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request) => ok(request, await alerts.get(actorOf(request), request.params.id)),
  );
  app.post(
    `${BASE}/risk/alerts/:id/acknowledge`,
    { preHandler: ST, schema: { summary: 'Acknowledge an alert', description: 'active → acknowledged.', tags: alertTags, security: Security, params: IdParams, body: OptionalNoteBody, response: { 200: Envelope(AlertSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => ok(request, await alerts.acknowledge(actorOf(request), request.params.id, request.body?.note)),
  );
  app.post(
    `${BASE}/risk/alerts/:id/resolve`,
    { preHandler: ST, schema: { summary: 'Resolve an alert', description: 'active/acknowledged → resolved, with a note (5–1 000).', tags: alertTags, security: Security, params: IdParams, body: NoteBody, response: { 200: Envelope(AlertSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => ok(request, await alerts.resolve(actorOf(request), request.params.id, request.body.note)),
  );
  app.post(
    `${BASE}/risk/alerts/:id/dismiss`,
    { preHandler: ST, schema: { summary: 'Dismiss an alert', description: 'active/acknowledged → dismissed with a reason; snoozes new alerts 14 days (R32e).', tags: alertTags, security: Security, params: IdParams, body: ReasonBody, response: { 200: Envelope(AlertSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => ok(request, await alerts.dismiss(actorOf(request), request.params.id, request.body.reason)),
  );
  app.post(
    `${BASE}/risk/alerts/:id/notes`,
    { preHandler: ST, schema: { summary: 'Add a note to an alert', description: 'An event of type note.', tags: alertTags, security: Security, params: IdParams, body: NoteBody, response: { 201: Envelope(AlertEventSchema), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request, reply) => reply.code(201).send(ok(request, await alerts.note(actorOf(request), request.params.id, request.body.note))),
  );

  app.get(
    `${BASE}/analytics/usage`,
    { preHandler: CA, schema: { summary: 'Assistant usage', description: 'R35 totals and series; aggregates only.', tags: analyticsTags, security: Security, querystring: UsageQuery, response: { 200: Envelope(UsageSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => ok(request, await analytics.usage(request.query, request.query.granularity)),
  );
  app.get(
    `${BASE}/analytics/unanswered`,
    { preHandler: CA, schema: { summary: 'Unanswered questions', description: 'Stored excerpts grouped by folded text, most asked first.', tags: analyticsTags, security: Security, querystring: UnansweredQuery, response: { 200: ListEnvelope(UnansweredSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const page = pageRequest(request.query);
      const { items, total } = await analytics.unanswered(request.query, page.limit, page.offset);
      return listReply(request, `${BASE}/analytics/unanswered`, request.query, items, total);
    },
  );
  app.get(
    `${BASE}/analytics/feedback`,
    { preHandler: CA, schema: { summary: 'Answer feedback', description: 'Rows with question and answer excerpts; no user or conversation ids.', tags: analyticsTags, security: Security, querystring: FeedbackListQuery, response: { 200: ListEnvelope(FeedbackRowSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const page = pageRequest(request.query);
      const { items, total } = await analytics.feedback(request.query, page.limit, page.offset);
      return listReply(request, `${BASE}/analytics/feedback`, request.query, items, total);
    },
  );
  app.get(
    `${BASE}/analytics/risk`,
    { preHandler: CA, schema: { summary: 'Risk outcomes', description: 'R35 risk aggregates.', tags: analyticsTags, security: Security, querystring: RiskAnalyticsQuery, response: { 200: Envelope(RiskAnalyticsSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => ok(request, await analytics.risk(request.query)),
  );
};

