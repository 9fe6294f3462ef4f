/** W5: sessions exported as iCalendar or CSV (§6.4). */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { errorResponses } from '@sicora/platform/envelope';
import { EVERYONE } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { ExportService } from '../application/export.service.ts';
import { Security } from './common.schemas.ts';
import { actorOf } from './common.ts';
import { ExportQuery } from './sessions.schemas.ts';

export interface ExportRoutesOptions {
  exporter: ExportService;
}

export const exportRoutes: RoutesPlugin<ExportRoutesOptions> = async (app, { exporter }) => {
  app.get(
    '/api/v1/schedules/export',
    { preHandler: requireAuth({ roles: EVERYONE }), schema: { summary: 'W5 Export sessions', description: 'iCalendar (one VEVENT per scheduled session, TZID America/Bogota) or CSV (≤ 10 000 rows); window ≤ 184 days; W2 filters and scope.', tags: ['sessions'], security: Security, querystring: ExportQuery, response: { 200: Type.String({ description: 'text/calendar or text/csv' }), ...errorResponses(401, 403, 422) } } },
    async (request, reply) => {
      const file = await exporter.run(actorOf(request), request.query);
      return reply.type(file.contentType).header('Content-Disposition', `attachment; filename="${file.filename}"`).send(file.body);
    },
  );
};
