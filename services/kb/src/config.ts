/**
 * The kb service's configuration: the platform's shared variables plus its own settings (kb.md R12,
 * R26). `EMBEDDINGS_MODEL` without `LLM_BASE_URL` stops the start naming the variable.
 */
import { Type } from 'typebox';
import { ConfigError, loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const kbSettingsSchema = Type.Object({
  /** Deliver outbox notifications from this process (off where a separate relay runs). */
  KB_OUTBOX_RELAY: Type.Boolean({ default: true }),
  /** R26: the PDF upload limit in MB. */
  KB_PDF_MAX_MB: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  /** R12: an OpenAI-compatible server for embeddings. */
  LLM_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  LLM_API_KEY: Type.Optional(Type.String()),
  EMBEDDINGS_MODEL: Type.Optional(Type.String({ minLength: 1 })),
});

export type KbConfig = ServiceConfig<(typeof kbSettingsSchema)['properties']>;

export function loadConfig(env: Env): KbConfig {
  const config = loadServiceConfig('kb', kbSettingsSchema, env);
  if (config.settings.EMBEDDINGS_MODEL && !config.settings.LLM_BASE_URL) {
    throw new ConfigError('LLM_BASE_URL', 'is required when EMBEDDINGS_MODEL is set (kb.md R12)');
  }
  return config;
}
