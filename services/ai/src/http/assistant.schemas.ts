/** TypeBox schemas of the assistant's routes (§4.1). */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { Nullable, Timestamp, Uuid } from '@sicora/platform/schemas';
import { OneOf } from './common.ts';

export const CONTEXTS = ['asistencia', 'justificaciones', 'evaluacion', 'horarios', 'proyectos', 'reglamento'] as const;
export const FEEDBACK_REASONS = ['incorrect', 'incomplete', 'not_relevant', 'outdated', 'unclear', 'other'] as const;

export const ConversationSchema = Type.Object({
  id: Uuid,
  title: Type.String(),
  status: OneOf(['active', 'archived'] as const),
  message_count: Type.Integer({ minimum: 0 }),
  last_message_at: Nullable(Timestamp),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const ConversationListItem = Type.Object({ ...ConversationSchema.properties, last_message_excerpt: Nullable(Type.String()) });

export const CitationSchema = Type.Object({
  n: Type.Integer({ minimum: 1 }),
  item_id: Type.String(),
  item_slug: Type.String(),
  item_title: Type.String(),
  item_kind: Type.String(),
  source_reference: Nullable(Type.String()),
  passage_id: Type.String(),
  heading: Nullable(Type.String()),
  excerpt: Type.String(),
  score: Type.Number(),
  cited: Type.Boolean(),
});

const AnswerMode = Nullable(OneOf(['generated', 'extractive', 'no_answer'] as const));
const Fallback = Nullable(OneOf(['llm_unavailable', 'llm_timeout', 'llm_busy', 'kb_unavailable'] as const));

export const MessageSchema = Type.Object({
  id: Uuid,
  role: OneOf(['user', 'assistant'] as const),
  content: Type.String(),
  answer_mode: AnswerMode,
  fallback_reason: Fallback,
  citations: Type.Array(CitationSchema),
  model: Nullable(Type.String()),
  usage: Type.Object({ prompt_tokens: Nullable(Type.Integer()), completion_tokens: Nullable(Type.Integer()) }),
  latency_ms: Nullable(Type.Integer()),
  status: OneOf(['complete', 'interrupted'] as const),
  created_at: Timestamp,
  feedback: Nullable(Type.Object({ helpful: Type.Boolean(), reason: Nullable(Type.String()), comment: Nullable(Type.String()) })),
});

export const ConversationDetail = Type.Object({ ...ConversationSchema.properties, messages: Type.Array(MessageSchema), has_more_messages: Type.Boolean() });

export const CreateConversationBody = Type.Object({ title: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })) }, { additionalProperties: false });

export const PatchConversationBody = Type.Object(
  { title: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })), status: Type.Optional(OneOf(['active', 'archived'] as const)) },
  { additionalProperties: false, minProperties: 1 },
);

export const ConversationListQuery = Type.Object(
  {
    status: Type.Optional(OneOf(['active', 'archived', 'all'] as const, { description: 'active por defecto' })),
    q: Type.Optional(Type.String({ minLength: 2, maxLength: 100, description: 'Texto del título o de algún mensaje (sin tildes ni mayúsculas)' })),
    sort: Type.Optional(OneOf(['-last_message_at', '-created_at', 'title'] as const)),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const MessagesQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const PostMessageBody = Type.Object(
  {
    content: Type.String({ minLength: 1, maxLength: 2000, description: '1–2 000 caracteres (sin espacios sobrantes)' }),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9-]+$', description: 'Slug de una categoría de la base de conocimiento' })),
    stream: Type.Optional(Type.Boolean({ description: 'true: respuesta como text/event-stream (R17)' })),
  },
  { additionalProperties: false },
);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x20-\\x7e]+$', description: 'R19: 1–100 caracteres ASCII imprimibles' })),
});

export const PostMessageResult = Type.Object({ conversation_id: Uuid, user_message: MessageSchema, assistant_message: MessageSchema });

export const AskBody = Type.Object(
  { question: Type.String({ minLength: 1, maxLength: 1000 }), context: Type.Optional(OneOf(CONTEXTS)) },
  { additionalProperties: false },
);

export const AskResult = Type.Object({
  question: Type.String(),
  answer: Type.String(),
  answer_mode: OneOf(['generated', 'extractive', 'no_answer'] as const),
  fallback_reason: Fallback,
  citations: Type.Array(CitationSchema),
  latency_ms: Type.Integer(),
});

export const SuggestionsQuery = Type.Object({ context: Type.Optional(OneOf(CONTEXTS)) }, { additionalProperties: false });
export const SuggestionsSchema = Type.Object({ questions: Type.Array(Type.String(), { maxItems: 6 }) });

export const FeedbackBody = Type.Object(
  { helpful: Type.Boolean(), reason: Type.Optional(OneOf(FEEDBACK_REASONS)), comment: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);

export const FeedbackSchema = Type.Object({ message_id: Uuid, helpful: Type.Boolean(), reason: Nullable(Type.String()), comment: Nullable(Type.String()), created_at: Timestamp, updated_at: Timestamp });

export const StatusSchema = Type.Object({
  answer_mode: OneOf(['generated', 'extractive'] as const),
  llm: Type.Object({ configured: Type.Boolean(), model: Nullable(Type.String()), available: Type.Boolean() }),
  streaming: Type.Boolean(),
  kb: Type.Object({ available: Type.Boolean(), search_mode: Nullable(Type.String()) }),
  limits: Type.Object({ per_minute: Type.Integer(), per_day: Type.Integer(), used_today: Type.Integer(), remaining_today: Type.Integer() }),
  max_message_chars: Type.Integer(),
});
