/** TypeBox schemas of the item routes (§4.1). */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { LocalDate, Nullable, Uuid } from '@sicora/platform/schemas';
import { AUDIENCE, CategoryRefSchema, CsvOf, Instant, ItemSummarySchema, KINDS, OneOf, STATUSES } from './common.schemas.ts';

const Title = Type.String({ minLength: 1, maxLength: 200, description: '3–200 caracteres tras recortar; en una FAQ es la pregunta' });
const Summary = Nullable(Type.String({ maxLength: 500, description: 'Respuesta corta (obligatoria en FAQ)' }));
const Content = Type.String({ minLength: 20, maxLength: 50_000, description: 'Markdown; sin <script>, <iframe>, on…= ni javascript:' });
const SourceRef = Nullable(Type.String({ maxLength: 300, description: 'Obligatoria en reglamentos' }));
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 30, description: '0–15 etiquetas tras normalizar (R4)' });
const Audience = Type.Array(OneOf(AUDIENCE), { minItems: 1, maxItems: 5, uniqueItems: true });
const Pinned = Type.Array(Uuid, { maxItems: 5 });

export const ItemListQuery = Type.Object({
  kind: CsvOf(KINDS, 'Tipos separados por coma'),
  category: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'Id o slug; incluye subcategorías' })),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 400, description: 'Etiquetas separadas por coma (todas deben estar)' })),
  status: CsvOf(STATUSES, 'Editores; instructores con mine=true'),
  audience: Type.Optional(OneOf(AUDIENCE, { description: 'Editores' })),
  mine: Type.Optional(Type.Boolean()),
  q: Type.Optional(Type.String({ minLength: 2, maxLength: 100, description: 'El título contiene (sin tildes)' })),
  updated_from: Type.Optional(LocalDate),
  updated_to: Type.Optional(LocalDate),
  ...PageQuery,
  sort: Type.Optional(OneOf(['-updated_at', 'title', '-published_at', '-view_count', '-helpful_count', '-popularity'] as const, { default: '-updated_at' })),
});

export const CreateItemBody = Type.Object(
  {
    kind: OneOf(KINDS),
    title: Title,
    summary: Type.Optional(Summary),
    content: Content,
    source_reference: Type.Optional(SourceRef),
    category_id: Uuid,
    tags: Type.Optional(Tags),
    audience: Type.Optional(Audience),
    status: Type.Optional(OneOf(['draft', 'in_review', 'published'] as const, { description: 'Instructores: solo draft' })),
    pinned_related_ids: Type.Optional(Pinned),
    notify: Type.Optional(Type.Boolean({ description: 'Solo con status published' })),
  },
  { additionalProperties: false },
);

export const PatchItemBody = Type.Object(
  {
    kind: Type.Optional(OneOf(KINDS)),
    title: Type.Optional(Title),
    summary: Type.Optional(Summary),
    content: Type.Optional(Content),
    source_reference: Type.Optional(SourceRef),
    category_id: Type.Optional(Uuid),
    tags: Type.Optional(Tags),
    audience: Type.Optional(Audience),
    pinned_related_ids: Type.Optional(Pinned),
    change_note: Type.Optional(Type.String({ maxLength: 300 })),
    expected_version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const TransitionBody = Type.Object(
  {
    to: OneOf(STATUSES),
    comment: Type.Optional(Type.String({ maxLength: 1000 })),
    notify: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 120 }) });
export const VersionParams = Type.Object({ id: Uuid, n: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export const RestoreBody = Type.Object({ change_note: Type.Optional(Type.String({ maxLength: 300 })) }, { additionalProperties: false });
export const RelatedQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 5 })) });

export const ItemDetailSchema = Type.Object({
  ...ItemSummarySchema.properties,
  content: Type.String(),
  source_reference: Nullable(Type.String()),
  category_path: Type.Array(CategoryRefSchema),
  author_name: Nullable(Type.String()),
  pinned_related_ids: Type.Array(Uuid),
  origin: OneOf(['manual', 'pdf', 'import', 'seed'] as const),
  created_at: Instant,
  rating_count: Type.Integer(),
  my_feedback: Nullable(Type.Object({ helpful: Type.Boolean(), rating: Nullable(Type.Integer()), comment: Nullable(Type.String()) })),
  quality_warnings: Type.Optional(Type.Array(OneOf(['content_short', 'no_structure', 'no_tags'] as const))),
});

export const VersionSummarySchema = Type.Object({
  version_number: Type.Integer(),
  title: Type.String(),
  changed_by: Nullable(Uuid),
  change_note: Nullable(Type.String()),
  created_at: Instant,
  is_current: Type.Boolean(),
});

export const VersionSchema = Type.Object({
  version_number: Type.Integer(),
  kind: OneOf(KINDS),
  title: Type.String(),
  summary: Nullable(Type.String()),
  content: Type.String(),
  source_reference: Nullable(Type.String()),
  category_id: Uuid,
  tags: Type.Array(Type.String()),
  audience: Type.Array(Type.String()),
  changed_by: Nullable(Uuid),
  change_note: Nullable(Type.String()),
  created_at: Instant,
  is_current: Type.Boolean(),
});

export const RelatedSchema = Type.Object({
  id: Uuid,
  slug: Type.String(),
  kind: OneOf(KINDS),
  title: Type.String(),
  summary: Nullable(Type.String()),
  category: CategoryRefSchema,
  reason: OneOf(['pinned', 'semantic', 'category_tags'] as const),
  score: Type.Number(),
});
