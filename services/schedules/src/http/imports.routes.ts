/** CSV imports: P6, V7, G6 (master data), S8 (schedules) and S9 (templates). */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { COORDINATION } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import { auditLine } from '../application/import-report.ts';
import type { MasterImportService } from '../application/master-import.service.ts';
import type { ScheduleImportService } from '../application/schedule-import.service.ts';
import { TEMPLATES } from '../application/templates.ts';
import { Security } from './common.schemas.ts';
import { actorOf } from './common.ts';
import { ImportQuery, ImportReportSchema, TemplateParams } from './imports.schemas.ts';
import { readCsvUpload } from './upload.ts';

export interface ImportsRoutesOptions {
  scheduleImport: ScheduleImportService;
  masterImport: MasterImportService;
}

/** `dry_run` and `on_existing` from the query or, failing that, from the multipart form fields. */
function importOptions(query: { dry_run?: boolean; on_existing?: 'error' | 'skip' }, fields: Record<string, string>) {
  const dry = query.dry_run ?? (fields.dry_run !== undefined ? fields.dry_run === 'true' : false);
  const onExisting = query.on_existing ?? (fields.on_existing === 'skip' ? 'skip' : 'error');
  return { dry_run: dry, on_existing: onExisting as 'error' | 'skip' };
}

const MASTER_IMPORTS = [
  ['P6', 'programs', '/api/v1/programs/import', 'programs'],
  ['V7', 'venues', '/api/v1/venues/import', 'venues'],
  ['G6', 'groups', '/api/v1/groups/import', 'fichas (with optional director assignment)'],
] as const;

export const importsRoutes: RoutesPlugin<ImportsRoutesOptions> = async (app, { scheduleImport, masterImport }) => {
  for (const [id, kind, path, label] of MASTER_IMPORTS) {
    app.post(
      path,
      {
        preHandler: requireAuth({ roles: COORDINATION }),
        schema: {
          summary: `${id} Import ${label} from CSV`,
          description: 'multipart/form-data part `file` (§6.1–6.2); `dry_run`, `on_existing` in the query or as form fields. All rows or none.',
          tags: [kind],
          security: Security,
          consumes: ['multipart/form-data'],
          querystring: ImportQuery,
          response: { 200: Envelope(ImportReportSchema), 201: Envelope(ImportReportSchema), ...errorResponses(400, 401, 403, 413, 415, 422, 503) },
        },
      },
      async (request, reply) => {
        const { bytes, fields } = await readCsvUpload(request);
        const { status, report } = await masterImport.run(kind, bytes, importOptions(request.query, fields), actorOf(request));
        auditLine(request.log, kind, report);
        return reply.code(status).send(ok(request, report, { message: status === 201 ? 'Datos importados' : 'Validación sin cambios' }));
      },
    );
  }
  app.post(
    '/api/v1/schedules/import',
    {
      preHandler: requireAuth({ roles: COORDINATION }),
      schema: {
        summary: 'S8 Import schedules from CSV',
        description: 'multipart/form-data part `file` (§6.1–6.2); `dry_run` and `on_existing` in the query or as form fields. All rows or none.',
        tags: ['imports'],
        security: Security,
        consumes: ['multipart/form-data'],
        querystring: ImportQuery,
        response: { 200: Envelope(ImportReportSchema), 201: Envelope(ImportReportSchema), ...errorResponses(400, 401, 403, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const { bytes, fields } = await readCsvUpload(request);
      const { status, report } = await scheduleImport.run(bytes, importOptions(request.query, fields), actorOf(request));
      auditLine(request.log, 'schedules', report);
      return reply.code(status).send(ok(request, report, { message: status === 201 ? 'Horarios importados' : 'Validación sin cambios' }));
    },
  );
  app.get(
    '/api/v1/schedules/import/templates/:kind',
    {
      preHandler: requireAuth({ roles: COORDINATION }),
      schema: { summary: 'S9 CSV template', description: 'UTF-8 with BOM, `,`, CRLF, header and two example rows from the demo data.', tags: ['imports'], security: Security, params: TemplateParams, response: { 200: Type.String({ description: 'text/csv' }), ...errorResponses(401, 403, 422) } },
    },
    async (request, reply) => {
      const kind = request.params.kind as keyof typeof TEMPLATES;
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="plantilla_${kind}.csv"`)
        .send('\ufeff' + TEMPLATES[kind].map((r) => r.join(',')).join('\r\n') + '\r\n');
    },
  );
};
