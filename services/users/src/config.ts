/**
 * The users service's configuration: the platform's shared variables plus its own settings.
 */
import { Type } from 'typebox';
import { ConfigError, loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const usersSettingsSchema = Type.Object({
  /** Proxies whose X-Forwarded-For is believed for the client IP (R14, gateway R8). */
  TRUST_PROXY: Type.String({ default: '127.0.0.1/32,::1/128' }),
  /** PEM (PKCS#8) or JWK of the signing key; when set, keys come from configuration (R23). */
  JWT_PRIVATE_KEY: Type.Optional(Type.String({ minLength: 32 })),
  /** Older public keys to keep publishing: JSON JWK set / array, or concatenated SPKI PEM blocks. */
  JWT_PUBLIC_KEYS: Type.Optional(Type.String()),
  /** Accepted service clients, JSON `{ "<name>": "<secret>" }` (R22). Unset: generated in the data dir. */
  SERVICE_CLIENTS: Type.Optional(Type.String()),
  SICORA_ADMIN_EMAIL: Type.String({ default: 'admin@sicora.sena.edu.co' }),
  SICORA_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 10 })),
  /**
   * Whether the demo accounts may be shown (A9; 00-conventions §6). Unset: true when the service runs on
   * the embedded PGlite (no database URL: `sicora start`), false with a database URL (`sicora serve`).
   */
  SICORA_DEMO: Type.Optional(Type.Boolean()),
  /** argon2id cost (R8). Only tests lower these; production keeps the R8 defaults. */
  USERS_ARGON2_MEMORY_KIB: Type.Integer({ default: 19_456, minimum: 8, maximum: 1_048_576 }),
  USERS_ARGON2_ITERATIONS: Type.Integer({ default: 2, minimum: 1, maximum: 10 }),
  /** Deliver the outbox to the notification service from this process. */
  USERS_OUTBOX_RELAY: Type.Boolean({ default: true }),
  USERS_IMPORT_MAX_BYTES: Type.Integer({ default: 5_242_880, minimum: 1024 }),
  /** Key prefix of the Redis rate-limit counters (REDIS_URL set). */
  USERS_RATE_LIMIT_PREFIX: Type.String({ default: 'sicora:users:rl', minLength: 1 }),
});

export type UsersConfig = ServiceConfig<(typeof usersSettingsSchema)['properties']>;

/** A9's switch: `SICORA_DEMO` when set, otherwise the embedded default (no database URL). */
export function demoEnabled(config: UsersConfig): boolean {
  return config.settings.SICORA_DEMO ?? config.databaseUrl === undefined;
}

export function loadConfig(env: Env): UsersConfig {
  const config = loadServiceConfig('users', usersSettingsSchema, env);
  parseServiceClients(config.settings.SERVICE_CLIENTS);
  return config;
}

/** R22: `{ "<name>": "<secret>" }` with secrets of at least 32 characters. */
export function parseServiceClients(raw: string | undefined): Record<string, string> | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('SERVICE_CLIENTS', 'must be a JSON object { "<name>": "<secret>" }');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('SERVICE_CLIENTS', 'must be a JSON object { "<name>": "<secret>" }');
  }
  const out: Record<string, string> = {};
  for (const [name, secret] of Object.entries(parsed)) {
    if (!/^[a-z][a-z0-9_-]{1,49}$/.test(name)) throw new ConfigError('SERVICE_CLIENTS', `has an invalid client name "${name}"`);
    if (name === 'users') throw new ConfigError('SERVICE_CLIENTS', 'must not list "users" (its relay signs its own token)');
    if (typeof secret !== 'string' || secret.length < 32) {
      throw new ConfigError('SERVICE_CLIENTS', `secret of "${name}" must be a string of at least 32 characters`);
    }
    out[name] = secret;
  }
  return out;
}
