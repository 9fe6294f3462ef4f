/**
 * Success envelopes for route handlers: `return ok(request, data, { message })`.
 */
import type { FastifyRequest } from 'fastify';
import { meta, type Links, type PaginationMeta, type SuccessEnvelope } from './envelope.ts';

export interface OkOptions {
  message?: string;
  links?: Links;
  pagination?: PaginationMeta;
  warnings?: string[];
}

export function ok<T>(request: FastifyRequest, data: T, opts: OkOptions = {}): SuccessEnvelope<T> {
  const body: SuccessEnvelope<T> = {
    success: true,
    message: opts.message ?? 'Operación exitosa',
    data,
    meta: meta(request.id, { pagination: opts.pagination, warnings: opts.warnings }),
  };
  if (opts.links && Object.keys(opts.links).length > 0) body.links = opts.links;
  return body;
}
