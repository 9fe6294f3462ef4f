/**
 * Reading `multipart/form-data` for P39, P70 and P72: text parts into `fields` (only the allowed names),
 * file parts (named `fileField`) streamed to disk through the upload batch, at most `maxFiles`. The
 * parser's own file limit sits just above 25 MiB so the batch, which counts every chunk, answers 413.
 */
import type { FastifyRequest } from 'fastify';
import { AppError, errors, isAppError } from '@sicora/platform/errors';
import type { StagedFile } from '../application/ports.ts';
import { tooLarge, type Uploads } from '../application/uploads.ts';
import { MAX_FILE_BYTES } from '../domain/files.ts';

export interface ReadUpload {
  fields: Record<string, string>;
  files: StagedFile[];
}

export async function readUpload(
  request: FastifyRequest,
  uploads: Uploads,
  o: { allowed: readonly string[]; fileField: string; maxFiles: number; maxBytes: number; tooMany: () => AppError },
): Promise<ReadUpload> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > o.maxBytes + 1024 * 1024) throw tooLarge(o.maxBytes);
  const batch = uploads.batch(o.maxBytes);
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts({ limits: { fileSize: MAX_FILE_BYTES + 1, files: o.maxFiles + 1, fields: 20, fieldSize: 16 * 1024 } })) {
      if (part.type === 'field') {
        if (!o.allowed.includes(part.fieldname) || part.fieldname in fields) throw errors.validation([{ field: part.fieldname, reason: 'unknown_part', message: `Parte no admitida: ${part.fieldname}` }]);
        if (part.valueTruncated) throw errors.validation([{ field: part.fieldname, reason: 'too_long', message: `La parte ${part.fieldname} es demasiado larga` }]);
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname !== o.fileField) {
        part.file.resume();
        throw errors.validation([{ field: part.fieldname, reason: 'unknown_part', message: `Los archivos van en partes llamadas \`${o.fileField}\`` }]);
      }
      if (batch.staged.length === o.maxFiles) {
        part.file.resume();
        throw o.tooMany();
      }
      await batch.add(part.file, part.filename ?? '');
      if (part.file.truncated) throw tooLarge(o.maxBytes);
    }
  } catch (err) {
    await batch.discard();
    if (isAppError(err)) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(o.maxBytes);
    if (code === 'FST_FILES_LIMIT') throw o.tooMany();
    throw errors.validation([{ field: 'body', reason: 'malformed', message: 'El cuerpo multipart no es válido' }]);
  }
  return { fields, files: batch.staged };
}

/** §6: `attachment; filename*=UTF-8''<name>` with an ASCII fallback. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
