/** The assistant's conversations (ai §4.1) as TanStack Query hooks; conversations are private (ai O1). */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { paths } from '@sicora/client';
import { useApi } from '../../../app/context.tsx';
import { unwrap } from '../../../lib/errors.ts';

export type Message = paths['/api/v1/ai/conversations/{id}/messages']['get']['responses'][200]['content']['application/json']['data'][number];
export type Citation = Message['citations'][number];

export interface Conversation {
  id: string;
  title: string;
  status: 'active' | 'archived';
  message_count: number;
  last_message_at: string | null;
  created_at: string;
  updated_at: string;
  last_message_excerpt?: string | null;
}

export interface ConversationDetail extends Conversation {
  messages: Message[];
  has_more_messages: boolean;
}

export interface AiStatus {
  answer_mode: 'generated' | 'extractive';
  llm: { configured: boolean; model: string | null; available: boolean };
  streaming: boolean;
  kb: { available: boolean; search_mode: string | null };
  limits: { per_minute: number; per_day: number; used_today: number; remaining_today: number };
  max_message_chars: number;
}

export const FEEDBACK_REASONS = [
  { value: 'incorrect', label: 'Es incorrecta' },
  { value: 'incomplete', label: 'Está incompleta' },
  { value: 'not_relevant', label: 'No responde mi pregunta' },
  { value: 'outdated', label: 'Está desactualizada' },
  { value: 'unclear', label: 'No es clara' },
  { value: 'other', label: 'Otro motivo' },
] as const;

export const aiKeys = {
  all: ['ai'] as const,
  status: () => [...aiKeys.all, 'status'] as const,
  suggestions: () => [...aiKeys.all, 'suggestions'] as const,
  conversations: (status: string, q: string) => [...aiKeys.all, 'conversations', status, q] as const,
  conversation: (id: string) => [...aiKeys.all, 'conversation', id] as const,
};

export function useAiStatus() {
  const api = useApi();
  return useQuery({ queryKey: aiKeys.status(), staleTime: 30_000, queryFn: () => unwrap<AiStatus>(api.GET('/api/v1/ai/status') as never) });
}

export function useSuggestions() {
  const api = useApi();
  return useQuery({ queryKey: aiKeys.suggestions(), staleTime: 10 * 60_000, queryFn: () => unwrap<{ questions: string[] }>(api.GET('/api/v1/ai/suggestions', {}) as never) });
}

export function useConversations(status: 'active' | 'archived', q: string) {
  const api = useApi();
  const text = q.trim();
  return useQuery({
    queryKey: aiKeys.conversations(status, text.length >= 2 ? text : ''),
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap<Conversation[]>(api.GET('/api/v1/ai/conversations', { params: { query: { status, page_size: 50, ...(text.length >= 2 ? { q: text.slice(0, 100) } : {}) } } }) as never),
  });
}

export function useConversation(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: aiKeys.conversation(id ?? ''),
    enabled: Boolean(id),
    queryFn: () => unwrap<ConversationDetail>(api.GET('/api/v1/ai/conversations/{id}', { params: { path: { id: id! } } }) as never),
  });
}

export function useCreateConversation() {
  const api = useApi();
  return useMutation({ mutationFn: () => unwrap<Conversation>(api.POST('/api/v1/ai/conversations', { body: {} }) as never) });
}

export function useUpdateConversation() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; title?: string; status?: 'active' | 'archived' }) =>
      unwrap<Conversation>(api.PATCH('/api/v1/ai/conversations/{id}', { params: { path: { id } }, body }) as never),
    onSettled: () => qc.invalidateQueries({ queryKey: aiKeys.all }),
  });
}

export function useDeleteConversation() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/ai/conversations/{id}', { params: { path: { id } } }) as never),
    onSettled: () => qc.invalidateQueries({ queryKey: aiKeys.all }),
  });
}

export interface AnswerFeedback {
  helpful: boolean;
  reason?: string | null;
  comment?: string | null;
}

/** ai R20: one opinion per answer, replaced by the next; "no" needs a reason. */
export function useAnswerFeedback(conversationId: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ messageId, ...f }: AnswerFeedback & { messageId: string }) =>
      unwrap(
        api.PUT('/api/v1/ai/messages/{id}/feedback', {
          params: { path: { id: messageId } },
          body: { helpful: f.helpful, ...(f.helpful ? {} : { reason: f.reason as never }), ...(f.comment?.trim() ? { comment: f.comment.trim() } : {}) },
        }) as never,
      ),
    onSettled: () => qc.invalidateQueries({ queryKey: aiKeys.conversation(conversationId) }),
  });
}
