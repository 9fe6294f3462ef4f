/**
 * The schedules service's configuration: the platform's shared variables plus its own settings.
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const schedulesSettingsSchema = Type.Object({
  /** CSV uploads (§6.1): 5 MiB. */
  SCHEDULES_CSV_MAX_BYTES: Type.Integer({ minimum: 1024, default: 5 * 1024 * 1024 }),
  /** Deliver outbox notifications from this process (off where a separate relay runs). */
  SCHEDULES_OUTBOX_RELAY: Type.Boolean({ default: true }),
});

export type SchedulesConfig = ServiceConfig<(typeof schedulesSettingsSchema)['properties']>;

export function loadConfig(env: Env): SchedulesConfig {
  return loadServiceConfig('schedules', schedulesSettingsSchema, env);
}
