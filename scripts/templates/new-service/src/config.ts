/**
 * The __name__ service's configuration: the platform's shared variables (ports, service URLs, database,
 * JWT, SICORA_TIMEZONE) plus this service's own `__NAME___…` settings. The only reader of the environment
 * in the service: each setting is validated at start-up (a bad value fails naming the variable) and read as
 * `config.settings.<VARIABLE>`.
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const __name__SettingsSchema = Type.Object({
  /** Days an archived note is kept before the daily purge deletes it. */
  __NAME___ARCHIVE_RETENTION_DAYS: Type.Integer({ minimum: 1, default: 30 }),
  // A service that sends notifications adds its relay switch, as schedules does:
  // __NAME___OUTBOX_RELAY: Type.Boolean({ default: true }),
});

export type __Name__Config = ServiceConfig<(typeof __name__SettingsSchema)['properties']>;

export function loadConfig(env: Env): __Name__Config {
  return loadServiceConfig('__name__', __name__SettingsSchema, env);
}
