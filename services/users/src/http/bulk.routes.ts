/**
 * Files and bulk operations: B1 import, B2 template, B3 bulk edit, B4 bulk delete, B5 export.
 */
import { currentUser } from '@sicora/platform/auth';
import { attachment, csvExport, localIso } from '@sicora/platform/csv-export';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { ok } from '@sicora/platform/reply';
import { ADMINS, COORDINATION, STAFF } from '@sicora/platform/roles';
import { MediaResponse } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import { csvUploadSchema, readCsvUpload } from '@sicora/platform/uploads';
import type { createBulkService } from '../application/bulk.service.ts';
import type { createImportService } from '../application/import.service.ts';
import type { ExportRow } from '../application/ports.ts';
import type { UsersService } from '../application/users.service.ts';
import { BulkDeleteBody, BulkDeleteResult, BulkUpdateBody, BulkUpdateResult, ImportQuery, ImportReportSchema } from './bulk.schemas.ts';
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

/** §6.2: the columns of B1, then one aprendiz and one instructor as examples. */
const TEMPLATE_COLUMNS = ['first_name', 'last_name', 'email', 'document_type', 'document_number', 'role', 'group_number', 'phone', 'area'] as const;
const TEMPLATE_ROWS = [
  ['Sara Lucía', 'Méndez Rivera', 'sara.mendez@demo.sicora.test', 'CC', '1023999001', 'aprendiz', '2826503', '3001234567', ''],
  ['Óscar Iván', 'Prieto Salcedo', 'oscar.prieto@demo.sicora.test', 'CC', '79999002', 'instructor', '', '3109876543', 'Teleinformática'],
];

const EXPORT_COLUMNS = ['id', 'first_name', 'last_name', 'email', 'document_type', 'document_number', 'role', 'group_number', 'phone', 'area',
  'is_active', 'must_change_password', 'last_login_at', 'created_at'] as const;

export const bulkRoutes: RoutesPlugin<BulkRoutesOptions> = async (app, d) => {
  app.post('/api/v1/users/import', {
    preHandler: d.guard({ roles: STAFF }),
    schema: {
      summary: 'Cargar aprendices e instructores por CSV (B1)',
      description: 'multipart/form-data con la parte `file`; las opciones van en la consulta. Todo o nada; `dry_run` valida sin escribir (§6.1).',
      tags, security,
      ...csvUploadSchema({
        description: 'UTF-8 (BOM admitido), separador `,` o `;`, encabezado first_name,last_name,email,document_type,document_number,role,group_number,phone,area (o sus alias en español); de 1 a 10 000 filas.',
        maxBytes: d.maxBytes,
      }),
      querystring: ImportQuery,
      response: { 200: Envelope(ImportReportSchema), 201: Envelope(ImportReportSchema), ...errorResponses(400, 401, 403, 413, 415, 422, 503) },
    },
  }, async (request, reply) => {
    const { bytes, fields } = await readCsvUpload(request, d.maxBytes);
    // The options are query parameters (§4.5); a form field next to the file would be silently ignored.
    const stray = Object.keys(fields);
    if (stray.length > 0) {
      throw errors.validation(stray.map((field) => ({ field, reason: 'unknown_field', message: 'Solo se admite la parte `file`; las opciones van en la consulta' })));
    }
    const { status, report } = await d.importer.run(currentUser(request), bytes, request.query, d.kit.context(request));
    const message = report.dry_run ? 'Validación completa; no se registró ningún usuario' : `${report.created} usuarios registrados`;
    return reply.code(status).send(ok(request, report, { message }));
  });

  app.get('/api/v1/users/import/template', {
    preHandler: d.guard({ roles: STAFF }),
    schema: {
      summary: 'Plantilla CSV (B2)', description: 'Encabezado y dos filas de ejemplo, UTF-8 con BOM, CRLF (§6.2).', tags, security,
      response: { 200: MediaResponse('plantilla_usuarios.csv', 'text/csv'), ...errorResponses(401, 403) },
    },
  }, async (_request, reply) => reply
    .type('text/csv; charset=utf-8')
    .header('Content-Disposition', attachment('plantilla_usuarios.csv'))
    .send(csvExport({ columns: TEMPLATE_COLUMNS, batches: [TEMPLATE_ROWS], toRecord: (row) => row })));

  app.get('/api/v1/users/export', {
    preHandler: d.guard({ roles: STAFF }),
    schema: {
      summary: 'Exportar usuarios (B5)',
      description: 'Los filtros de U1, sin paginar, en el orden de U1; máximo 50 000 filas (422 EXPORT_TOO_LARGE). UTF-8 con BOM, CRLF, horas de Bogotá con su desfase (§6.3).',
      tags, security,
      querystring: ExportQuerySchema,
      response: { 200: MediaResponse('usuarios_<AAAAMMDD>.csv', 'text/csv'), ...errorResponses(401, 403, 422) },
    },
  }, async (request, reply) => {
    // Checked and counted before the first byte, so a refusal is still a JSON error; then streamed.
    const batches = await d.users.exportBatches(currentUser(request), request.query);
    const tz = d.timezone;
    const day = localIso(d.now(), tz).slice(0, 10).replace(/-/g, '');
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', attachment(`usuarios_${day}.csv`))
      .send(csvExport({
        columns: EXPORT_COLUMNS,
        batches,
        toRecord: (u: ExportRow) => [
          u.id, u.firstName, u.lastName, u.email, u.documentType, u.documentNumber, u.role, u.groupNumber, u.phone, u.area,
          u.isActive, u.mustChangePassword, localIso(u.lastLoginAt, tz), localIso(u.createdAt, tz),
        ],
      }));
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
