/**
 * The attendance service's configuration: the platform's shared variables plus its own settings.
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const attendanceSettingsSchema = Type.Object({});

export type AttendanceConfig = ServiceConfig<(typeof attendanceSettingsSchema)['properties']>;

export function loadConfig(env: Env): AttendanceConfig {
  return loadServiceConfig('attendance', attendanceSettingsSchema, env);
}
