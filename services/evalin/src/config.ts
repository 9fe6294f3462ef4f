/**
 * The evalin service's configuration: the platform's shared variables plus its own settings.
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const evalinSettingsSchema = Type.Object({});

export type EvalinConfig = ServiceConfig<(typeof evalinSettingsSchema)['properties']>;

export function loadConfig(env: Env): EvalinConfig {
  return loadServiceConfig('evalin', evalinSettingsSchema, env);
}
