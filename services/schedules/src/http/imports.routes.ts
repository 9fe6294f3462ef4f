/** CSV imports: P6, V7, G6 (master data), S8 (schedules) and S9 (templates). */
import type { FastifyRequest } from 'fastify';
import { requireAuth } from '@sicora/platform/auth';
import { attachment, csvExport } from '@sicora/platform/csv-export';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { ok } from '@sicora/platform/reply';
import { COORDINATION } from '@sicora/platform/roles';
import { MediaResponse } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import { csvUploadSchema, readCsvUpload } from '@sicora/platform/uploads';
import { auditLine } from '../application/import-report.ts';
import { MASTER_COLUMNS, type MasterImportService, type MasterKind } from '../application/master-import.service.ts';
import { SCHEDULE_COLUMNS, type ScheduleImportService } from '../application/schedule-import.service.ts';
import { TEMPLATES } from '../application/templates.ts';
import type { CsvColumn } from '../domain/csv.ts';
import { Security } from './common.schemas.ts';
import { actorOf } from './common.ts';
import { ImportFormFields, ImportQuery, ImportReportSchema, TemplateParams } from './imports.schemas.ts';

export interface ImportsRoutesOptions {
  scheduleImport: ScheduleImportService;
  masterImport: MasterImportService;
  /** §6.1 size limit (SCHEDULES_CSV_MAX_BYTES). */
  maxBytes: number;
}

type ImportOptions = { dry_run: boolean; on_existing: 'error' | 'skip' };

/**
 * `dry_run` and `on_existing` from the query or, failing that, from the form fields (before or after the file).
 * A form field is text, so it is checked here against the same enums the document gives it: a wrong
 * value or an unknown field is 422 naming it, never read as the default (a mistyped dry_run must not write).
 */
function importOptions(query: { dry_run?: boolean; on_existing?: 'error' | 'skip' }, fields: Record<string, string>): ImportOptions {
  const problems: Array<{ field: string; reason: string; message: string }> = [];
  for (const name of Object.keys(fields)) {
    if (!(name in ImportFormFields)) problems.push({ field: name, reason: 'unknown_field', message: 'Campo no admitido; use dry_run u on_existing' });
  }
  if (fields.dry_run !== undefined && fields.dry_run !== 'true' && fields.dry_run !== 'false') problems.push({ field: 'dry_run', reason: 'enum', message: 'Debe ser true o false' });
  if (fields.on_existing !== undefined && fields.on_existing !== 'error' && fields.on_existing !== 'skip') problems.push({ field: 'on_existing', reason: 'enum', message: 'Debe ser error o skip' });
  if (problems.length > 0) throw errors.validation(problems);
  return {
    dry_run: query.dry_run ?? fields.dry_run === 'true',
    on_existing: query.on_existing ?? (fields.on_existing === 'skip' ? 'skip' : 'error'),
  };
}

/** The upload's documented body: the file (its columns, with required ones marked) and the option fields. */
function uploadSchema(columns: CsvColumn[], maxRows: number, maxBytes: number) {
  const list = columns.map((c) => `${c.name}${c.required ? '*' : ''}${c.aliases.length ? ` [${c.aliases.join(', ')}]` : ''}`).join(', ');
  return csvUploadSchema({
    description: `CSV (UTF-8, BOM allowed; \`,\` or \`;\`), header then at most ${maxRows} rows; columns (* required, Spanish aliases in brackets): ${list}.`,
    maxBytes,
    fields: ImportFormFields,
  });
}

const MASTER_IMPORTS: Array<[string, MasterKind, string, string]> = [
  ['P6', 'programs', '/api/v1/programs/import', 'programs'],
  ['V7', 'venues', '/api/v1/venues/import', 'venues'],
  ['G6', 'groups', '/api/v1/groups/import', 'fichas (with optional director assignment)'],
];

const RESPONSES = { 200: Envelope(ImportReportSchema), 201: Envelope(ImportReportSchema), ...errorResponses(400, 401, 403, 413, 415, 422, 503) };
const TRANSPORT = 'multipart/form-data with the CSV in the part `file` (a .csv of type text/csv, application/vnd.ms-excel or application/octet-stream, else 415; a missing part is 422 naming `file`; over the size limit 413). `dry_run` and `on_existing` in the query or as form fields. All rows or none: any row error → 422 CSV_VALIDATION_FAILED with the report.';

export const importsRoutes: RoutesPlugin<ImportsRoutesOptions> = async (app, { scheduleImport, masterImport, maxBytes }) => {
  const read = async (request: FastifyRequest<{ Querystring: { dry_run?: boolean; on_existing?: 'error' | 'skip' } }>) => {
    const { bytes, fields } = await readCsvUpload(request, maxBytes);
    return { bytes, options: importOptions(request.query, fields) };
  };
  for (const [id, kind, path, label] of MASTER_IMPORTS) {
    app.post(
      path,
      {
        preHandler: requireAuth({ roles: COORDINATION }),
        schema: {
          summary: `${id} Import ${label} from CSV`,
          description: `${TRANSPORT} (§6.1–6.2)`,
          tags: [kind],
          security: Security,
          querystring: ImportQuery,
          ...uploadSchema(MASTER_COLUMNS[kind].columns, MASTER_COLUMNS[kind].maxRows, maxBytes),
          response: RESPONSES,
        },
      },
      async (request, reply) => {
        const { bytes, options } = await read(request);
        const { status, report } = await masterImport.run(kind, bytes, options, actorOf(request));
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
        description: `${TRANSPORT} Each row gives day_of_week + start_time + end_time, or blocks, or all four (R7); rows are checked against the database and each other (R13). (§6.1–6.3)`,
        tags: ['imports'],
        security: Security,
        querystring: ImportQuery,
        ...uploadSchema(SCHEDULE_COLUMNS, 5000, maxBytes),
        response: RESPONSES,
      },
    },
    async (request, reply) => {
      const { bytes, options } = await read(request);
      const { status, report } = await scheduleImport.run(bytes, options, actorOf(request));
      auditLine(request.log, 'schedules', report);
      return reply.code(status).send(ok(request, report, { message: status === 201 ? 'Horarios importados' : 'Validación sin cambios' }));
    },
  );
  app.get(
    '/api/v1/schedules/import/templates/:kind',
    {
      preHandler: requireAuth({ roles: COORDINATION }),
      schema: {
        summary: 'S9 CSV template',
        description: 'UTF-8 with BOM, `,`, CRLF: the header and two example rows from the demo data.',
        tags: ['imports'],
        security: Security,
        params: TemplateParams,
        response: { 200: MediaResponse('plantilla_<kind>.csv (Content-Disposition: attachment)', 'text/csv'), ...errorResponses(401, 403, 422) },
      },
    },
    async (request, reply) => {
      const [header, ...rows]: ReadonlyArray<readonly string[]> = TEMPLATES[request.params.kind];
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', attachment(`plantilla_${request.params.kind}.csv`))
        .send(csvExport<readonly string[]>({ columns: header, batches: [rows], toRecord: (r) => r }));
    },
  );
};
