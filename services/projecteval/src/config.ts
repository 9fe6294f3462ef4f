/**
 * The projecteval service's configuration: the platform's shared variables plus its own settings.
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const projectevalSettingsSchema = Type.Object({});

export type ProjectevalConfig = ServiceConfig<(typeof projectevalSettingsSchema)['properties']>;

export function loadConfig(env: Env): ProjectevalConfig {
  return loadServiceConfig('projecteval', projectevalSettingsSchema, env);
}
