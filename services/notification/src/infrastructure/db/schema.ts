/**
 * The `notification` schema: every table of this service lives here and nowhere else (00-conventions §5).
 * Enumerations are checked by the application (text columns), so adding a value needs no type migration.
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgSchema, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, outboxTable, seedRunsTable, timestamptz } from '@sicora/platform/tables';

export const notificationSchema = pgSchema('notification');

export const outbox = outboxTable(notificationSchema);
export const seedRuns = seedRunsTable(notificationSchema);

// Instants are `timestamptz` read and written as Dates (the platform's convention); ISO strings only at the HTTP edge.
const ts = timestamptz;
const created = createdAt;

export interface Targets {
  user_ids: string[];
  roles: string[];
  group_ids: string[];
  group_numbers: string[];
  include_group_instructors: boolean;
  exclude_user_ids: string[];
}

export interface RecipientOutcomes {
  not_found: string[];
  not_found_count: number;
  groups_not_found: string[];
}

export interface RecipientCard { id: string; first_name: string; last_name: string; full_name: string; role: string }

export const notifications = notificationSchema.table('notifications', {
  id: uuid('id').primaryKey(),
  type: text('type').notNull(),
  category: text('category').notNull(),
  priority: text('priority').notNull(),
  status: text('status').notNull(),
  statusReason: text('status_reason'),
  title: text('title'),
  message: text('message'),
  actionUrl: text('action_url'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  sensitiveKeys: text('sensitive_keys').array().notNull().default(sql`'{}'::text[]`),
  dataErasedAt: ts('data_erased_at'),
  channels: text('channels').array(),
  locale: text('locale').notNull().default('es-CO'),
  targets: jsonb('targets').$type<Targets>().notNull(),
  recipientCount: integer('recipient_count'),
  recipientOutcomes: jsonb('recipient_outcomes').$type<RecipientOutcomes>().notNull().default({ not_found: [], not_found_count: 0, groups_not_found: [] }),
  requestedBy: uuid('requested_by').notNull(),
  requestedByRole: text('requested_by_role').notNull(),
  source: text('source').notNull(),
  entityType: text('entity_type'),
  entityId: text('entity_id'),
  idempotencyKey: text('idempotency_key'),
  requestHash: text('request_hash').notNull(),
  scheduledAt: ts('scheduled_at'),
  expiresAt: ts('expires_at'),
  fanoutAttempts: smallint('fanout_attempts').notNull().default(0),
  fanoutCursor: text('fanout_cursor'),
  leaseUntil: ts('lease_until'),
  requestId: text('request_id').notNull(),
  createdAt: created('created_at'),
  updatedAt: created('updated_at'),
  completedAt: ts('completed_at'),
}, (t) => [
  uniqueIndex('notifications_idempotency_uq').on(t.requestedBy, t.idempotencyKey),
  index('notifications_status_idx').on(t.status, t.leaseUntil),
  index('notifications_requested_by_idx').on(t.requestedBy, t.createdAt),
  index('notifications_created_idx').on(t.createdAt),
]);

/** The statuses a delivery is in progress in: the partial indexes' predicate, repeated as is by their queries. */
export const DELIVERY_IN_PROGRESS = sql`status IN ('pending','queued','sending','retrying')`;

/**
 * R30: the instant the sweeper looks at for a delivery in progress (lease end, retry time, throttle or
 * quiet-hours end, time queued). The sweeper's queries use this exact expression so the planner matches
 * `deliveries_wake_idx`.
 */
export const DELIVERY_WAKE_AT = sql`(CASE status WHEN 'sending' THEN lease_until WHEN 'retrying' THEN next_attempt_at WHEN 'pending' THEN not_before WHEN 'queued' THEN queued_at END)`;

export const deliveries = notificationSchema.table('deliveries', {
  id: uuid('id').primaryKey(),
  notificationId: uuid('notification_id').notNull().references(() => notifications.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull(),
  channel: text('channel').notNull(),
  status: text('status').notNull(),
  statusReason: text('status_reason'),
  priority: text('priority').notNull(),
  destination: text('destination'),
  /** Names and role for the render context (R12), captured at fan-out so sends need no users call. */
  recipient: jsonb('recipient').$type<RecipientCard>().notNull(),
  templateVersionId: uuid('template_version_id'),
  provider: text('provider'),
  providerMessageId: text('provider_message_id'),
  attemptCount: smallint('attempt_count').notNull().default(0),
  maxAttempts: smallint('max_attempts').notNull(),
  redriveCount: smallint('redrive_count').notNull().default(0),
  notBefore: ts('not_before'),
  nextAttemptAt: ts('next_attempt_at'),
  leaseUntil: ts('lease_until'),
  digestId: uuid('digest_id'),
  inboxItemId: uuid('inbox_item_id'),
  lastErrorCode: text('last_error_code'),
  lastErrorMessage: text('last_error_message'),
  queuedAt: ts('queued_at'),
  sentAt: ts('sent_at'),
  deliveredAt: ts('delivered_at'),
  deadAt: ts('dead_at'),
  createdAt: created('created_at'),
  updatedAt: created('updated_at'),
}, (t) => [
  // Every index is written again by each status change (none of them is HOT: `status` is in most), so
  // only those a query needs are kept, partial where the query names the status (the README's table).
  uniqueIndex('deliveries_recipient_uq').on(t.notificationId, t.userId, t.channel),
  // R30's sweeper, one entry per delivery in progress, keyed by the instant it looks at in that state
  // (DELIVERY_WAKE_AT); a finished delivery leaves it, so a `sent` write does not touch it.
  index('deliveries_wake_idx').on(t.status, DELIVERY_WAKE_AT).where(DELIVERY_IN_PROGRESS),
  index('deliveries_throttle_idx').on(t.userId, t.channel, t.sentAt),
  index('deliveries_dead_idx').on(t.deadAt).where(sql`status = 'dead'`),
  index('deliveries_created_idx').on(t.createdAt),
  // W1 receipts come from Twilio only, so only SMS rows are looked up by provider message id.
  index('deliveries_provider_msg_idx').on(t.providerMessageId).where(sql`channel = 'sms'`),
  // R32 after every batch: "does this notification still have a delivery in progress?" in one index probe,
  // where scanning its rows made a 20 000-recipient notification quadratic (R65).
  index('deliveries_open_idx').on(t.notificationId).where(DELIVERY_IN_PROGRESS),
]);

export const deliveryAttempts = notificationSchema.table('delivery_attempts', {
  id: uuid('id').primaryKey(),
  deliveryId: uuid('delivery_id').notNull().references(() => deliveries.id, { onDelete: 'cascade' }),
  attemptNo: smallint('attempt_no').notNull(),
  provider: text('provider'),
  startedAt: ts('started_at').notNull(),
  finishedAt: ts('finished_at'),
  durationMs: integer('duration_ms'),
  outcome: text('outcome').notNull(),
  errorCode: text('error_code'),
  errorMessage: text('error_message'),
  httpStatus: integer('http_status'),
  providerMessageId: text('provider_message_id'),
  failoverFrom: text('failover_from'),
  deviceResults: jsonb('device_results').$type<Array<{ token_suffix: string; result: string }>>(),
  warnings: text('warnings').array().notNull().default(sql`'{}'::text[]`),
}, (t) => [index('delivery_attempts_delivery_idx').on(t.deliveryId, t.attemptNo)]);

export const inboxItems = notificationSchema.table('inbox_items', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull(),
  notificationId: uuid('notification_id').notNull(),
  deliveryId: uuid('delivery_id').notNull(),
  type: text('type').notNull(),
  category: text('category').notNull(),
  priority: text('priority').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  actionUrl: text('action_url'),
  entityType: text('entity_type'),
  entityId: text('entity_id'),
  createdAt: created('created_at'),
  readAt: ts('read_at'),
  archivedAt: ts('archived_at'),
}, (t) => [
  uniqueIndex('inbox_items_delivery_uq').on(t.deliveryId),
  index('inbox_items_user_idx').on(t.userId, t.archivedAt, t.readAt, t.createdAt.desc()),
]);

export const templates = notificationSchema.table('templates', {
  id: uuid('id').primaryKey(),
  type: text('type').notNull(),
  channel: text('channel').notNull(),
  locale: text('locale').notNull().default('es-CO'),
  isActive: boolean('is_active').notNull().default(true),
  isSystem: boolean('is_system').notNull().default(false),
  description: text('description'),
  currentVersion: integer('current_version').notNull().default(1),
  createdAt: created('created_at'),
  updatedAt: created('updated_at'),
  updatedBy: uuid('updated_by'),
}, (t) => [uniqueIndex('templates_key_uq').on(t.type, t.channel, t.locale)]);

export const templateVersions = notificationSchema.table('template_versions', {
  id: uuid('id').primaryKey(),
  templateId: uuid('template_id').notNull().references(() => templates.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  subject: text('subject'),
  bodyText: text('body_text').notNull(),
  bodyHtml: text('body_html'),
  changeNote: text('change_note'),
  createdBy: uuid('created_by'),
  createdAt: created('created_at'),
}, (t) => [uniqueIndex('template_versions_uq').on(t.templateId, t.version)]);

export type CategoryOverrides = Record<string, { email?: boolean; sms?: boolean; push?: boolean }>;

export const userPreferences = notificationSchema.table('user_preferences', {
  userId: uuid('user_id').primaryKey(),
  locale: text('locale').notNull().default('es-CO'),
  emailEnabled: boolean('email_enabled').notNull().default(true),
  smsEnabled: boolean('sms_enabled').notNull().default(true),
  pushEnabled: boolean('push_enabled').notNull().default(true),
  categoryOverrides: jsonb('category_overrides').$type<CategoryOverrides>().notNull().default({}),
  quietHoursEnabled: boolean('quiet_hours_enabled').notNull().default(true),
  quietStart: text('quiet_start').notNull().default('21:00'),
  quietEnd: text('quiet_end').notNull().default('06:00'),
  digest: text('digest').notNull().default('daily'),
  digestHour: smallint('digest_hour').notNull().default(7),
  updatedAt: created('updated_at'),
});

export const deviceTokens = notificationSchema.table('device_tokens', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull(),
  token: text('token').notNull(),
  platform: text('platform').notNull(),
  appVersion: text('app_version'),
  deviceName: text('device_name'),
  createdAt: created('created_at'),
  lastSeenAt: created('last_seen_at'),
  disabledAt: ts('disabled_at'),
  disabledReason: text('disabled_reason'),
}, (t) => [
  // One active registration per token (O4): when another user registers it, the old row is disabled
  // (`replaced`) and kept, so the uniqueness holds among active rows only. A token may be 4 096
  // characters, more than a btree entry holds (2 704 bytes), so the unique key is its md5 and lookups
  // by token go through a hash index.
  uniqueIndex('device_tokens_active_token_uq').on(sql`md5(${t.token})`).where(sql`${t.disabledAt} IS NULL`),
  index('device_tokens_token_idx').using('hash', t.token),
  index('device_tokens_user_idx').on(t.userId, t.disabledAt),
]);

export const digests = notificationSchema.table('digests', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull(),
  frequency: text('frequency').notNull(),
  windowStart: ts('window_start').notNull(),
  scheduledFor: ts('scheduled_for').notNull(),
  status: text('status').notNull(),
  itemCount: integer('item_count').notNull().default(0),
  deliveryId: uuid('delivery_id'),
  createdAt: created('created_at'),
}, (t) => [
  uniqueIndex('digests_open_uq').on(t.userId).where(sql`status = 'open'`),
  index('digests_due_idx').on(t.status, t.scheduledFor),
]);

export const workers = notificationSchema.table('workers', {
  id: text('id').primaryKey(),
  startedAt: ts('started_at').notNull(),
  lastSeenAt: ts('last_seen_at').notNull(),
  breakers: jsonb('breakers').$type<Record<string, { state: string; opened_at: string | null }>>().notNull().default({}),
});

export type NotificationRow = typeof notifications.$inferSelect;
export type DeliveryRow = typeof deliveries.$inferSelect;
export type InboxItemRow = typeof inboxItems.$inferSelect;
export type TemplateRow = typeof templates.$inferSelect;
export type TemplateVersionRow = typeof templateVersions.$inferSelect;
export type PreferencesRow = typeof userPreferences.$inferSelect;
