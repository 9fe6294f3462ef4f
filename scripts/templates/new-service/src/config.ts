/**
 * The __name__ service's configuration: the platform's shared variables (ports, service URLs, database,
 * JWT) plus this service's own `__NAME___…` settings. The only reader of the environment in the service.
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

// Add the service's own variables here, e.g. `__NAME___NOTES_MAX: Type.Integer({ default: 100, minimum: 1 })`;
// they are validated at start-up and read as `config.settings.__NAME___NOTES_MAX`.
export const __name__SettingsSchema = Type.Object({});

export type __Name__Config = ServiceConfig<(typeof __name__SettingsSchema)['properties']>;

export function loadConfig(env: Env): __Name__Config {
  return loadServiceConfig('__name__', __name__SettingsSchema, env);
}
