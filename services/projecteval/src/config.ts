/**
 * The projecteval service's configuration: the platform's shared variables plus its own settings.
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const projectevalSettingsSchema = Type.Object({
  /** Deliver outbox notifications from this process (off where a separate relay runs). */
  PROJECTEVAL_OUTBOX_RELAY: Type.Boolean({ default: true }),
  /** §6: where files live; default `<SICORA_DATA_DIR>/projecteval/files` (a shared volume in production). */
  PROJECTEVAL_FILES_DIR: Type.Optional(Type.String({ minLength: 1 })),
});

export type ProjectevalConfig = ServiceConfig<(typeof projectevalSettingsSchema)['properties']>;

export function loadConfig(env: Env): ProjectevalConfig {
  return loadServiceConfig('projecteval', projectevalSettingsSchema, env);
}
