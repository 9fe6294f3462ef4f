/**
 * The schedules service's configuration: the platform's shared variables plus its own settings.
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const schedulesSettingsSchema = Type.Object({});

export type SchedulesConfig = ServiceConfig<(typeof schedulesSettingsSchema)['properties']>;

export function loadConfig(env: Env): SchedulesConfig {
  return loadServiceConfig('schedules', schedulesSettingsSchema, env);
}
