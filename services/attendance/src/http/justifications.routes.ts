/**
 * J1–J9: justifications, their evidence files and their review. J1 and J6 read `multipart/form-data`
 * here, streamed under §6.1's limits: each file ≤ 5 MiB (the parser's `fileSize`, set explicitly because
 * it defaults to Fastify's 1 MiB `bodyLimit`), the whole request ≤ 16 MiB counted while the bytes arrive
 * (@fastify/multipart does not apply `bodyLimit` to the body), at most 3 file parts. The parser is
 * registered inside this plugin only, so no other route accepts multipart.
 */
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { AppError, errors, isAppError } from '@sicora/platform/errors';
import { pageRequest } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, roleGroup } from '@sicora/platform/roles';
import { MediaResponse } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import { UPLOAD_KEY } from '@sicora/platform/uploads';
import { justificationErrors, MAX_FILE_BYTES, MAX_FILES, MAX_REQUEST_BYTES, type UploadedFile } from '../application/justifications.evidence.ts';
import type { JustificationsService } from '../application/justifications.service.ts';
import { justificationLinks } from '../application/justifications.views.ts';
import { ListEnvelope, Security } from './common.schemas.ts';
import { actorOf, listReply, parseSorts, withWarnings } from './common.ts';
import { FileParams, FilesUpload, JUSTIFICATION_SORT, JustificationListQuery, JustificationParams, JustificationPatchBody, JustificationSchema, ReviewBody, SubmitUpload } from './justifications.schemas.ts';

export interface JustificationsRoutesOptions {
  justifications: JustificationsService;
}

const tags = ['justifications'];
const BASE = '/api/v1/attendance/justifications';
const READERS = roleGroup(COORDINATION, 'instructor', 'aprendiz');
const REVIEWERS = roleGroup(COORDINATION, 'instructor');
/** Text parts are short (sessions JSON of 10, a reason of 1000 characters): anything longer is refused. */
const MAX_FIELD_BYTES = 16 * 1024;
const TRANSPORT = 'multipart/form-data; file parts named `files` (1–3, each ≤ 5 MiB, PDF/JPEG/PNG by their first bytes), whole request ≤ 16 MiB.';

/** The multipart errors of the parser, as this service's coded answers. */
function transportError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const code = (err as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return justificationErrors.fileTooLarge();
  if (code === 'FST_FILES_LIMIT') return justificationErrors.tooManyFiles();
  return errors.validation([{ field: 'body', reason: 'malformed', message: 'El cuerpo multipart no es válido' }]);
}

/**
 * Reads every part: text parts into `fields` (only `allowed` names), file parts named `files` into
 * buffers, counting the request's bytes as they arrive.
 */
async function readUpload(request: FastifyRequest, allowed: readonly string[]): Promise<{ fields: Record<string, string>; files: UploadedFile[] }> {
  if (!request.isMultipart()) throw errors.unsupportedMediaType(`Envíe ${TRANSPORT}`);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_REQUEST_BYTES) throw justificationErrors.fileTooLarge();
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  let total = 0;
  try {
    for await (const part of request.parts({ limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES + 1, fields: 10, parts: MAX_FILES + 11, fieldSize: MAX_FIELD_BYTES } })) {
      if (part.type === 'field') {
        const value = String(part.value);
        total += Buffer.byteLength(value) + part.fieldname.length;
        if (!allowed.includes(part.fieldname) || part.fieldname in fields) throw errors.validation([{ field: part.fieldname, reason: 'unknown_part', message: `Parte no admitida: ${part.fieldname}` }]);
        if (part.valueTruncated) throw errors.validation([{ field: part.fieldname, reason: 'too_long', message: `La parte ${part.fieldname} es demasiado larga` }]);
        fields[part.fieldname] = value;
        continue;
      }
      if (part.fieldname !== 'files') {
        part.file.resume();
        throw errors.validation([{ field: part.fieldname, reason: 'unknown_part', message: 'Los archivos van en partes llamadas `files`' }]);
      }
      if (files.length === MAX_FILES) {
        part.file.resume();
        throw justificationErrors.tooManyFiles();
      }
      const chunks: Buffer[] = [];
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > MAX_REQUEST_BYTES) throw justificationErrors.fileTooLarge();
        chunks.push(chunk);
      }
      if (part.file.truncated) throw justificationErrors.fileTooLarge();
      files.push({ filename: part.filename ?? '', mimetype: part.mimetype ?? '', bytes: Buffer.concat(chunks) });
    }
  } catch (err) {
    throw transportError(err);
  }
  return { fields, files };
}

/** §6.1: `filename="…"` in ASCII, plus RFC 5987 `filename*` when the name is not ASCII. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(name)) return `attachment; filename="${ascii}"`;
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export const justificationsRoutes: RoutesPlugin<JustificationsRoutesOptions> = async (app, { justifications }) => {
  // Limits are passed per request in readUpload; these are the defaults should anything else read parts.
  await app.register(multipart, { limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES + 1, fieldSize: MAX_FIELD_BYTES } });

  app.post(
    BASE,
    {
      preHandler: requireAuth({ roles: ['aprendiz'] }),
      schema: {
        summary: 'J1 Submit a justification',
        description: `${TRANSPORT} Text parts sessions (JSON), type, reason. AFTER_ABSENCE when every session has started (ABSENT record, R23 deadline), ADVANCE_NOTICE when none has (≤ advance_notice_max_days ahead). Nothing is written on any refusal.`,
        tags,
        security: Security,
        consumes: ['multipart/form-data'],
        [UPLOAD_KEY]: SubmitUpload,
        response: { 201: Envelope(JustificationSchema), ...errorResponses(401, 403, 404, 409, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const upload = await readUpload(request, ['sessions', 'type', 'reason']);
      const res = await justifications.submit(actorOf(request), upload);
      return reply.code(201).send(ok(request, res.data, { message: 'Justificación enviada', links: justificationLinks(res.row), ...withWarnings(res.warnings) }));
    },
  );

  app.get(
    BASE,
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'J2 List justifications', description: 'Apprentices their own; instructors those with a session they taught (O4); coordination all. No file content.', tags, security: Security, querystring: JustificationListQuery, response: { 200: ListEnvelope(JustificationSchema), ...errorResponses(401, 403, 422, 503) } } },
    async (request) => {
      const q = request.query;
      const sort = parseSorts(q.sort, JUSTIFICATION_SORT, [{ field: 'submitted_at', direction: 'desc' }]);
      const { items, total, warnings } = await justifications.list(actorOf(request), q, sort, pageRequest(q));
      return listReply(request, BASE, q, items, total, warnings);
    },
  );

  app.get(
    `${BASE}/:justification_id`,
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'J3 Read a justification', description: 'Outside the caller\'s scope → 404.', tags, security: Security, params: JustificationParams, response: { 200: Envelope(JustificationSchema), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request) => {
      const res = await justifications.get(actorOf(request), request.params.justification_id);
      return ok(request, res.data, { links: justificationLinks(res.row), ...withWarnings(res.warnings) });
    },
  );

  app.patch(
    `${BASE}/:justification_id`,
    { preHandler: requireAuth({ roles: ['aprendiz'] }), schema: { summary: 'J4 Edit a justification', description: 'The owner changes type and reason while PENDING (R25).', tags, security: Security, params: JustificationParams, body: JustificationPatchBody, response: { 200: Envelope(JustificationSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => {
      const res = await justifications.edit(actorOf(request), request.params.justification_id, request.body);
      return ok(request, res.data, { message: 'Justificación actualizada', links: justificationLinks(res.row), ...withWarnings(res.warnings) });
    },
  );

  app.delete(
    `${BASE}/:justification_id`,
    { preHandler: requireAuth({ roles: ['aprendiz', 'admin'] }), schema: { summary: 'J5 Withdraw a justification', description: 'The owner, or an admin, deletes a PENDING justification with its items and files (R25).', tags, security: Security, params: JustificationParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => {
      await justifications.withdraw(actorOf(request), request.params.justification_id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${BASE}/:justification_id/files`,
    {
      preHandler: requireAuth({ roles: ['aprendiz'] }),
      schema: { summary: 'J6 Add evidence files', description: `${TRANSPORT} At most 3 files in all (R24, R25).`, tags, security: Security, params: JustificationParams, consumes: ['multipart/form-data'], [UPLOAD_KEY]: FilesUpload, response: { 201: Envelope(JustificationSchema), ...errorResponses(401, 403, 404, 409, 413, 415, 422, 503) } },
    },
    async (request, reply) => {
      const upload = await readUpload(request, []);
      const res = await justifications.addFiles(actorOf(request), request.params.justification_id, upload.files);
      return reply.code(201).send(ok(request, res.data, { message: 'Archivos agregados', links: justificationLinks(res.row), ...withWarnings(res.warnings) }));
    },
  );

  app.delete(
    `${BASE}/:justification_id/files/:file_id`,
    { preHandler: requireAuth({ roles: ['aprendiz'] }), schema: { summary: 'J7 Remove an evidence file', description: 'While PENDING and another file remains (409 LAST_EVIDENCE_FILE).', tags, security: Security, params: FileParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => {
      await justifications.removeFile(actorOf(request), request.params.justification_id, request.params.file_id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    `${BASE}/:justification_id/files/:file_id`,
    {
      preHandler: requireAuth({ roles: READERS }),
      schema: {
        summary: 'J8 Download an evidence file',
        description: 'The owner, the O4 reviewers and coordination; anyone else, and purged files, 404 EVIDENCE_NOT_FOUND (R28).',
        tags,
        security: Security,
        params: FileParams,
        response: { 200: MediaResponse('El archivo de soporte (§6.1)', 'application/pdf', 'image/jpeg', 'image/png'), ...errorResponses(401, 403, 404, 422, 503) },
      },
    },
    async (request, reply) => {
      const file = await justifications.download(actorOf(request), request.params.justification_id, request.params.file_id);
      return reply
        .type(file.mediaType)
        .header('Content-Disposition', contentDisposition(file.fileName))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cache-Control', 'private, no-store')
        .send(file.content);
    },
  );

  app.post(
    `${BASE}/:justification_id/review`,
    { preHandler: requireAuth({ roles: REVIEWERS }), schema: { summary: 'J9 Review a justification', description: 'APPROVED turns the covered ABSENT records JUSTIFIED/EXCUSED; REJECTED needs a 10–1000 character comment (R26).', tags, security: Security, params: JustificationParams, body: ReviewBody, response: { 200: Envelope(JustificationSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => {
      const res = await justifications.review(actorOf(request), request.params.justification_id, request.body);
      return ok(request, { ...res.data, records_updated: res.recordsUpdated }, { message: res.row.status === 'APPROVED' ? 'Justificación aprobada' : 'Justificación rechazada', links: justificationLinks(res.row), ...withWarnings(res.warnings) });
    },
  );
};
