/** S8 (schedules CSV) and S9 (templates). */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import { WRITERS } from '../application/context.ts';
import { auditLine } from '../application/import-report.ts';
import type { createMasterImportService } from '../application/master-import.service.ts';
import type { createScheduleImportService } from '../application/schedule-import.service.ts';
import { TEMPLATES } from '../application/templates.ts';
import { actorOf, Nullable, Security, Uuid } from './common.ts';
import { readCsvUpload } from './upload.ts';

export const ImportReportSchema = Type.Object({
  dry_run: Type.Boolean(),
  total_rows: Type.Integer(),
  valid_rows: Type.Integer(),
  error_rows: Type.Integer(),
  created: Type.Integer(),
  skipped: Type.Integer(),
  errors: Type.Array(Type.Object({ line: Type.Integer(), column: Nullable(Type.String()), code: Type.String(), message: Type.String(), value: Nullable(Type.String()) })),
  errors_truncated: Type.Boolean(),
  created_ids: Type.Array(Type.Object({ line: Type.Integer(), id: Uuid })),
});
export const ImportQuery = Type.Object(
  { dry_run: Type.Optional(Type.Boolean()), on_existing: Type.Optional(Type.Union([Type.Literal('error'), Type.Literal('skip')])) },
  { additionalProperties: false },
);
const tags = ['imports'];

export function importOptions(query: { dry_run?: boolean; on_existing?: 'error' | 'skip' }, fields: Record<string, string>) {
  const dry = query.dry_run ?? (fields.dry_run !== undefined ? fields.dry_run === 'true' : false);
  const onExisting = query.on_existing ?? (fields.on_existing === 'skip' ? 'skip' : 'error');
  return { dry_run: dry, on_existing: onExisting as 'error' | 'skip' };
}

export function importsRoutes(app: App, opts: { scheduleImport: ReturnType<typeof createScheduleImportService>; masterImport: ReturnType<typeof createMasterImportService> }) {
  for (const [id, kind, path, label] of [
    ['P6', 'programs', '/api/v1/programs/import', 'programs'],
    ['V7', 'venues', '/api/v1/venues/import', 'venues'],
    ['G6', 'groups', '/api/v1/groups/import', 'fichas (with optional director assignment)'],
  ] as const) {
    app.post(
      path,
      {
        preHandler: requireAuth({ roles: WRITERS }),
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
        const { status, report } = await opts.masterImport.run(kind, bytes, importOptions(request.query, fields), actorOf(request));
        auditLine(request.log, kind, report);
        return reply.code(status).send(ok(request, report, { message: status === 201 ? 'Datos importados' : 'Validación sin cambios' }));
      },
    );
  }
  app.post(
    '/api/v1/schedules/import',
    {
      preHandler: requireAuth({ roles: WRITERS }),
      schema: {
        summary: 'S8 Import schedules from CSV',
        description: 'multipart/form-data part `file` (§6.1–6.2); `dry_run` and `on_existing` in the query or as form fields. All rows or none.',
        tags,
        security: Security,
        consumes: ['multipart/form-data'],
        querystring: ImportQuery,
        response: { 200: Envelope(ImportReportSchema), 201: Envelope(ImportReportSchema), ...errorResponses(400, 401, 403, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const { bytes, fields } = await readCsvUpload(request);
      const { status, report } = await opts.scheduleImport.run(bytes, importOptions(request.query, fields), actorOf(request));
      auditLine(request.log, 'schedules', report);
      return reply.code(status).send(ok(request, report, { message: status === 201 ? 'Horarios importados' : 'Validación sin cambios' }));
    },
  );
  app.get(
    '/api/v1/schedules/import/templates/:kind',
    {
      preHandler: requireAuth({ roles: WRITERS }),
      schema: { summary: 'S9 CSV template', description: 'UTF-8 with BOM, `,`, CRLF, header and two example rows from the demo data.', tags, security: Security, params: Type.Object({ kind: Type.Union(['schedules', 'groups', 'programs', 'venues'].map((k) => Type.Literal(k))) }), response: { 200: Type.String({ description: 'text/csv' }), ...errorResponses(401, 403, 422) } },
    },
    async (request, reply) => {
      const kind = request.params.kind as keyof typeof TEMPLATES;
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="plantilla_${kind}.csv"`)
        .send('\ufeff' + TEMPLATES[kind].map((r) => r.join(',')).join('\r\n') + '\r\n');
    },
  );
}
