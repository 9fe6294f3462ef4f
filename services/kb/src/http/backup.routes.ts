/** §6.2 JSON export (editors) and import (admins) for backup and restore. */
import { requireAuth } from '@sicora/platform/auth';
import { attachment } from '@sicora/platform/csv-export';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { ADMINS, COORDINATION } from '@sicora/platform/roles';
import { UPLOAD_KEY } from '@sicora/platform/uploads';
import { localIso } from '@sicora/platform/csv-export';
import type { RoutesPlugin } from '@sicora/platform/server';
import { Type, type Static } from 'typebox';
import type { BackupService } from '../application/backup.service.ts';
import type { RateLimiter } from '../application/rate-limit.ts';
import { kbErrors } from '../domain/errors.ts';
import { OneOf, Security } from './common.schemas.ts';
import { actorOf } from './common.ts';

export interface BackupRoutesOptions {
  backup: BackupService;
  limiter: RateLimiter;
  timeZone: string;
  now: () => Date;
}

export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
const tags = ['admin'];
const ExportQuery = Type.Object({ include_versions: Type.Optional(Type.Boolean({ default: true })) });
const ImportQuery = Type.Object({ mode: Type.Optional(OneOf(['skip_existing', 'overwrite'] as const, { default: 'skip_existing' })), dry_run: Type.Optional(Type.Boolean({ default: false })) });
const Counts = Type.Object({ dry_run: Type.Boolean(), categories_created: Type.Integer(), categories_updated: Type.Integer(), items_created: Type.Integer(), items_updated: Type.Integer(), items_skipped: Type.Integer(), versions_imported: Type.Integer() });
const ImportUpload = Type.Object({ file: Type.String({ contentMediaType: 'application/json', description: 'The §6.2 export file, ≤ 20 MB.' }) }, { additionalProperties: false });

export const backupRoutes: RoutesPlugin<BackupRoutesOptions> = async (app, { backup, limiter, timeZone, now }) => {
  app.get(
    '/api/v1/kb/admin/export',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'Export the knowledge base', description: 'R31: every non-deleted category and item (all statuses), their versions unless include_versions=false, counters; never embeddings, feedback, views or logs. Downloaded as kb-export-YYYYMMDD-HHmmss.json.', tags, security: Security, querystring: ExportQuery, response: { 200: { description: 'The §6.2 JSON file', content: { 'application/json': { schema: Type.Unsafe<unknown>({ type: 'object' }) } } }, ...errorResponses(401, 403, 422) } } },
    async (request, reply) => {
      const q = request.query as Static<typeof ExportQuery>;
      const stamp = localIso(now(), timeZone).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
      const body = JSON.stringify(await backup.export(q.include_versions !== false));
      return reply.type('application/json; charset=utf-8').header('content-disposition', attachment(`kb-export-${stamp}.json`)).send(body);
    },
  );

  app.post(
    '/api/v1/kb/admin/import',
    {
      preHandler: requireAuth({ roles: ADMINS }),
      bodyLimit: IMPORT_MAX_BYTES,
      schema: {
        summary: 'Import a knowledge-base export',
        description: 'R32: multipart `file` or an application/json body (≤ 20 MB, ≤ 5 000 items, ≤ 500 categories). The whole file is validated first (422 IMPORT_VALIDATION_FAILED with every error); then one transaction. mode=skip_existing leaves existing records, overwrite replaces them; dry_run only counts.',
        tags,
        security: Security,
        querystring: ImportQuery,
        consumes: ['multipart/form-data', 'application/json'],
        [UPLOAD_KEY]: ImportUpload,
        response: { 200: Envelope(Counts), ...errorResponses(401, 403, 413, 415, 422, 429) },
      },
    },
    async (request, reply) => {
      const a = actorOf(request);
      reply.headers(limiter.hit('import', a.sub, a.role));
      const q = request.query as Static<typeof ImportQuery>;
      let doc: unknown = request.body;
      const type = String(request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!request.isMultipart() && type !== 'application/json') throw kbErrors.unsupportedMediaType('Envíe el archivo como application/json o multipart/form-data en la parte `file`');
      if (request.isMultipart()) {
        let text: string | undefined;
        for await (const part of request.parts({ limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } })) {
          if (part.type === 'field') continue;
          if (part.fieldname !== 'file') {
            part.file.resume();
            continue;
          }
          const bytes = await part.toBuffer().catch((err: { code?: string }) => {
            if (err.code === 'FST_REQ_FILE_TOO_LARGE') throw kbErrors.payloadTooLarge(IMPORT_MAX_BYTES);
            throw err;
          });
          if (part.file.truncated) throw kbErrors.payloadTooLarge(IMPORT_MAX_BYTES);
          text = bytes.toString('utf8');
        }
        if (text === undefined) throw kbErrors.validation([{ field: 'file', reason: 'required', message: 'Falta la parte `file`' }]);
        try {
          doc = JSON.parse(text.replace(/^\uFEFF/, ''));
        } catch {
          throw kbErrors.importFormatUnsupported('unparsable_json');
        }
      }
      const counts = await backup.import(a, doc, { mode: q.mode ?? 'skip_existing', dryRun: q.dry_run === true });
      return ok(request, counts, { message: counts.dry_run ? 'Simulación de importación' : 'Importación completada' });
    },
  );
};
