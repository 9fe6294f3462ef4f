/**
 * The `users` schema: every table of this service lives here and nowhere else (00-conventions §5).
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgSchema, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { outboxTable, seedRunsTable, timestamptz as ts } from '@sicora/platform/tables';

export const usersSchema = pgSchema('users');

export const users = usersSchema.table(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    email: text('email').notNull(),
    documentType: text('document_type', { enum: ['CC', 'TI', 'CE', 'PA', 'PPT'] }).notNull(),
    documentNumber: text('document_number').notNull(),
    phone: text('phone'),
    role: text('role', { enum: ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz'] }).notNull(),
    groupId: uuid('group_id'),
    groupNumber: text('group_number'),
    area: text('area'),
    avatarUrl: text('avatar_url'),
    passwordHash: text('password_hash'),
    mustChangePassword: boolean('must_change_password').notNull().default(true),
    isActive: boolean('is_active').notNull().default(true),
    lastLoginAt: ts('last_login_at'),
    passwordChangedAt: ts('password_changed_at'),
    tokensValidAfter: ts('tokens_valid_after').notNull().default(sql`date_trunc('second', now())`),
    /** Lower-case, accent-free names, e-mail and document, computed by the application (no unaccent). */
    searchText: text('search_text').notNull(),
    createdBy: uuid('created_by'),
    updatedBy: uuid('updated_by'),
    deletedBy: uuid('deleted_by'),
    createdAt: ts('created_at').notNull().default(sql`now()`),
    updatedAt: ts('updated_at').notNull().default(sql`now()`),
    deletedAt: ts('deleted_at'),
  },
  (t) => [
    uniqueIndex('users_email_live_uq').on(t.email).where(sql`deleted_at is null`),
    uniqueIndex('users_document_live_uq').on(t.documentNumber).where(sql`deleted_at is null`),
    index('users_role_active_idx').on(t.role, t.isActive),
    index('users_group_role_idx').on(t.groupId, t.role),
    index('users_created_idx').on(t.createdAt),
  ],
);

export const REVOKE_REASONS = [
  'logout', 'logout_all', 'password_changed', 'reuse_detected', 'deactivated', 'deleted', 'role_changed', 'session_limit', 'user_ended',
] as const;
export type RevokeReason = (typeof REVOKE_REASONS)[number];

export const refreshTokens = usersSchema.table(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    familyId: uuid('family_id').notNull(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    // Constraint names as first committed in 0000_init (generated before the columns were named explicitly).
    tokenHash: text('token_hash').notNull().unique('refresh_tokens_tokenHash_unique'),
    parentId: uuid('parent_id'),
    issuedAt: ts('issued_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    familyStartedAt: ts('family_started_at').notNull(),
    rotatedAt: ts('rotated_at'),
    revokedAt: ts('revoked_at'),
    revokeReason: text('revoke_reason', { enum: REVOKE_REASONS }),
    userAgent: text('user_agent').notNull().default(''),
    ipMasked: text('ip_masked').notNull().default(''),
    lastUsedAt: ts('last_used_at').notNull(),
  },
  (t) => [index('refresh_tokens_user_idx').on(t.userId, t.revokedAt), index('refresh_tokens_family_idx').on(t.familyId)],
);

export const passwordResetTokens = usersSchema.table(
  'password_reset_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique('password_reset_tokens_tokenHash_unique'),
    origin: text('origin', { enum: ['self', 'staff'] }).notNull(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    supersededAt: ts('superseded_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('password_reset_tokens_user_idx').on(t.userId, t.createdAt)],
);

export const loginThrottle = usersSchema.table('login_throttle', {
  key: text('key').primaryKey(),
  failedCount: integer('failed_count').notNull().default(0),
  windowStartedAt: ts('window_started_at'),
  lockedUntil: ts('locked_until'),
  lockoutLevel: integer('lockout_level').notNull().default(0),
  lastFailureAt: ts('last_failure_at'),
});

export const revokedAccessTokens = usersSchema.table(
  'revoked_access_tokens',
  {
    jti: text('jti').primaryKey(),
    userId: uuid('user_id').notNull(),
    revokedAt: ts('revoked_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('revoked_access_tokens_revoked_idx').on(t.revokedAt)],
);

export const serviceClients = usersSchema.table('service_clients', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  secretHash: text('secret_hash').notNull(),
  isActive: boolean('is_active').notNull().default(true),
  createdAt: ts('created_at').notNull().default(sql`now()`),
  lastUsedAt: ts('last_used_at'),
});

export const signingKeys = usersSchema.table('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg', { enum: ['EdDSA', 'RS256'] }).notNull(),
  status: text('status', { enum: ['active', 'retiring', 'retired'] }).notNull(),
  source: text('source', { enum: ['generated', 'config'] }).notNull(),
  createdAt: ts('created_at').notNull(),
  retireAt: ts('retire_at'),
});

export const securityEvents = usersSchema.table(
  'security_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: text('type').notNull(),
    userId: uuid('user_id'),
    actorId: uuid('actor_id'),
    ipMasked: text('ip_masked'),
    userAgent: text('user_agent'),
    details: jsonb('details').notNull().default({}),
    occurredAt: ts('occurred_at').notNull(),
  },
  (t) => [index('security_events_user_idx').on(t.userId, t.occurredAt), index('security_events_time_idx').on(t.occurredAt)],
);

export const outbox = outboxTable(usersSchema);
export const seedRuns = seedRunsTable(usersSchema);

export type UserRow = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type RefreshTokenRow = typeof refreshTokens.$inferSelect;
export type NewRefreshToken = typeof refreshTokens.$inferInsert;
export type ThrottleRow = typeof loginThrottle.$inferSelect;
export type ResetTokenRow = typeof passwordResetTokens.$inferSelect;
export type NewResetToken = typeof passwordResetTokens.$inferInsert;
export type ServiceClientRow = typeof serviceClients.$inferSelect;
export type SigningKeyRow = typeof signingKeys.$inferSelect;
export type NewSigningKey = typeof signingKeys.$inferInsert;
export type SecurityEventRow = typeof securityEvents.$inferSelect;
