/**
 * The users service's configuration: the platform's shared variables plus its own settings.
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const usersSettingsSchema = Type.Object({});

export type UsersConfig = ServiceConfig<(typeof usersSettingsSchema)['properties']>;

export function loadConfig(env: Env): UsersConfig {
  return loadServiceConfig('users', usersSettingsSchema, env);
}
