/**
 * The gateway's configuration (gateway.md R44): the platform's shared variables (including every
 * `<SERVICE>_URL`) plus its own. The timing variables, when set, replace the per-service timing of the
 * registry for every upstream (an operator's blanket override; per-service values live in the database).
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const gatewaySettingsSchema = Type.Object({
  /** When Redis cannot be reached for a rate-limit check: `open` lets the request through, `closed` answers 503. */
  RATE_LIMIT_FAILURE_MODE: Type.Union([Type.Literal('open'), Type.Literal('closed')], { default: 'open' }),
  /** Proxies (CIDRs, comma-separated) whose X-Forwarded-For is believed for the client address. */
  TRUST_PROXY: Type.String({ default: '127.0.0.1/32,::1/128' }),
  /** Client addresses allowed to read `/metrics`. */
  METRICS_ALLOWED_CIDRS: Type.String({ default: '127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16' }),
  /** Keep the request log (S1–S3 statistics and exports). */
  GATEWAY_REQUEST_LOG_ENABLED: Type.Boolean({ default: true }),
  /** Days the request log keeps its rows. */
  GATEWAY_REQUEST_LOG_RETENTION_DAYS: Type.Integer({ default: 30, minimum: 1, maximum: 365 }),
  /** Blanket override of every upstream's per-attempt timeout (per-service values live in the database). */
  GATEWAY_ATTEMPT_TIMEOUT_MS: Type.Optional(Type.Integer({ minimum: 50, maximum: 120_000 })),
  /** Blanket override of every upstream's whole-request deadline, retries included. */
  GATEWAY_DEADLINE_MS: Type.Optional(Type.Integer({ minimum: 50, maximum: 300_000 })),
  /** Blanket override of the retries of idempotent requests. */
  GATEWAY_MAX_RETRIES: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
  /** How long an open circuit waits before it lets a trial request through. */
  GATEWAY_BREAKER_RESET_MS: Type.Integer({ default: 30_000, minimum: 100, maximum: 600_000 }),
  /** Requests in the window before the circuit breaker may open. */
  GATEWAY_BREAKER_VOLUME: Type.Integer({ default: 20, minimum: 1, maximum: 10_000 }),
  /** Period of the upstream health probes behind `/health`. */
  GATEWAY_PROBE_INTERVAL_MS: Type.Integer({ default: 10_000, minimum: 50, maximum: 300_000 }),
  /** How often a replica reloads the routing configuration from the database. */
  GATEWAY_CONFIG_POLL_MS: Type.Integer({ default: 5_000, minimum: 50, maximum: 60_000 }),
  /** How often the revoked-token feed is read from users. */
  GATEWAY_REVOCATION_POLL_MS: Type.Integer({ default: 30_000, minimum: 100, maximum: 600_000 }),
  /** How often the merged OpenAPI document at `/docs` is rebuilt from the services. */
  GATEWAY_OPENAPI_REFRESH_MS: Type.Integer({ default: 300_000, minimum: 100, maximum: 3_600_000 }),
  /** R39: how long a critical service must be down before admins are notified (180 s). */
  GATEWAY_INCIDENT_AFTER_MS: Type.Integer({ default: 180_000, minimum: 100, maximum: 3_600_000 }),
  /** Prefix of every Redis key (one deployment per prefix; tests use their own). */
  GATEWAY_REDIS_PREFIX: Type.String({ default: 'sicora', pattern: '^[A-Za-z0-9:_-]{1,64}$' }),
  /** R64: the built web app served at `/` (default: `apps/web/dist` of this checkout once built). */
  WEB_DIST_DIR: Type.Optional(Type.String({ minLength: 1 })),
});

export type GatewayConfig = ServiceConfig<(typeof gatewaySettingsSchema)['properties']>;

export function loadConfig(env: Env): GatewayConfig {
  return loadServiceConfig('gateway', gatewaySettingsSchema, env);
}
