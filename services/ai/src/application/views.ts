/** The API shapes of rows (ai.md §4): snake_case, ISO instants. */
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import type { AnswerMode, Citation, FallbackReason } from '../domain/answers.ts';
import type { ConversationRow, MessageRow } from './ports.ts';
import type { FeedbackRow } from '../infrastructure/conversations.repo.ts';

export function conversationView(c: ConversationRow) {
  return {
    id: c.id,
    title: c.title,
    status: c.status as 'active' | 'archived',
    message_count: c.messageCount,
    last_message_at: toIsoOrNull(c.lastMessageAt),
    created_at: toIso(c.createdAt),
    updated_at: toIso(c.updatedAt),
  };
}

export function feedbackView(f: FeedbackRow | undefined) {
  return f ? { helpful: f.helpful, reason: f.reason, comment: f.comment } : null;
}

export function messageView(m: MessageRow, feedback?: FeedbackRow) {
  return {
    id: m.id,
    role: m.role as 'user' | 'assistant',
    content: m.content,
    answer_mode: m.answerMode as AnswerMode | null,
    fallback_reason: m.fallbackReason as FallbackReason | null,
    citations: m.citations as Citation[],
    model: m.model,
    usage: { prompt_tokens: m.promptTokens, completion_tokens: m.completionTokens },
    latency_ms: m.latencyMs,
    status: m.status as 'complete' | 'interrupted',
    created_at: toIso(m.createdAt),
    feedback: feedbackView(feedback),
  };
}

export type MessageView = ReturnType<typeof messageView>;
