/** Schema pieces every resource of this service shares (the generic ones come from the platform). */
import { Type, type TSchema } from 'typebox';
import { Envelope } from '@sicora/platform/envelope';
import { PageQuery } from '@sicora/platform/pagination';
import { Nullable, Timestamp, Uuid } from '@sicora/platform/schemas';

export const Security = [{ bearer: [] }];

export function OneOf<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v)), options));
}

/** `field` / `-field` from an allow-list. */
export function SortQuery(fields: readonly string[], description: string) {
  return Type.Optional(Type.String({ pattern: `^-?(${fields.join('|')})$`, maxLength: 40, description }));
}

export const ListEnvelope = <T extends TSchema>(item: T) => Envelope(Type.Array(item));
export const Instant = Timestamp;
export { Nullable, Uuid, PageQuery };

/** A free-text query filter (no NUL, bounded). */
export const SearchText = Type.Optional(Type.String({ minLength: 1, maxLength: 200 }));

export const QUESTION_TYPE_INPUT = ['likert', 'single_choice', 'multiple_choice', 'text', 'scale_1_5', 'rating', 'escala', 'opcion_unica', 'opcion_multiple', 'texto', 'abierta'] as const;
export const QUESTION_TYPES = ['likert', 'single_choice', 'multiple_choice', 'text'] as const;
export const PERIOD_STATUSES = ['draft', 'scheduled', 'active', 'suspended', 'closed', 'published'] as const;

/** Case-insensitive type input: canonical values and aliases (§3). */
export const QuestionTypeInput = Type.String({ minLength: 1, maxLength: 30, description: `Tipo o alias, sin distinguir mayúsculas: ${QUESTION_TYPE_INPUT.join(', ')}` });

export const QuestionSchema = Type.Object({
  id: Uuid,
  text: Type.String(),
  description: Nullable(Type.String()),
  question_type: OneOf(QUESTION_TYPES),
  category: Type.String(),
  options: Nullable(Type.Array(Type.String())),
  is_required: Type.Boolean(),
  order_index: Type.Integer(),
  is_active: Type.Boolean(),
  created_by: Nullable(Uuid),
  created_at: Instant,
  updated_at: Instant,
  locked: Type.Boolean(),
  questionnaire_count: Type.Integer({ minimum: 0 }),
});

export const QuestionnaireSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Nullable(Type.String()),
  is_active: Type.Boolean(),
  created_by: Nullable(Uuid),
  created_at: Instant,
  updated_at: Instant,
  question_count: Type.Integer({ minimum: 0 }),
  period_count: Type.Integer({ minimum: 0 }),
  locked: Type.Boolean(),
});

export const QuestionnaireDetailSchema = Type.Object({
  ...QuestionnaireSchema.properties,
  questions: Type.Array(Type.Object({ ...QuestionSchema.properties, position: Type.Integer({ minimum: 1 }) })),
});
