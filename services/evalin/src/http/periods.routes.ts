/** E18–E29: periods and their state machine. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { ADMINS, COORDINATION, PEOPLE, roleGroup } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { PeriodsService } from '../application/periods.service.ts';
import type { PeriodRow } from '../application/ports.ts';
import { ListEnvelope, Security } from './common.schemas.ts';
import { actorOf, listReply, pageOf, sortOf } from './common.ts';
import { ExtendBody, PERIOD_SORTS, PeriodCreateBody, PeriodListQuery, PeriodParams, PeriodPatchBody, PeriodSchema, SuspendBody } from './periods.schemas.ts';

export interface PeriodsRoutesOptions {
  periods: PeriodsService;
  /** E29: who gets results_published (R22), computed by the reports. */
  publishTargets: (p: PeriodRow) => Promise<Array<{ instructorId: string; responseCount: number; shown: boolean }>>;
}

const tags = ['periods'];
const READERS = roleGroup(PEOPLE, 'service');
const One = Envelope(PeriodSchema);
const ACTION_ERRORS = errorResponses(401, 403, 404, 409, 422, 503);

export const periodsRoutes: RoutesPlugin<PeriodsRoutesOptions> = async (app, { periods, publishTargets }) => {
  const base = '/api/v1/evalin/periods';
  app.get(
    base,
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'E18 List periods', description: 'O1: an apprentice sees the periods targeting their ficha, never drafts. Staff see the participation last computed (`as_of`), never computed here.', tags, security: Security, querystring: PeriodListQuery, response: { 200: ListEnvelope(PeriodSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query;
      const { items, total } = await periods.list(q, actorOf(request), sortOf(q.sort, PERIOD_SORTS, { field: 'start_date', direction: 'desc' }), pageOf(q).limit, pageOf(q).offset);
      return listReply(request, base, q, items, total);
    },
  );
  app.post(
    base,
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'E19 Create a period', description: 'In `draft` (R13–R15).', tags, security: Security, body: PeriodCreateBody, response: { 201: One, ...ACTION_ERRORS } } },
    async (request, reply) => reply.code(201).send(ok(request, await periods.create(request.body, actorOf(request)), { message: 'Período creado' })),
  );
  app.get(
    `${base}/:period_id`,
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'E20 Get a period', description: 'Staff get participation computed live; when schedules cannot answer, participation is null with meta.warnings SCHEDULES_UNAVAILABLE.', tags, security: Security, params: PeriodParams, response: { 200: One, ...errorResponses(401, 403, 404, 422) } } },
    async (request) => {
      const { data, warnings } = await periods.get(request.params.period_id, actorOf(request));
      return ok(request, data, { warnings: warnings.length ? warnings : undefined });
    },
  );
  app.patch(
    `${base}/:period_id`,
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'E21 Edit a period', description: 'R18: draft/scheduled every field, active/suspended name and description, closed/published nothing.', tags, security: Security, params: PeriodParams, body: PeriodPatchBody, response: { 200: One, ...ACTION_ERRORS } } },
    async (request) => ok(request, await periods.update(request.params.period_id, request.body, actorOf(request)), { message: 'Período actualizado' }),
  );
  app.delete(
    `${base}/:period_id`,
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'E22 Delete a period', description: 'R19: only draft or scheduled.', tags, security: Security, params: PeriodParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => {
      await periods.remove(request.params.period_id);
      return reply.code(204).send(null);
    },
  );
  const action = (path: string, summary: string, description: string, run: (id: string, body: { reason: string; end_date: string }, actor: ReturnType<typeof actorOf>) => Promise<unknown>, opts: { body?: typeof SuspendBody | typeof ExtendBody; roles?: readonly ('admin' | 'coordinador')[] } = {}) =>
    app.post(
      `${base}/:period_id/${path}`,
      { preHandler: requireAuth({ roles: opts.roles ?? ADMINS }), schema: { summary, description, tags, security: Security, params: PeriodParams, ...(opts.body ? { body: opts.body } : {}), response: { 200: One, ...ACTION_ERRORS } } },
      async (request) => ok(request, (await run((request.params as { period_id: string }).period_id, request.body as { reason: string; end_date: string }, actorOf(request))) as never, { message: 'Período actualizado' }),
    );
  action('activate', 'E23 Activate a period', 'R16: re-checks questionnaire, dates, fichas and overlaps; `scheduled` before the start, else `active` with evalin.period_started per ficha.', (id, _b, a) => periods.activate(id, a));
  action('revert-to-draft', 'E24 Revert to draft', 'Only from `scheduled`.', (id, _b, a) => periods.revert(id, a));
  action('suspend', 'E25 Suspend a period', 'From `active`; apprentices get evalin.period_suspended.', (id, b, a) => periods.suspend(id, b.reason, a), { body: SuspendBody });
  action('resume', 'E26 Resume a period', 'From `suspended`, before the end date; pending apprentices get evalin.period_resumed.', (id, _b, a) => periods.resume(id, a));
  action('extend', 'E27 Extend a period', 'R20: a later end, ≤ 365 days in all, overlaps re-checked; pending apprentices get evalin.period_extended.', (id, b, a) => periods.extend(id, b.end_date, b.reason, a), { body: ExtendBody });
  action('close', 'E28 Close a period', 'R21: drafts deleted, snapshot of rosters and instructors, evalin.period_closed to coordination.', (id, _b, a) => periods.close(id, a));
  action('publish-results', 'E29 Publish results', 'R22: from `closed`; each instructor with expected respondents or responses gets evalin.results_published.', (id, _b, a) => periods.publish(id, a, publishTargets), { roles: COORDINATION });
};
