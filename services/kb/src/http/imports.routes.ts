/** §4.5 PDF imports: upload (202), list and read. */
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { PageQuery, pageRequest } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, roleGroup } from '@sicora/platform/roles';
import { IdParams, Nullable, Uuid } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import { UPLOAD_KEY } from '@sicora/platform/uploads';
import { Type, type Static } from 'typebox';
import type { ImportsService } from '../application/imports.service.ts';
import type { RateLimiter } from '../application/rate-limit.ts';
import { kbErrors } from '../domain/errors.ts';
import { Instant, KINDS, ListEnvelope, OneOf, Security } from './common.schemas.ts';
import { actorOf, listReply } from './common.ts';

export interface ImportsRoutesOptions {
  imports: ImportsService;
  limiter: RateLimiter;
  maxBytes: number;
}

const tags = ['imports'];
const WHO = roleGroup(COORDINATION, 'instructor');
const STATUSES = ['queued', 'processing', 'completed', 'failed'] as const;

const Upload = Type.Object(
  {
    file: Type.String({ contentMediaType: 'application/pdf', description: 'El PDF (empieza por %PDF-), ≤ KB_PDF_MAX_MB (50 MB), ≤ 300 páginas, con texto (sin OCR).' }),
    title: Type.Optional(Type.String({ minLength: 3, maxLength: 200 })),
    kind: Type.Optional(OneOf(KINDS)),
    category_id: Type.Optional(Uuid),
    audience: Type.Optional(Type.String({ maxLength: 100, description: 'Roles separados por coma' })),
    tags: Type.Optional(Type.String({ maxLength: 800, description: 'Etiquetas separadas por coma' })),
    split: Type.Optional(OneOf(['auto', 'single', 'sections'] as const)),
    force: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const ImportSchema = Type.Object({ id: Uuid, file_name: Type.String(), size_bytes: Type.Integer(), status: OneOf(STATUSES), options: Type.Record(Type.String(), Type.Unknown()), created_at: Instant });
const ImportDetail = Type.Object({
  ...ImportSchema.properties,
  pages: Nullable(Type.Integer()),
  error_code: Nullable(Type.String()),
  error_message: Nullable(Type.String()),
  created_items: Type.Array(Type.Object({ id: Uuid, title: Type.String(), status: Type.String() })),
  started_at: Nullable(Instant),
  finished_at: Nullable(Instant),
});
const ListQuery = Type.Object({ status: Type.Optional(OneOf(STATUSES)), ...PageQuery, sort: Type.Optional(OneOf(['-created_at'] as const)) });

export const importsRoutes: RoutesPlugin<ImportsRoutesOptions> = async (app, { imports, limiter, maxBytes }) => {
  app.post(
    '/api/v1/kb/imports/pdf',
    {
      preHandler: requireAuth({ roles: WHO }),
      schema: {
        summary: 'Upload a PDF to become draft items',
        description: 'R26: the part must start with %PDF- (else 415, nothing stored); over the limit is 413 (the stream is cut there); the same file as a completed import is 409 DUPLICATE_DOCUMENT unless force=true. Processed by a background job (R27–R30).',
        tags,
        security: Security,
        consumes: ['multipart/form-data'],
        [UPLOAD_KEY]: Upload,
        response: { 202: Envelope(ImportSchema), ...errorResponses(401, 403, 404, 409, 413, 415, 422, 429) },
      },
    },
    async (request, reply) => {
      const a = actorOf(request);
      reply.headers(limiter.hit('pdf', a.sub, a.role));
      if (!request.isMultipart()) throw kbErrors.unsupportedMediaType('Envíe el PDF como multipart/form-data en la parte `file`');
      const fields: Record<string, string> = {};
      let file: { name: string; bytes: Buffer } | undefined;
      for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1 } })) {
        if (part.type === 'field') {
          fields[part.fieldname] = String(part.value);
          continue;
        }
        if (part.fieldname !== 'file' || file) {
          part.file.resume();
          throw kbErrors.validation([{ field: part.fieldname, reason: 'unknown_part', message: 'Solo se admite un archivo, en la parte `file`' }]);
        }
        // The magic number is checked on the first bytes, before the rest of the stream is read.
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of part.file as AsyncIterable<Buffer>) {
          if (size === 0 || size < 5) {
            const head = Buffer.concat([...chunks, chunk]).subarray(0, 5);
            if (head.length >= 5 && head.toString('latin1') !== '%PDF-') {
              part.file.resume();
              throw kbErrors.unsupportedMediaType('El archivo no es un PDF');
            }
          }
          chunks.push(chunk);
          size += chunk.length;
        }
        if (part.file.truncated || size > maxBytes) throw kbErrors.payloadTooLarge(maxBytes);
        const bytes = Buffer.concat(chunks);
        if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw kbErrors.unsupportedMediaType('El archivo no es un PDF');
        file = { name: part.filename || 'documento.pdf', bytes };
      }
      if (!file) throw kbErrors.validation([{ field: 'file', reason: 'required', message: 'Falta la parte `file` con el PDF' }]);
      const data = await imports.upload(a, file, fields, fields.force === 'true');
      return reply.code(202).send(ok(request, data, { message: 'PDF recibido; se procesará en segundo plano', links: { self: { href: `/api/v1/kb/imports/pdf/${data.id}`, method: 'GET' } } }));
    },
  );

  app.get(
    '/api/v1/kb/imports/pdf',
    { preHandler: requireAuth({ roles: WHO }), schema: { summary: 'PDF imports', description: 'Editors see every import, instructors their own.', tags, security: Security, querystring: ListQuery, response: { 200: ListEnvelope(ImportSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query as Static<typeof ListQuery>;
      const page = pageRequest(q);
      const r = await imports.list(actorOf(request), { status: q.status, page: { limit: page.limit, offset: page.offset } });
      return listReply(request, '/api/v1/kb/imports/pdf', q, r.items, r.total);
    },
  );

  app.get(
    '/api/v1/kb/imports/pdf/:id',
    { preHandler: requireAuth({ roles: WHO }), schema: { summary: 'One PDF import', description: 'With pages, error code and the created items; another instructor\'s import is 404.', tags, security: Security, params: IdParams, response: { 200: Envelope(ImportDetail), ...errorResponses(401, 403, 404) } } },
    async (request) => ok(request, await imports.get(actorOf(request), (request.params as { id: string }).id)),
  );
};
