/**
 * Conversations, messages and answer feedback (§3.1). Every query that a user's request reaches takes the
 * owner id (O1): a row of another owner is simply not found.
 */
import { getTableColumns, and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { countTotal, listPage, withTotal } from '@sicora/platform/list-page';
import { answerFeedback, conversations, messages } from './db/schema.ts';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type MessageInsert = typeof messages.$inferInsert;
export type FeedbackRow = typeof answerFeedback.$inferSelect;

export interface ConversationFilter {
  ownerId: string;
  status: 'active' | 'archived' | 'all';
  /** Folded text that the title or any message contains (R3). */
  q?: string;
}

const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createConversationsRepo(db: Db) {
  return {
    async create(values: typeof conversations.$inferInsert): Promise<ConversationRow> {
      const [row] = await db.insert(conversations).values(values).returning();
      return row;
    },

    async get(ownerId: string, id: string): Promise<ConversationRow | undefined> {
      const [row] = await db.select().from(conversations).where(and(eq(conversations.id, id), eq(conversations.ownerId, ownerId)));
      return row;
    },

    async getForUpdate(ownerId: string, id: string): Promise<ConversationRow | undefined> {
      const [row] = await db.select().from(conversations).where(and(eq(conversations.id, id), eq(conversations.ownerId, ownerId))).for('update');
      return row;
    },

    async list(f: ConversationFilter, sort: { field: 'last_message_at' | 'created_at' | 'title'; direction: 'asc' | 'desc' }, limit: number, offset: number) {
      const c: SQL[] = [eq(conversations.ownerId, f.ownerId)];
      if (f.status !== 'all') c.push(eq(conversations.status, f.status));
      if (f.q) {
        const pattern = like(f.q);
        c.push(sql`(${conversations.titleFolded} LIKE ${pattern} OR EXISTS (SELECT 1 FROM ${messages} WHERE ${messages.conversationId} = ${conversations.id} AND ${messages.contentFolded} LIKE ${pattern}))`);
      }
      const where = and(...c);
      const order =
        sort.field === 'title'
          ? [sort.direction === 'asc' ? asc(conversations.title) : desc(conversations.title), desc(conversations.id)]
          : sort.field === 'created_at'
            ? [desc(conversations.createdAt), desc(conversations.id)]
            : [sql`${conversations.lastMessageAt} DESC NULLS LAST`, desc(conversations.createdAt), desc(conversations.id)];
      const counted = db.select({ n: sql<number>`count(*)::int` }).from(conversations).where(where);
      // Qualified by hand: drizzle writes bare column names inside a selected expression.
      const lastExcerpt = sql<string | null>`(SELECT left(lm.content, 100) FROM "ai"."messages" lm WHERE lm.conversation_id = "conversations"."id" ORDER BY lm.created_at DESC, lm.role ASC LIMIT 1)`;
      const page = db
        .select(withTotal({ row: conversations, lastExcerpt }, countTotal(counted)))
        .from(conversations)
        .where(where)
        .orderBy(...order)
        .limit(limit)
        .offset(offset);
      return listPage(page, offset, async () => (await counted)[0].n);
    },

    async update(id: string, patch: Partial<typeof conversations.$inferInsert>): Promise<ConversationRow> {
      const [row] = await db.update(conversations).set(patch).where(eq(conversations.id, id)).returning();
      return row;
    },

    async delete(ownerId: string, id: string): Promise<boolean> {
      const rows = await db.delete(conversations).where(and(eq(conversations.id, id), eq(conversations.ownerId, ownerId))).returning({ id: conversations.id });
      return rows.length > 0;
    },

    /** R2: active conversations whose last activity is before `before` become archived. */
    async archiveIdle(before: Date, now: Date): Promise<number> {
      const rows = await db
        .update(conversations)
        .set({ status: 'archived', updatedAt: now })
        .where(and(eq(conversations.status, 'active'), sql`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt}) < ${before.toISOString()}::timestamptz`))
        .returning({ id: conversations.id });
      return rows.length;
    },

    async insertMessage(values: MessageInsert): Promise<MessageRow> {
      const [row] = await db.insert(messages).values(values).returning();
      return row;
    },

    async updateMessage(id: string, patch: Partial<MessageInsert>): Promise<MessageRow> {
      const [row] = await db.update(messages).set(patch).where(eq(messages.id, id)).returning();
      return row;
    },

    /** A message of one of the owner's conversations (O1). */
    async message(ownerId: string, id: string): Promise<MessageRow | undefined> {
      const [row] = await db
        .select({ m: messages })
        .from(messages)
        .innerJoin(conversations, eq(conversations.id, messages.conversationId))
        .where(and(eq(messages.id, id), eq(conversations.ownerId, ownerId)));
      return row?.m;
    },

    async messages(conversationId: string, limit: number, offset: number): Promise<{ rows: MessageRow[]; total: number }> {
      const counted = db.select({ n: sql<number>`count(*)::int` }).from(messages).where(eq(messages.conversationId, conversationId));
      const page = db.select(withTotal(getTableColumns(messages), countTotal(counted))).from(messages).where(eq(messages.conversationId, conversationId)).orderBy(asc(messages.createdAt), desc(messages.role)).limit(limit).offset(offset);
      return listPage(page, offset, async () => (await counted)[0].n);
    },

    /** The last `n` messages, chronological. */
    async lastMessages(conversationId: string, n: number): Promise<MessageRow[]> {
      const rows = await db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(desc(messages.createdAt), asc(messages.role)).limit(n);
      return rows.reverse();
    },

    /** The user message just before an answer (analytics' question excerpt). */
    async questionBefore(conversationId: string, at: Date): Promise<MessageRow | undefined> {
      const [row] = await db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), eq(messages.role, 'user'), sql`${messages.createdAt} <= ${at.toISOString()}::timestamptz`))
        .orderBy(desc(messages.createdAt))
        .limit(1);
      return row;
    },

    async feedbackFor(messageIds: string[]): Promise<FeedbackRow[]> {
      if (messageIds.length === 0) return [];
      return db.select().from(answerFeedback).where(inArray(answerFeedback.messageId, messageIds));
    },

    async upsertFeedback(values: typeof answerFeedback.$inferInsert, now: Date): Promise<{ row: FeedbackRow; created: boolean }> {
      const [existing] = await db.select().from(answerFeedback).where(eq(answerFeedback.messageId, values.messageId)).for('update');
      if (existing) {
        const [row] = await db.update(answerFeedback).set({ helpful: values.helpful, reason: values.reason ?? null, comment: values.comment ?? null, updatedAt: now }).where(eq(answerFeedback.id, existing.id)).returning();
        return { row, created: false };
      }
      const [row] = await db.insert(answerFeedback).values({ ...values, createdAt: now, updatedAt: now }).returning();
      return { row, created: true };
    },

    async deleteFeedback(messageId: string): Promise<boolean> {
      const rows = await db.delete(answerFeedback).where(eq(answerFeedback.messageId, messageId)).returning({ id: answerFeedback.id });
      return rows.length > 0;
    },

    /** Analytics R35: feedback rows with their answer, question before it and the answer's citations. */
    async feedbackRows(from: Date, to: Date, f: { helpful?: boolean; reason?: string }, limit: number, offset: number) {
      const c: SQL[] = [sql`${answerFeedback.updatedAt} >= ${from.toISOString()}::timestamptz`, lt(answerFeedback.updatedAt, to)];
      if (f.helpful !== undefined) c.push(eq(answerFeedback.helpful, f.helpful));
      if (f.reason) c.push(eq(answerFeedback.reason, f.reason));
      const where = and(...c);
      const counted = db.select({ n: sql<number>`count(*)::int` }).from(answerFeedback).where(where);
      const question = sql<string | null>`(SELECT left(q.content, 200) FROM "ai"."messages" q WHERE q.conversation_id = "messages"."conversation_id" AND q.role = 'user' AND q.created_at <= "messages"."created_at" ORDER BY q.created_at DESC LIMIT 1)`;
      const page = db
        .select(withTotal({ f: answerFeedback, answer: messages, question }, countTotal(counted)))
        .from(answerFeedback)
        .innerJoin(messages, eq(messages.id, answerFeedback.messageId))
        .where(where)
        .orderBy(desc(answerFeedback.updatedAt), desc(answerFeedback.id))
        .limit(limit)
        .offset(offset);
      return listPage(page, offset, async () => (await counted)[0].n);
    },
  };
}

export type ConversationsRepo = ReturnType<typeof createConversationsRepo>;
