/** Reads the single CSV part of a multipart upload (§6.1 transport rules: 415, 413). */
import type { FastifyRequest } from 'fastify';
import { errors } from '@sicora/platform/errors';

const TYPES = new Set(['text/csv', 'application/vnd.ms-excel', 'application/octet-stream']);

export async function readCsvUpload(request: FastifyRequest): Promise<{ bytes: Uint8Array; fields: Record<string, string> }> {
  if (!request.isMultipart()) throw errors.unsupportedMediaType('Envíe el archivo como multipart/form-data en la parte "file"');
  const part = await request.file();
  if (!part || part.fieldname !== 'file') throw errors.unsupportedMediaType('Falta la parte "file"');
  if (!part.filename.toLowerCase().endsWith('.csv') || !TYPES.has(part.mimetype.split(';')[0].trim())) {
    throw errors.unsupportedMediaType('El archivo debe ser .csv (text/csv)');
  }
  let bytes: Buffer;
  try {
    bytes = await part.toBuffer();
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw errors.payloadTooLarge('El archivo supera 5 MiB');
    throw err;
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(part.fields)) {
    const f = v as { type?: string; value?: unknown };
    if (f && f.type === 'field') fields[k] = String(f.value);
  }
  return { bytes, fields };
}
