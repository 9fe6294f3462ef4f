/**
 * The `users` schema: every table of this service lives here and nowhere else (00-conventions §5).
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgSchema, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { outboxTable, seedRunsTable } from '@sicora/platform/tables';

export const usersSchema = pgSchema('users');

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const users = usersSchema.table(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    firstName: text().notNull(),
    lastName: text().notNull(),
    email: text().notNull(),
    documentType: text({ enum: ['CC', 'TI', 'CE', 'PA', 'PPT'] }).notNull(),
    documentNumber: text().notNull(),
    phone: text(),
    role: text({ enum: ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz'] }).notNull(),
    groupId: uuid(),
    groupNumber: text(),
    area: text(),
    avatarUrl: text(),
    passwordHash: text(),
    mustChangePassword: boolean().notNull().default(true),
    isActive: boolean().notNull().default(true),
    lastLoginAt: ts('last_login_at'),
    passwordChangedAt: ts('password_changed_at'),
    tokensValidAfter: ts('tokens_valid_after').notNull().default(sql`date_trunc('second', now())`),
    /** Lower-case, accent-free names, e-mail and document, computed by the application (no unaccent). */
    searchText: text().notNull(),
    createdBy: uuid(),
    updatedBy: uuid(),
    deletedBy: uuid(),
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
    id: uuid().primaryKey().defaultRandom(),
    familyId: uuid().notNull(),
    userId: uuid().notNull().references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text().notNull().unique(),
    parentId: uuid(),
    issuedAt: ts('issued_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    familyStartedAt: ts('family_started_at').notNull(),
    rotatedAt: ts('rotated_at'),
    revokedAt: ts('revoked_at'),
    revokeReason: text({ enum: REVOKE_REASONS }),
    userAgent: text().notNull().default(''),
    ipMasked: text().notNull().default(''),
    lastUsedAt: ts('last_used_at').notNull(),
  },
  (t) => [index('refresh_tokens_user_idx').on(t.userId, t.revokedAt), index('refresh_tokens_family_idx').on(t.familyId)],
);

export const passwordResetTokens = usersSchema.table(
  'password_reset_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().notNull().references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text().notNull().unique(),
    origin: text({ enum: ['self', 'staff'] }).notNull(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    supersededAt: ts('superseded_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('password_reset_tokens_user_idx').on(t.userId, t.createdAt)],
);

export const loginThrottle = usersSchema.table('login_throttle', {
  key: text().primaryKey(),
  failedCount: integer().notNull().default(0),
  windowStartedAt: ts('window_started_at'),
  lockedUntil: ts('locked_until'),
  lockoutLevel: integer().notNull().default(0),
  lastFailureAt: ts('last_failure_at'),
});

export const revokedAccessTokens = usersSchema.table(
  'revoked_access_tokens',
  {
    jti: text().primaryKey(),
    userId: uuid().notNull(),
    revokedAt: ts('revoked_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('revoked_access_tokens_revoked_idx').on(t.revokedAt)],
);

export const serviceClients = usersSchema.table('service_clients', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull().unique(),
  secretHash: text().notNull(),
  isActive: boolean().notNull().default(true),
  createdAt: ts('created_at').notNull().default(sql`now()`),
  lastUsedAt: ts('last_used_at'),
});

export const signingKeys = usersSchema.table('signing_keys', {
  kid: text().primaryKey(),
  alg: text({ enum: ['EdDSA', 'RS256'] }).notNull(),
  status: text({ enum: ['active', 'retiring', 'retired'] }).notNull(),
  source: text({ enum: ['generated', 'config'] }).notNull(),
  createdAt: ts('created_at').notNull(),
  retireAt: ts('retire_at'),
});

export const securityEvents = usersSchema.table(
  'security_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    type: text().notNull(),
    userId: uuid(),
    actorId: uuid(),
    ipMasked: text(),
    userAgent: text(),
    details: jsonb().notNull().default({}),
    occurredAt: ts('occurred_at').notNull(),
  },
  (t) => [index('security_events_user_idx').on(t.userId, t.occurredAt), index('security_events_time_idx').on(t.occurredAt)],
);

export const outbox = outboxTable(usersSchema);
export const seedRuns = seedRunsTable(usersSchema);

export type UserRow = typeof users.$inferSelect;
export type RefreshTokenRow = typeof refreshTokens.$inferSelect;
