/**
 * Files and bulk operations: B1 import, B2 template, B3 bulk edit, B4 bulk delete, B5 export.
 */
import { stringify } from 'csv-stringify/sync';
import { currentUser } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { ok } from '@sicora/platform/reply';
import { ADMINS, COORDINATION, STAFF } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { createBulkService } from '../application/bulk.service.ts';
import type { createImportService } from '../application/import.service.ts';
import type { UsersService } from '../application/users.service.ts';
import { localIso } from '../domain/time.ts';
import { BulkDeleteBody, BulkDeleteResult, BulkUpdateBody, BulkUpdateResult, CsvText, ImportQuery, ImportReportSchema } from './bulk.schemas.ts';
import type { HttpKit } from './context.ts';
import type { Guard } from './guard.ts';
import { ExportQuerySchema } from './users.schemas.ts';

export interface BulkRoutesOptions {
  importer: ReturnType<typeof createImportService>;
  bulk: ReturnType<typeof createBulkService>;
  users: UsersService;
  guard: Guard;
  kit: HttpKit;
  maxBytes: number;
  timezone: string;
  now: () => Date;
}

const tags = ['bulk'];
const security = [{ bearer: [] }];
const FILE_TYPES = new Set(['text/csv', 'application/vnd.ms-excel', 'application/octet-stream']);
const BOM = '\ufeff';

const TEMPLATE = BOM + [
  'first_name,last_name,email,document_type,document_number,role,group_number,phone,area',
  'Sara Lucía,Méndez Rivera,sara.mendez@demo.sicora.test,CC,1023999001,aprendiz,2826503,3001234567,',
  'Óscar Iván,Prieto Salcedo,oscar.prieto@demo.sicora.test,CC,79999002,instructor,,3109876543,Teleinformática',
].join('\r\n') + '\r\n';

const EXPORT_COLUMNS = ['id', 'first_name', 'last_name', 'email', 'document_type', 'document_number', 'role', 'group_number', 'phone', 'area',
  'is_active', 'must_change_password', 'last_login_at', 'created_at'];

export const bulkRoutes: RoutesPlugin<BulkRoutesOptions> = async (app, d) => {
  app.post('/api/v1/users/import', {
    preHandler: d.guard({ roles: STAFF }),
    schema: {
      summary: 'Cargar aprendices e instructores por CSV (B1)',
      description: 'multipart/form-data con la parte `file` (≤ 5 MiB, UTF-8, `,` o `;`). Todo o nada; `dry_run` valida sin escribir (§6.1).',
      tags, security, consumes: ['multipart/form-data'],
      querystring: ImportQuery,
      response: { 200: Envelope(ImportReportSchema), 201: Envelope(ImportReportSchema), ...errorResponses(400, 401, 403, 413, 415, 422, 503) },
    },
  }, async (request, reply) => {
    if (!request.isMultipart()) throw errors.unsupportedMediaType('Envíe el archivo como multipart/form-data en la parte `file`');
    const file = await request.file();
    if (!file || file.fieldname !== 'file') throw errors.validation([{ field: 'file', reason: 'required', message: 'Falta la parte `file` con el CSV' }]);
    if (!file.filename.toLowerCase().endsWith('.csv') || !FILE_TYPES.has(file.mimetype.split(';')[0].trim().toLowerCase())) {
      file.file.resume();
      throw errors.unsupportedMediaType('El archivo debe ser .csv (text/csv)');
    }
    const bytes = await file.toBuffer();
    if (file.file.truncated || bytes.length > d.maxBytes) throw errors.payloadTooLarge('El archivo supera 5 MiB', { max_bytes: d.maxBytes });
    const { status, report } = await d.importer.run(currentUser(request), bytes, request.query, d.kit.context(request));
    const message = report.dry_run ? 'Validación completa; no se registró ningún usuario' : `${report.created} usuarios registrados`;
    return reply.code(status).send(ok(request, report, { message }));
  });

  app.get('/api/v1/users/import/template', {
    preHandler: d.guard({ roles: STAFF }),
    schema: {
      summary: 'Plantilla CSV (B2)', description: 'Encabezado y dos filas de ejemplo, UTF-8 con BOM, CRLF.', tags, security,
      response: { 200: CsvText, ...errorResponses(401, 403) },
    },
  }, async (_request, reply) => {
    reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', 'attachment; filename="plantilla_usuarios.csv"');
    return TEMPLATE;
  });

  app.get('/api/v1/users/export', {
    preHandler: d.guard({ roles: STAFF }),
    schema: {
      summary: 'Exportar usuarios (B5)', description: 'Los filtros de U1, sin paginar, en el orden de U1; máximo 50 000 filas.', tags, security,
      querystring: ExportQuerySchema,
      response: { 200: CsvText, ...errorResponses(401, 403, 422) },
    },
  }, async (request, reply) => {
    const rows = await d.users.exportRows(currentUser(request), request.query);
    const tz = d.timezone;
    const body = stringify(rows.map((u) => [
      u.id, u.firstName, u.lastName, u.email, u.documentType, u.documentNumber, u.role, u.groupNumber ?? '', u.phone ?? '', u.area ?? '',
      String(u.isActive), String(u.mustChangePassword), u.lastLoginAt ? localIso(u.lastLoginAt, tz) : '', localIso(u.createdAt, tz),
    ]), { header: true, columns: EXPORT_COLUMNS, record_delimiter: '\r\n' });
    const day = localIso(d.now(), tz).slice(0, 10).replace(/-/g, '');
    reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="usuarios_${day}.csv"`);
    return BOM + body;
  });

  app.patch('/api/v1/users/bulk', {
    preHandler: d.guard({ roles: COORDINATION }),
    schema: {
      summary: 'Edición masiva (B3)', description: 'Hasta 500 elementos `{ id, …campos de U4 }`; todo o nada (R33).', tags, security,
      body: BulkUpdateBody,
      response: { 200: Envelope(BulkUpdateResult), ...errorResponses(401, 403, 413, 422, 503) },
    },
  }, async (request) => {
    const result = await d.bulk.update(currentUser(request), request.body.items, d.kit.context(request));
    return ok(request, result, { message: `${result.updated} usuarios actualizados` });
  });

  app.post('/api/v1/users/bulk/delete', {
    preHandler: d.guard({ roles: ADMINS }),
    schema: {
      summary: 'Eliminación masiva (B4)', description: 'Hasta 500 ids distintos; todo o nada (R33).', tags, security,
      body: BulkDeleteBody,
      response: { 200: Envelope(BulkDeleteResult), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => {
    const result = await d.bulk.remove(currentUser(request), request.body.ids, d.kit.context(request));
    return ok(request, result, { message: `${result.deleted} usuarios eliminados` });
  });
};
