/**
 * The evalin service's configuration: the platform's shared variables plus its own settings.
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const evalinSettingsSchema = Type.Object({
  /** Deliver outbox notifications from this process (off where a separate relay runs). */
  EVALIN_OUTBOX_RELAY: Type.Boolean({ default: true }),
});

export type EvalinConfig = ServiceConfig<(typeof evalinSettingsSchema)['properties']>;

export function loadConfig(env: Env): EvalinConfig {
  return loadServiceConfig('evalin', evalinSettingsSchema, env);
}
