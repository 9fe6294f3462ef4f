/** W5: sessions exported as iCalendar or CSV (§6.4). */
import { requireAuth } from '@sicora/platform/auth';
import { attachment } from '@sicora/platform/csv-export';
import { errorResponses } from '@sicora/platform/envelope';
import { EVERYONE } from '@sicora/platform/roles';
import { MediaResponse } from '@sicora/platform/schemas';
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
    {
      preHandler: requireAuth({ roles: EVERYONE }),
      schema: {
        summary: 'W5 Export sessions',
        description:
          'The W2 sessions of `from`–`to` (≤ 184 days) in the caller\'s scope, in W2 order. `format=ics`: text/calendar, iCalendar 2.0 with a VTIMEZONE and one VEVENT per scheduled session (TZID = the service zone). `format=csv`: text/csv, UTF-8 with BOM, CRLF, columns date,day_name,start_time,end_time,blocks,group_number,program_code,subject,instructor_name,venue_code,campus_code,status (cancelled sessions with include_cancelled=true), streamed. Over 10 000 rows (CSV) or events (iCalendar) → 422 EXPORT_TOO_LARGE, before any byte of the file.',
        tags: ['sessions'],
        security: Security,
        querystring: ExportQuery,
        response: { 200: MediaResponse('Archivo horario_<desde>_<hasta>.ics o .csv (Content-Disposition: attachment)', 'text/calendar', 'text/csv'), ...errorResponses(401, 403, 422) },
      },
    },
    async (request, reply) => {
      const file = await exporter.run(actorOf(request), request.query);
      return reply.type(file.contentType).header('Content-Disposition', attachment(file.filename)).send(file.body);
    },
  );
};
