/**
 * The response envelope of 00-conventions §2 and the TypeBox schemas that describe it, so every route's
 * OpenAPI response is the real shape the client receives.
 */
import { Type, type Static, type TSchema } from 'typebox';

export interface Link {
  href: string;
  method: string;
}
export type Links = Record<string, Link>;

export interface PaginationMeta {
  page: number;
  page_size: number;
  total: number;
  total_pages: number;
  has_next: boolean;
  has_prev: boolean;
}

export interface Meta {
  timestamp: string;
  request_id: string;
  pagination?: PaginationMeta;
  warnings?: string[];
}

export interface SuccessEnvelope<T> {
  success: true;
  message: string;
  data: T;
  links?: Links;
  meta: Meta;
}

export interface ErrorEnvelope {
  success: false;
  error: { code: string; message: string; details?: unknown };
  links?: Links;
  meta: Meta;
}

export function meta(requestId: string, extra?: { pagination?: PaginationMeta; warnings?: string[] }): Meta {
  const m: Meta = { timestamp: new Date().toISOString(), request_id: requestId };
  if (extra?.pagination) m.pagination = extra.pagination;
  if (extra?.warnings && extra.warnings.length > 0) m.warnings = extra.warnings;
  return m;
}

export function errorEnvelope(
  requestId: string,
  code: string,
  message: string,
  details?: unknown,
  links?: Links,
): ErrorEnvelope {
  const body: ErrorEnvelope = { success: false, error: { code, message }, meta: meta(requestId) };
  if (details !== undefined) body.error.details = details;
  if (links) body.links = links;
  return body;
}

export const LinkSchema = Type.Object({ href: Type.String(), method: Type.String() });
export const LinksSchema = Type.Record(Type.String(), LinkSchema);
export const PaginationSchema = Type.Object({
  page: Type.Integer(),
  page_size: Type.Integer(),
  total: Type.Integer(),
  total_pages: Type.Integer(),
  has_next: Type.Boolean(),
  has_prev: Type.Boolean(),
});
export const MetaSchema = Type.Object({
  timestamp: Type.String({ format: 'date-time' }),
  request_id: Type.String(),
  pagination: Type.Optional(PaginationSchema),
  warnings: Type.Optional(Type.Array(Type.String())),
});

/** Schema of a success envelope around `data`. */
export function Envelope<T extends TSchema>(data: T, description?: string) {
  return Type.Object(
    {
      success: Type.Literal(true),
      message: Type.String(),
      data,
      links: Type.Optional(LinksSchema),
      meta: MetaSchema,
    },
    description ? { description } : {},
  );
}

export const ErrorEnvelopeSchema = Type.Object(
  {
    success: Type.Literal(false),
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
    links: Type.Optional(LinksSchema),
    meta: MetaSchema,
  },
  { description: 'Error envelope (00-conventions §2)' },
);

/**
 * The error envelope as a shared schema: `createServer` registers it once, every error status refers to
 * it, and the document holds it once under `components.schemas.ErrorEnvelope` (inlined, it was three
 * quarters of the merged document).
 */
export const ERROR_ENVELOPE_ID = 'ErrorEnvelope';
export const ErrorEnvelopeShared = { ...ErrorEnvelopeSchema, $id: ERROR_ENVELOPE_ID };

/** An error status of a route's `response` map: the shared envelope, with what this status means. */
export function ErrorRef(description = 'Error envelope (00-conventions §2)') {
  return Type.Unsafe<Static<typeof ErrorEnvelopeSchema>>({ $ref: `${ERROR_ENVELOPE_ID}#`, description });
}

/** The error responses every route may give, for its OpenAPI `response` map. */
export function errorResponses(...statuses: number[]): Record<number, ReturnType<typeof ErrorRef>> {
  const out: Record<number, ReturnType<typeof ErrorRef>> = {};
  for (const s of statuses) out[s] = ErrorRef();
  return out;
}
