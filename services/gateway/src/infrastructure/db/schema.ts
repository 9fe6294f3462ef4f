/**
 * The `gateway` schema (gateway.md §3): service registry with health history, route rules, rate-limit
 * policies, configuration versions, the request log and the last good OpenAPI document of each service.
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgSchema, real, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { outboxTable, seedRunsTable, timestamptz as ts } from '@sicora/platform/tables';

export const gatewaySchema = pgSchema('gateway');

export const outbox = outboxTable(gatewaySchema);
export const seedRuns = seedRunsTable(gatewaySchema);

export const services = gatewaySchema.table('services', {
  name: text('name').primaryKey(),
  displayName: text('display_name').notNull(),
  baseUrl: text('base_url').notNull(),
  baseUrlOverride: text('base_url_override'),
  healthPath: text('health_path').notNull().default('/health/ready'),
  docsPath: text('docs_path').notNull().default('/docs/json'),
  attemptTimeoutMs: integer('attempt_timeout_ms').notNull(),
  deadlineMs: integer('deadline_ms').notNull(),
  maxRetries: integer('max_retries').notNull(),
  critical: boolean('critical').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  maintenanceMessage: text('maintenance_message'),
  circuitOverride: text('circuit_override', { enum: ['forced_open', 'forced_closed'] }),
  status: text('status', { enum: ['unknown', 'up', 'down'] }).notNull().default('unknown'),
  statusSince: ts('status_since').notNull().default(sql`now()`),
  lastCheckAt: ts('last_check_at'),
  lastLatencyMs: integer('last_latency_ms'),
  lastErrorCode: text('last_error_code'),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  updatedAt: ts('updated_at').notNull().default(sql`now()`),
  updatedBy: uuid('updated_by'),
});

export const rateLimitPolicies = gatewaySchema.table('rate_limit_policies', {
  name: text('name').primaryKey(),
  keyBy: text('key_by', { enum: ['ip', 'user'] }).notNull(),
  limit: integer('limit').notNull(),
  windowSeconds: integer('window_seconds').notNull(),
  failureMode: text('failure_mode', { enum: ['open', 'closed'] }),
  enabled: boolean('enabled').notNull().default(true),
  builtin: boolean('builtin').notNull().default(false),
  description: text('description').notNull().default(''),
  updatedAt: ts('updated_at').notNull().default(sql`now()`),
  updatedBy: uuid('updated_by'),
});

export const routes = gatewaySchema.table('routes', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  methods: text('methods').array(),
  pattern: text('pattern').notNull(),
  match: text('match', { enum: ['exact', 'prefix'] }).notNull(),
  service: text('service').notNull().references(() => services.name),
  access: text('access', { enum: ['public', 'authenticated'] }).notNull(),
  roles: text('roles').array(),
  rateLimitPolicy: text('rate_limit_policy').references(() => rateLimitPolicies.name),
  attemptTimeoutMs: integer('attempt_timeout_ms'),
  deadlineMs: integer('deadline_ms'),
  maxRetries: integer('max_retries'),
  bodyLimitBytes: integer('body_limit_bytes'),
  enabled: boolean('enabled').notNull().default(true),
  description: text('description').notNull().default(''),
  createdAt: ts('created_at').notNull().default(sql`now()`),
  updatedAt: ts('updated_at').notNull().default(sql`now()`),
  updatedBy: uuid('updated_by'),
});

export const configVersions = gatewaySchema.table('config_versions', {
  version: integer('version').primaryKey(),
  createdAt: ts('created_at').notNull().default(sql`now()`),
  createdBy: uuid('created_by'),
  changeSummary: text('change_summary').notNull(),
  snapshot: jsonb('snapshot').notNull(),
});

export const serviceHealthHistory = gatewaySchema.table(
  'service_health_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    service: text('service').notNull(),
    checkedAt: ts('checked_at').notNull(),
    status: text('status', { enum: ['up', 'down'] }).notNull(),
    httpStatus: integer('http_status'),
    latencyMs: integer('latency_ms'),
    errorCode: text('error_code'),
    circuitState: text('circuit_state').notNull(),
    kind: text('kind', { enum: ['transition', 'sample'] }).notNull(),
  },
  (t) => [index('service_health_history_service_checked_idx').on(t.service, t.checkedAt)],
);

export const requestLogs = gatewaySchema.table(
  'request_logs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: text('request_id').notNull(),
    occurredAt: ts('occurred_at').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    queryKeys: text('query_keys').array().notNull(),
    routeName: text('route_name'),
    service: text('service'),
    status: integer('status').notNull(),
    outcome: text('outcome').notNull(),
    errorCode: text('error_code'),
    durationMs: real('duration_ms').notNull(),
    upstreamMs: real('upstream_ms'),
    attempts: smallint('attempts').notNull().default(0),
    circuitState: text('circuit_state'),
    userId: uuid('user_id'),
    role: text('role'),
    ipMasked: text('ip_masked').notNull(),
    userAgent: text('user_agent').notNull(),
    requestBytes: bigint('request_bytes', { mode: 'number' }),
    responseBytes: bigint('response_bytes', { mode: 'number' }),
    instanceId: text('instance_id').notNull(),
  },
  (t) => [
    index('request_logs_occurred_idx').on(t.occurredAt),
    index('request_logs_service_occurred_idx').on(t.service, t.occurredAt),
    index('request_logs_user_occurred_idx').on(t.userId, t.occurredAt),
    index('request_logs_status_occurred_idx').on(t.status, t.occurredAt),
    index('request_logs_request_id_idx').on(t.requestId),
  ],
);

export const openapiCache = gatewaySchema.table('openapi_cache', {
  service: text('service').primaryKey(),
  document: jsonb('document'),
  fetchedAt: ts('fetched_at'),
  fetchError: text('fetch_error'),
});
