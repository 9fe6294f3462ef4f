/**
 * The `ai` schema: every table of this service lives here and nowhere else (00-conventions §5).
 * Enums are text columns checked by the application (ai.md §3): the values travel as the spec spells them.
 * `risk_level` is stored as text; severity order is computed in SQL with a CASE where a list sorts by it.
 */
import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, primaryKey, text, uniqueIndex, uuid, pgSchema } from 'drizzle-orm/pg-core';
import { auditTimestamps, createdAt, outboxTable, seedRunsTable, timestamptz } from '@sicora/platform/tables';

export const aiSchema = pgSchema('ai');

export const outbox = outboxTable(aiSchema);
export const seedRuns = seedRunsTable(aiSchema);

/** §3.1 */
export const conversations = aiSchema.table(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id').notNull(),
    ownerRole: text('owner_role').notNull(),
    title: text('title').notNull(),
    titleIsCustom: boolean('title_is_custom').notNull().default(false),
    /** Folded title (R3), kept by the application: `unaccent()` cannot feed an index. */
    titleFolded: text('title_folded').notNull(),
    status: text('status').notNull().default('active'),
    messageCount: integer('message_count').notNull().default(0),
    lastMessageAt: timestamptz('last_message_at'),
    ...auditTimestamps(),
  },
  (t) => [index('conversations_owner_idx').on(t.ownerId, t.status, t.lastMessageAt)],
);

export const messages = aiSchema.table(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    content: text('content').notNull(),
    /** Folded content (R3). */
    contentFolded: text('content_folded').notNull(),
    answerMode: text('answer_mode'),
    fallbackReason: text('fallback_reason'),
    citations: jsonb('citations').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    retrieval: jsonb('retrieval').$type<Record<string, unknown> | null>(),
    model: text('model'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    latencyMs: integer('latency_ms'),
    status: text('status').notNull().default('complete'),
    createdAt: createdAt(),
  },
  (t) => [index('messages_conversation_idx').on(t.conversationId, t.createdAt)],
);

export const answerFeedback = aiSchema.table('answer_feedback', {
  id: uuid('id').primaryKey().defaultRandom(),
  messageId: uuid('message_id')
    .notNull()
    .unique()
    .references(() => messages.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull(),
  helpful: boolean('helpful').notNull(),
  reason: text('reason'),
  comment: text('comment'),
  ...auditTimestamps(),
});

export const idempotencyKeys = aiSchema.table(
  'idempotency_keys',
  {
    userId: uuid('user_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    state: text('state').notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

export const usageEvents = aiSchema.table(
  'usage_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    role: text('role').notNull(),
    kind: text('kind').notNull(),
    conversationStarted: boolean('conversation_started').notNull().default(false),
    answerMode: text('answer_mode'),
    fallbackReason: text('fallback_reason'),
    latencyMs: integer('latency_ms'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    passagesUsed: integer('passages_used'),
    citedItemIds: uuid('cited_item_ids').array(),
    citedItemTitles: text('cited_item_titles').array(),
    helpful: boolean('helpful'),
    reason: text('reason'),
    questionExcerpt: text('question_excerpt'),
    createdAt: timestamptz('created_at').notNull(),
  },
  (t) => [index('usage_events_created_idx').on(t.createdAt)],
);

/** §3.2 */
export const riskSettings = aiSchema.table('risk_settings', {
  version: integer('version').primaryKey(),
  values: jsonb('values').$type<Record<string, unknown>>().notNull(),
  levelCutoffs: jsonb('level_cutoffs').$type<{ medium: number; high: number; critical: number }>().notNull(),
  alertMinLevel: text('alert_min_level').notNull(),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
});

export const riskRuns = aiSchema.table(
  'risk_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scope: text('scope').notNull(),
    groupId: uuid('group_id'),
    groupNumber: text('group_number'),
    trigger: text('trigger').notNull(),
    requestedBy: uuid('requested_by'),
    status: text('status').notNull(),
    windowStart: date('window_start', { mode: 'string' }).notNull(),
    windowEnd: date('window_end', { mode: 'string' }).notNull(),
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
    errors: jsonb('errors').$type<Array<{ group_id: string | null; apprentice_id: string | null; code: string }>>().notNull().default(sql`'[]'::jsonb`),
    createdAt: timestamptz('created_at').notNull(),
    startedAt: timestamptz('started_at'),
    finishedAt: timestamptz('finished_at'),
  },
  (t) => [index('risk_runs_created_idx').on(t.createdAt), index('risk_runs_group_idx').on(t.groupId, t.createdAt)],
);

export const riskAssessments = aiSchema.table(
  'risk_assessments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    runId: uuid('run_id'),
    apprenticeId: uuid('apprentice_id').notNull(),
    apprenticeName: text('apprentice_name'),
    groupId: uuid('group_id').notNull(),
    groupNumber: text('group_number'),
    windowStart: date('window_start', { mode: 'string' }).notNull(),
    windowEnd: date('window_end', { mode: 'string' }).notNull(),
    status: text('status').notNull(),
    score: integer('score'),
    level: text('level'),
    confidence: text('confidence'),
    factors: jsonb('factors').$type<unknown[]>().notNull(),
    inputs: jsonb('inputs').$type<Record<string, unknown>>().notNull(),
    sources: jsonb('sources').$type<Record<string, string>>().notNull(),
    settingsVersion: integer('settings_version').notNull(),
    computedAt: timestamptz('computed_at').notNull(),
    createdBy: uuid('created_by'),
  },
  (t) => [index('risk_assessments_apprentice_idx').on(t.apprenticeId, t.computedAt.desc()), index('risk_assessments_group_idx').on(t.groupId, t.computedAt.desc())],
);

export const riskAlerts = aiSchema.table(
  'risk_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    apprenticeId: uuid('apprentice_id').notNull(),
    apprenticeName: text('apprentice_name'),
    groupId: uuid('group_id').notNull(),
    groupNumber: text('group_number'),
    assessmentId: uuid('assessment_id').notNull(),
    level: text('level').notNull(),
    score: integer('score').notNull(),
    status: text('status').notNull(),
    openedAt: timestamptz('opened_at').notNull(),
    acknowledgedAt: timestamptz('acknowledged_at'),
    acknowledgedBy: uuid('acknowledged_by'),
    resolvedAt: timestamptz('resolved_at'),
    resolvedBy: uuid('resolved_by'),
    resolutionNote: text('resolution_note'),
    dismissedAt: timestamptz('dismissed_at'),
    dismissedBy: uuid('dismissed_by'),
    dismissReason: text('dismiss_reason'),
    snoozeUntil: timestamptz('snooze_until'),
    lastEscalatedAt: timestamptz('last_escalated_at'),
    overdueNotifiedAt: timestamptz('overdue_notified_at'),
    ...auditTimestamps(),
  },
  (t) => [
    // One open alert per apprentice (§3.2).
    uniqueIndex('risk_alerts_open_uq').on(t.apprenticeId).where(sql`status in ('active', 'acknowledged')`),
    index('risk_alerts_group_idx').on(t.groupId, t.status),
    index('risk_alerts_apprentice_idx').on(t.apprenticeId, t.updatedAt),
  ],
);

export const riskAlertEvents = aiSchema.table(
  'risk_alert_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => riskAlerts.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    actorId: uuid('actor_id'),
    note: text('note'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    createdAt: timestamptz('created_at').notNull(),
  },
  (t) => [index('risk_alert_events_alert_idx').on(t.alertId, t.createdAt)],
);
