/**
 * The notification service's configuration: the platform's shared variables plus its own settings.
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const notificationSettingsSchema = Type.Object({});

export type NotificationConfig = ServiceConfig<(typeof notificationSettingsSchema)['properties']>;

export function loadConfig(env: Env): NotificationConfig {
  return loadServiceConfig('notification', notificationSettingsSchema, env);
}
