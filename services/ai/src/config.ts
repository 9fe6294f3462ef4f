/**
 * The ai service's configuration: the platform's shared variables plus its own settings.
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const aiSettingsSchema = Type.Object({});

export type AiConfig = ServiceConfig<(typeof aiSettingsSchema)['properties']>;

export function loadConfig(env: Env): AiConfig {
  return loadServiceConfig('ai', aiSettingsSchema, env);
}
