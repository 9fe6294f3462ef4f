/** S1: attendance figures (R40), for people in scope and for the ai service. */
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, roleGroup } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { SummaryService } from '../application/summary.service.ts';
import { Security } from './common.schemas.ts';
import { actorOf, withWarnings } from './common.ts';
import { SummaryQuery, SummarySchema } from './summary.schemas.ts';

export interface SummaryRoutesOptions {
  summary: SummaryService;
}

export const summaryRoutes: RoutesPlugin<SummaryRoutesOptions> = async (app, { summary }) => {
  app.get(
    '/api/v1/attendance/summary',
    {
      preHandler: requireAuth({ roles: roleGroup(COORDINATION, 'instructor', 'aprendiz', 'service') }),
      schema: { summary: 'S1 Summary', description: 'R40 figures over the live records in scope (O1/O2) and period; with student_id also the current run, open alerts and pending justifications; staff without it the 10 most absent students.', tags: ['records'], security: Security, querystring: SummaryQuery, response: { 200: Envelope(SummarySchema), ...errorResponses(401, 403, 404, 422, 503) } },
    },
    async (request) => {
      const res = await summary.get(actorOf(request), request.query);
      return ok(request, res.data, withWarnings(res.warnings));
    },
  );
};
