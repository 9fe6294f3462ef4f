/** Schema pieces every kb resource shares (the generic ones come from the platform). */
import { Type, type TSchema } from 'typebox';
import { Envelope } from '@sicora/platform/envelope';
import { Nullable, Uuid } from '@sicora/platform/schemas';

export const Security = [{ bearer: [] }];
export const Instant = Type.String({ format: 'date-time' });

export function OneOf<const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) {
  return Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v)), options));
}

export const ListEnvelope = <T extends TSchema>(item: T) => Envelope(Type.Array(item));

export const KINDS = ['article', 'faq', 'guide', 'procedure', 'regulation'] as const;
export const STATUSES = ['draft', 'in_review', 'published', 'archived'] as const;
export const AUDIENCE = ['all', 'aprendiz', 'instructor', 'administrativo', 'coordinador'] as const;

/** A comma list of values from an allow-list. */
export const CsvOf = (values: readonly string[], description: string) => Type.Optional(Type.String({ pattern: `^(${values.join('|')})(,(${values.join('|')}))*$`, maxLength: 200, description }));

export const CategoryRefSchema = Type.Object({ id: Uuid, slug: Type.String(), name: Type.String() });

export const ItemSummarySchema = Type.Object({
  id: Uuid,
  slug: Type.String(),
  kind: OneOf(KINDS),
  title: Type.String(),
  summary: Nullable(Type.String()),
  excerpt: Nullable(Type.String()),
  category: CategoryRefSchema,
  tags: Type.Array(Type.String()),
  audience: Type.Array(Type.String()),
  status: OneOf(STATUSES),
  version: Type.Integer(),
  view_count: Type.Integer(),
  helpful_count: Type.Integer(),
  not_helpful_count: Type.Integer(),
  rating_avg: Nullable(Type.Number()),
  popularity: Type.Number(),
  published_at: Nullable(Instant),
  updated_at: Instant,
});

export const SearchMetaSchema = Type.Object({
  mode_requested: OneOf(['auto', 'fulltext', 'semantic', 'hybrid'] as const),
  mode_used: OneOf(['fulltext', 'semantic', 'hybrid'] as const),
  semantic_available: Type.Boolean(),
  fallback_reason: Nullable(OneOf(['not_configured', 'vector_extension_missing', 'misconfigured', 'provider_unavailable'] as const)),
  relaxed: Type.Boolean(),
  capped: Type.Boolean(),
  took_ms: Type.Integer(),
});
