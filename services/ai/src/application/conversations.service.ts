/**
 * Conversations and feedback (§4.1, R1–R3, R20), always filtered by the caller as owner (O1): another
 * person's conversation or message is answered as not found, admins included.
 */
import type { PageRequest } from '@sicora/platform/pagination';
import { aiErrors } from '../domain/errors.ts';
import { DEFAULT_TITLE, fold } from '../domain/text.ts';
import type { Actor, Deps } from './context.ts';
import { conversationView, messageView } from './views.ts';
import { toIso } from '@sicora/platform/schemas';

export const MAX_MESSAGES = 200;

export interface ListQuery {
  status?: 'active' | 'archived' | 'all';
  q?: string;
  sort?: { field: 'last_message_at' | 'created_at' | 'title'; direction: 'asc' | 'desc' };
}

export function createConversationsService(deps: Deps) {
  const { repos } = deps;

  async function own(actor: Actor, id: string) {
    const c = await repos.conversations.get(actor.sub, id);
    if (!c) throw aiErrors.conversationNotFound();
    return c;
  }

  async function withFeedback(rows: Awaited<ReturnType<typeof repos.conversations.lastMessages>>) {
    const fb = await repos.conversations.feedbackFor(rows.filter((m) => m.role === 'assistant').map((m) => m.id));
    const byMessage = new Map(fb.map((f) => [f.messageId, f]));
    return rows.map((m) => messageView(m, byMessage.get(m.id)));
  }

  return {
    async create(actor: Actor, title: string | undefined) {
      const now = deps.now();
      const t = title?.trim();
      if (title !== undefined && !t) throw aiErrors.field('title', 'minLength', 'El título no puede estar vacío');
      const row = await repos.conversations.create({
        ownerId: actor.sub,
        ownerRole: actor.role,
        title: t ?? DEFAULT_TITLE,
        titleFolded: fold(t ?? DEFAULT_TITLE),
        titleIsCustom: t !== undefined,
        createdAt: now,
        updatedAt: now,
      });
      return conversationView(row);
    },

    async list(actor: Actor, q: ListQuery, page: PageRequest) {
      const { rows, total } = await repos.conversations.list(
        { ownerId: actor.sub, status: q.status ?? 'active', q: q.q ? fold(q.q.trim()) : undefined },
        q.sort ?? { field: 'last_message_at', direction: 'desc' },
        page.limit,
        page.offset,
      );
      return { items: rows.map((r) => ({ ...conversationView(r.row), last_message_excerpt: r.lastExcerpt })), total };
    },

    async get(actor: Actor, id: string) {
      const c = await own(actor, id);
      const last = await repos.conversations.lastMessages(c.id, 51);
      const has_more_messages = last.length > 50;
      return { ...conversationView(c), messages: await withFeedback(last.slice(-50)), has_more_messages };
    },

    async update(actor: Actor, id: string, patch: { title?: string; status?: 'active' | 'archived' }) {
      const c = await own(actor, id);
      const now = deps.now();
      const set: Record<string, unknown> = { updatedAt: now };
      if (patch.title !== undefined) {
        const t = patch.title.trim();
        if (!t) throw aiErrors.field('title', 'minLength', 'El título no puede estar vacío');
        Object.assign(set, { title: t, titleFolded: fold(t), titleIsCustom: true });
      }
      if (patch.status !== undefined) set.status = patch.status;
      return conversationView(await repos.conversations.update(c.id, set));
    },

    async remove(actor: Actor, id: string) {
      // R2: messages and their feedback go with it (FK cascade).
      if (!(await repos.conversations.delete(actor.sub, id))) throw aiErrors.conversationNotFound();
    },

    async messages(actor: Actor, id: string, page: PageRequest) {
      const c = await own(actor, id);
      const { rows, total } = await repos.conversations.messages(c.id, page.limit, page.offset);
      return { items: await withFeedback(rows), total };
    },

    /** R20 */
    async putFeedback(actor: Actor, messageId: string, body: { helpful: boolean; reason?: string; comment?: string }) {
      const m = await repos.conversations.message(actor.sub, messageId);
      if (!m) throw aiErrors.messageNotFound();
      if (m.role !== 'assistant') throw aiErrors.notAnAnswer();
      if (!body.helpful && !body.reason) throw aiErrors.field('reason', 'required', 'Indica el motivo cuando la respuesta no fue útil');
      const reason = body.helpful ? null : (body.reason ?? null);
      const now = deps.now();
      const { row, created } = await deps.withTransaction(async (tx) => {
        const out = await tx.conversations.upsertFeedback({ messageId: m.id, userId: actor.sub, helpful: body.helpful, reason, comment: body.comment ?? null }, now);
        await tx.usage.record({ userId: actor.sub, role: actor.role, kind: 'feedback', answerMode: m.answerMode, helpful: body.helpful, reason, createdAt: now });
        return out;
      });
      return { created, view: { message_id: m.id, helpful: row.helpful, reason: row.reason, comment: row.comment, created_at: toIso(row.createdAt), updated_at: toIso(row.updatedAt) } };
    },

    async deleteFeedback(actor: Actor, messageId: string) {
      const m = await repos.conversations.message(actor.sub, messageId);
      if (!m) throw aiErrors.messageNotFound();
      if (!(await repos.conversations.deleteFeedback(m.id))) throw aiErrors.feedbackNotFound();
    },

    /** R2's daily job: idle active conversations are archived after 30 days. */
    async archiveIdle() {
      const now = deps.now();
      return repos.conversations.archiveIdle(new Date(now.getTime() - 30 * 86_400_000), now);
    },
  };
}

export type ConversationsService = ReturnType<typeof createConversationsService>;
