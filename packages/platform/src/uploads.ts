/**
 * CSV uploads (users.md §6.1, schedules.md §6): one `multipart/form-data` part `file` with the CSV, plus a few plain
 * form fields. Every import of every service reads its file here, so the transport rules are one:
 * not multipart → 415; no `file` part → 422 naming `file`; not a `.csv` of a CSV media type → 415;
 * over the size limit → 413 with `details.max_bytes`.
 *
 * Fastify validates `schema.body` against what it parsed, and a multipart body is read by the handler
 * (streamed, size-capped), so the upload's schema cannot sit in `body`. A route declares it with
 * `csvUploadSchema()`, which keeps it under `x-upload`; `documentUploads` (the server's swagger transform)
 * moves it into the operation's `multipart/form-data` request body, where clients and the contract suite
 * read it.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import { Type, type TProperties, type TSchema } from 'typebox';
import { errors } from './errors.ts';

/** The media types a browser or a spreadsheet program gives a `.csv` file (users.md §6.1, schedules.md §6). */
const CSV_TYPES = new Set(['text/csv', 'application/vnd.ms-excel', 'application/octet-stream']);

export const UPLOAD_KEY = 'x-upload';

export interface CsvUploadOptions {
  /** What the file holds (its columns, encoding). */
  description: string;
  /** The size limit the service enforces (documented as the part's bound). */
  maxBytes: number;
  /** Plain form fields read next to the file (`dry_run`, `on_existing`…). */
  fields?: TProperties;
}

/** The route's `schema` keys for a CSV upload: the media type it consumes and the documented body. */
export function csvUploadSchema(o: CsvUploadOptions): { consumes: string[]; [UPLOAD_KEY]: TSchema } {
  const body = Type.Object({
    file: Type.String({
      contentMediaType: 'text/csv',
      description: `${o.description} A \`.csv\` file of at most ${o.maxBytes} bytes.`,
    }),
    ...(o.fields ?? {}),
  }, { additionalProperties: false });
  return { consumes: ['multipart/form-data'], [UPLOAD_KEY]: body };
}

/** Registers the multipart parser with the one-file limits of an import. */
export async function registerUploads(app: FastifyInstance, o: { maxBytes: number; fields?: number }): Promise<void> {
  const fields = o.fields ?? 10;
  await app.register(multipart, { limits: { fileSize: o.maxBytes, files: 1, fields, parts: fields + 1 } });
}

export interface CsvUpload {
  bytes: Buffer;
  /** The plain form fields sent before the file part. */
  fields: Record<string, string>;
}

/**
 * Reads a CSV upload under the transport rules above: every part of the body, so a form field sent after
 * the file (`dry_run=true` last) is read as surely as one sent before it; the file is buffered up to
 * `maxBytes` (the multipart limit stops the stream there).
 */
export async function readCsvUpload(request: FastifyRequest, maxBytes: number): Promise<CsvUpload> {
  if (!request.isMultipart()) throw errors.unsupportedMediaType('Envíe el archivo como multipart/form-data en la parte `file`');
  let bytes: Buffer | undefined;
  const fields: Record<string, string> = {};
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      fields[part.fieldname] = String(part.value);
      continue;
    }
    if (part.fieldname !== 'file' || bytes !== undefined) {
      part.file.resume();
      throw errors.validation([{ field: part.fieldname, reason: 'unknown_part', message: 'Solo se admite un archivo, en la parte `file`' }]);
    }
    const mediaType = part.mimetype.split(';')[0].trim().toLowerCase();
    if (!part.filename.toLowerCase().endsWith('.csv') || !CSV_TYPES.has(mediaType)) {
      part.file.resume();
      throw errors.unsupportedMediaType('El archivo debe ser .csv (text/csv)');
    }
    try {
      bytes = await part.toBuffer();
    } catch (err) {
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
      throw err;
    }
    if (part.file.truncated || bytes.length > maxBytes) throw tooLarge(maxBytes);
  }
  if (bytes === undefined) throw errors.validation([{ field: 'file', reason: 'required', message: 'Falta la parte `file` con el CSV' }]);
  return { bytes, fields };
}

function tooLarge(maxBytes: number) {
  const mib = Math.floor(maxBytes / 1024 / 1024);
  return errors.payloadTooLarge(`El archivo supera ${mib >= 1 ? `${mib} MiB` : `${maxBytes} bytes`}`, { max_bytes: maxBytes });
}

/** The swagger transform: an upload's `x-upload` schema becomes its documented `multipart/form-data` body. */
export function documentUploads(input: { schema: FastifySchema; url: string }): { schema: FastifySchema; url: string } {
  const schema = input.schema as (FastifySchema & Record<string, unknown>) | undefined;
  if (!schema || !(UPLOAD_KEY in schema)) return { schema: input.schema, url: input.url };
  const { [UPLOAD_KEY]: body, ...rest } = schema;
  return { schema: { ...rest, body, consumes: ['multipart/form-data'] } as FastifySchema, url: input.url };
}
