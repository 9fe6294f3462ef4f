/**
 * The ai service's configuration (R38): the platform's shared variables plus the LLM server and ai's own
 * settings. `LLM_MODEL` without `LLM_BASE_URL` stops start-up (R10); `LLM_BASE_URL` alone is valid.
 */
import { Type } from 'typebox';
import { ConfigError, loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const aiSettingsSchema = Type.Object({
  LLM_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  LLM_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  LLM_MODEL: Type.Optional(Type.String({ minLength: 1 })),
  AI_RATE_PER_MINUTE: Type.Integer({ default: 10, minimum: 1, maximum: 10_000 }),
  AI_RATE_PER_DAY: Type.Integer({ default: 200, minimum: 1, maximum: 1_000_000 }),
  /** Key prefix of the R18 counters in Redis (REDIS_URL set). */
  AI_RATE_LIMIT_PREFIX: Type.String({ default: 'sicora:ai', minLength: 1 }),
  AI_LLM_MAX_CONCURRENCY: Type.Integer({ default: 8, minimum: 1, maximum: 256 }),
  AI_MIN_PASSAGE_SCORE: Type.Number({ default: 0.25, minimum: 0, maximum: 1 }),
  AI_RISK_CRON: Type.String({ default: '30 2 * * *', minLength: 9 }),
  /** Unset: true in the embedded default (no DATABASE_URL), false otherwise (R30). */
  AI_RISK_RUN_ON_START: Type.Optional(Type.Boolean()),
  /** Deliver outbox notifications from this process (off where a separate relay runs). */
  AI_OUTBOX_RELAY: Type.Boolean({ default: true }),
});

export type AiConfig = ServiceConfig<(typeof aiSettingsSchema)['properties']>;

export function loadConfig(env: Env): AiConfig {
  const config = loadServiceConfig('ai', aiSettingsSchema, env);
  if (config.settings.LLM_MODEL && !config.settings.LLM_BASE_URL) throw new ConfigError('LLM_BASE_URL', 'is required when LLM_MODEL is set');
  return config;
}
