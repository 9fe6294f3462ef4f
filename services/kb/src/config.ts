/**
 * The kb service's configuration: the platform's shared variables plus its own settings.
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const kbSettingsSchema = Type.Object({});

export type KbConfig = ServiceConfig<(typeof kbSettingsSchema)['properties']>;

export function loadConfig(env: Env): KbConfig {
  return loadServiceConfig('kb', kbSettingsSchema, env);
}
