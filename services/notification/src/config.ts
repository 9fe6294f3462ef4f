/**
 * The notification service's configuration: the platform's shared variables plus its own settings (R61).
 * Vendor settings keep their usual names (00-conventions §6).
 */
import { Type } from 'typebox';
import { ConfigError, loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

const Opt = (pattern?: string) => Type.Optional(Type.String(pattern ? { pattern } : {}));

export const notificationSettingsSchema = Type.Object({
  /** The SMTP server for e-mail (`smtp://` or `smtps://`, credentials in the URL); unset: the local mail sink (embedded) or e-mail unconfigured. */
  SMTP_URL: Opt('^smtps?://'),
  /** The From of every e-mail. */
  MAIL_FROM: Type.String({ default: '"SICORA - SENA" <no-reply@sicora.local>' }),
  /** Connections kept open to the SMTP server. */
  SMTP_POOL_SIZE: Type.Integer({ default: 5, minimum: 1, maximum: 50 }),
  /** Port of the local SMTP sink (R41) that catches e-mail when SMTP_URL is unset. */
  MAIL_SINK_PORT: Type.Integer({ default: 2525, minimum: 0, maximum: 65535 }),
  /** R41: the local sink replaces SMTP in the embedded default; false leaves e-mail unconfigured. */
  MAIL_SINK_ENABLED: Type.Boolean({ default: true }),
  /** Twilio account for SMS. */
  TWILIO_ACCOUNT_SID: Opt(),
  /** Twilio auth token (a secret). */
  TWILIO_AUTH_TOKEN: Opt(),
  /** Twilio sender number or messaging service. */
  TWILIO_FROM: Opt(),
  /** Twilio's API address (a local stand-in in tests). */
  TWILIO_API_BASE_URL: Type.String({ default: 'https://api.twilio.com', pattern: '^https?://' }),
  /** Where Twilio posts delivery receipts (the public address of the receipts endpoint). */
  TWILIO_STATUS_CALLBACK_URL: Opt('^https?://'),
  /** AWS region of SNS, the second SMS provider (credentials from the AWS SDK's usual chain). */
  AWS_REGION: Opt(),
  /** SNS endpoint override (a local stand-in in tests). */
  AWS_ENDPOINT_URL_SNS: Opt('^https?://'),
  /** SMS providers in the order they are tried, comma-separated. */
  SMS_PROVIDER_ORDER: Type.String({ default: 'twilio,sns' }),
  /** Firebase service-account JSON for push notifications (a secret). */
  FCM_CREDENTIALS: Opt(),
  /** FCM's API address (a local stand-in in tests). */
  FCM_API_BASE_URL: Type.String({ default: 'https://fcm.googleapis.com', pattern: '^https?://' }),
  /** Default quiet hours (local time) when SMS and push wait; each user may set their own. */
  NOTIFICATION_QUIET_HOURS: Type.String({ default: '21:00-06:00', pattern: '^([01]\\d|2[0-3]):[0-5]\\d-([01]\\d|2[0-3]):[0-5]\\d$' }),
  /** Deliveries a worker process sends at once. */
  NOTIFICATION_WORKER_CONCURRENCY: Type.Integer({ default: 20, minimum: 1, maximum: 500 }),
  /** Run the queue workers inside the service process (default: yes without REDIS_URL, no with it, where `sicora worker notification` runs them). */
  NOTIFICATION_RUN_WORKER: Type.Optional(Type.Boolean()),
  /** Port of the worker process's own health endpoint. */
  NOTIFICATION_WORKER_PORT: Type.Integer({ default: 9109, minimum: 0, maximum: 65535 }),
  /** Prefix of the BullMQ keys (tests give each file its own). */
  NOTIFICATION_QUEUE_PREFIX: Type.String({ default: 'sicora', pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  /** Sweeper period (R30); tests drive the sweeper themselves with 0 (off). */
  NOTIFICATION_SWEEP_INTERVAL_MS: Type.Integer({ default: 15_000, minimum: 0 }),
  /** R10 fan-out lease (5 min); a crashed fan-out is resumed once it lapses. Tests shorten it. */
  NOTIFICATION_FANOUT_LEASE_MS: Type.Integer({ default: 300_000, minimum: 1_000 }),
  /** R27 delivery lease (60 s, twice the slowest provider timeout); a crashed send is retried once it lapses. Tests shorten it. */
  NOTIFICATION_DELIVERY_LEASE_MS: Type.Integer({ default: 60_000, minimum: 1_000 }),
});

export type NotificationConfig = ServiceConfig<(typeof notificationSettingsSchema)['properties']>;

export function loadConfig(env: Env): NotificationConfig {
  const config = loadServiceConfig('notification', notificationSettingsSchema, env);
  const [start, end] = config.settings.NOTIFICATION_QUIET_HOURS.split('-');
  if (start === end) throw new ConfigError('NOTIFICATION_QUIET_HOURS', 'must have different start and end');
  return config;
}

/** R41: without SMTP_URL, the process that runs the workers in the embedded default keeps a mail sink. */
export function usesMailSink(config: NotificationConfig): boolean {
  return !config.settings.SMTP_URL && config.settings.MAIL_SINK_ENABLED && runsWorker(config);
}

/** R61: workers run inside the service in the embedded default (no REDIS_URL) unless told otherwise. */
export function runsWorker(config: NotificationConfig): boolean {
  return config.settings.NOTIFICATION_RUN_WORKER ?? !config.redisUrl;
}
