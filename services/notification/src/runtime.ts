/**
 * Builds the notification service's use cases from its configuration and database: repositories,
 * ports (users/schedules over HTTP unless faked), the job queue (pg-boss or BullMQ), providers.
 * Shared by buildApp (API, embedded worker) and startNotificationWorker (the separate worker).
 */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createDeliveryMetrics } from './infrastructure/metrics.ts';
import type { Database } from '@sicora/platform/db';
import { createServiceClient } from '@sicora/platform/http-client';
import { createServiceTokenProvider } from '@sicora/platform/service-token';
import { usesMailSink, type NotificationConfig } from './config.ts';
import { startMailSink } from './infrastructure/mail-sink.ts';
import type { Channel } from './domain/enums.ts';
import type { ChannelProvider, JobQueue, SchedulesPort, UsersPort } from './application/ports.ts';
import { createDispatchService } from './application/dispatch.service.ts';
import { createFanoutService } from './application/fanout.service.ts';
import { createRenderer } from './application/render.service.ts';
import { createSweeper } from './application/sweeper.service.ts';
import { createDigestService } from './application/digest.service.ts';
import { createDigestsRepo } from './infrastructure/digests.repo.ts';
import { createInAppProvider } from './infrastructure/channels/in-app.ts';
import { createSmtpProvider } from './infrastructure/channels/smtp.ts';
import { createSmsChannel } from './infrastructure/channels/sms.ts';
import { createProviderBreaker, withBreaker, type BreakerSnapshot, type ProviderBreaker } from './infrastructure/channels/provider-breaker.ts';
import { RETRY } from './domain/rules.ts';
import { createSnsProvider } from './infrastructure/channels/sns.ts';
import { createTwilioProvider } from './infrastructure/channels/twilio.ts';
import { createFcmProvider, parseFcmCredentials } from './infrastructure/channels/fcm.ts';
import { createDeliveriesRepo } from './infrastructure/deliveries.repo.ts';
import { createDevicesRepo } from './infrastructure/devices.repo.ts';
import { createNotificationsRepo } from './infrastructure/notifications.repo.ts';
import { createPreferencesRepo } from './infrastructure/preferences.repo.ts';
import { createTemplatesRepo } from './infrastructure/templates.repo.ts';
import { createTemplateEngine } from './infrastructure/template-engine.ts';
import { createPgBossQueue } from './infrastructure/queue/pgboss.queue.ts';
import { createUsersClient } from './infrastructure/users.client.ts';
import { createSchedulesClient } from './infrastructure/schedules.client.ts';

export interface RuntimeOverrides {
  users?: UsersPort;
  schedules?: SchedulesPort;
  providers?: Partial<Record<Channel, ChannelProvider>>;
  queue?: JobQueue;
  now?: () => Date;
}

export async function createRuntime(config: NotificationConfig, database: Database, logger: Logger, o: RuntimeOverrides = {}, registry?: Registry) {
  const now = o.now ?? (() => new Date());
  const s = config.settings;
  const tokenProvider = createServiceTokenProvider({ usersUrl: config.serviceUrls.users, clientId: 'notification', clientSecret: config.serviceClientSecret ?? '' });
  const clients = o.users && o.schedules ? [] : [
    createServiceClient({ target: 'users', baseUrl: config.serviceUrls.users, tokenProvider }),
    createServiceClient({ target: 'schedules', baseUrl: config.serviceUrls.schedules, tokenProvider }),
  ];
  const users = o.users ?? createUsersClient(clients[0]);
  const schedules = o.schedules ?? createSchedulesClient(clients[1]);
  const repos = {
    notifications: createNotificationsRepo(database.db),
    deliveries: createDeliveriesRepo(database.db),
    templates: createTemplatesRepo(database.db),
    preferences: createPreferencesRepo(database.db, s.NOTIFICATION_QUIET_HOURS),
    devices: createDevicesRepo(database.db),
    digests: createDigestsRepo(database.db),
  };
  const sink = usesMailSink(config) ? await startMailSink({ dataDir: config.dataDir, port: s.MAIL_SINK_PORT, timezone: config.timezone, now }) : undefined;
  const smtpUrl = s.SMTP_URL ?? sink?.url;
  // R40: one breaker per provider in this process, timed out at the channel's attempt timeout (R29).
  const breakers = new Map<string, ProviderBreaker>();
  const breakerListeners = new Set<() => void>();
  const breakerFor = (name: string, channel: Channel) => {
    const b = createProviderBreaker(name, { timeoutMs: RETRY[channel].timeoutMs, now, onChange: () => breakerListeners.forEach((l) => l()) });
    breakers.set(name, b);
    return b;
  };
  const smsProviders: ChannelProvider[] = [];
  for (const name of s.SMS_PROVIDER_ORDER.split(',').map((x) => x.trim())) {
    if (name === 'twilio' && s.TWILIO_ACCOUNT_SID && s.TWILIO_AUTH_TOKEN && s.TWILIO_FROM) {
      smsProviders.push(createTwilioProvider({ accountSid: s.TWILIO_ACCOUNT_SID, authToken: s.TWILIO_AUTH_TOKEN, from: s.TWILIO_FROM, baseUrl: s.TWILIO_API_BASE_URL, statusCallbackUrl: s.TWILIO_STATUS_CALLBACK_URL, timeoutMs: RETRY.sms.timeoutMs }));
    }
    if (name === 'sns' && s.AWS_REGION) smsProviders.push(createSnsProvider({ region: s.AWS_REGION, endpoint: s.AWS_ENDPOINT_URL_SNS, timeoutMs: RETRY.sms.timeoutMs }));
  }
  const inboxListeners = new Set<(userId: string) => void>();
  const providers: Partial<Record<Channel, ChannelProvider>> = {
    in_app: createInAppProvider(database.db, now, (userId) => inboxListeners.forEach((l) => l(userId))),
    ...(smtpUrl ? { email: withBreaker(createSmtpProvider({ url: smtpUrl, from: s.MAIL_FROM, poolSize: s.SMTP_POOL_SIZE }), breakerFor('smtp', 'email')) } : {}),
    ...(smsProviders.length > 0 ? { sms: createSmsChannel(smsProviders, new Map(smsProviders.map((p) => [p.name, breakerFor(p.name, 'sms')]))) } : {}),
    ...(s.FCM_CREDENTIALS ? {
      push: withBreaker(createFcmProvider({
        credentials: parseFcmCredentials(s.FCM_CREDENTIALS), baseUrl: s.FCM_API_BASE_URL, timeoutMs: RETRY.push.timeoutMs,
        devices: { active: repos.devices.listActive, disable: (token, reason) => repos.devices.disableToken(token, reason, now().toISOString()) },
      }), breakerFor('fcm', 'push')),
    } : {}),
    ...o.providers,
  };
  let queue: JobQueue | undefined = o.queue;
  const getQueue = () => queue;
  const metrics = registry ? createDeliveryMetrics(registry, database, getQueue, () => breakerStates()) : undefined;
  const render = createRenderer(createTemplateEngine(config.timezone));
  const fanout = createFanoutService({
    ...repos, users, schedules, queue: getQueue, configured: (c) => Boolean(providers[c]), activeDevices: repos.devices.activeCounts, now, timezone: config.timezone, onCreated: metrics?.created, leaseMs: s.NOTIFICATION_FANOUT_LEASE_MS,
  });
  const dispatch = createDispatchService({
    ...repos, providers, render, queue: getQueue, now, appUrl: config.publicAppUrl, logger, concurrency: s.NOTIFICATION_WORKER_CONCURRENCY, metrics,
  });
  const digests = createDigestService({ database, digests: repos.digests, deliveries: repos.deliveries, templates: repos.templates, render, queue: getQueue, appUrl: config.publicAppUrl });
  const sweeper = createSweeper({ database, deliveries: repos.deliveries, dispatch, queue: getQueue, now, digests, notifications: repos.notifications, timezone: config.timezone, pruneMail: sink ? (at) => sink.prune(at) : undefined });

  const order = s.SMS_PROVIDER_ORDER.split(',').map((x) => x.trim());
  const closed: BreakerSnapshot = { state: 'closed', opened_at: null };
  const circuit = (name: string) => () => breakers.get(name)?.snapshot() ?? closed;
  /** A9: every provider this service knows, whether configured here, and its breaker in this process (A9 adds the live workers'). */
  const providerInfo = () => [
    { name: 'in_app', channel: 'in_app', configured: true, order: 1, circuit: () => closed },
    { name: 'smtp', channel: 'email', configured: Boolean(providers.email), order: 1, circuit: circuit('smtp') },
    ...['twilio', 'sns'].map((name) => ({
      name, channel: 'sms', configured: smsProviders.some((p) => p.name === name), order: order.indexOf(name) + 1 || order.length + 1, circuit: circuit(name),
    })),
    { name: 'fcm', channel: 'push', configured: Boolean(providers.push), order: 1, circuit: circuit('fcm') },
  ];
  /** `workers.breakers` of this process (§3.3): `{ "<provider>": { state, opened_at } }` for every provider with a breaker. */
  const breakerStates = (): Record<string, BreakerSnapshot> => Object.fromEntries([...breakers].map(([name, b]) => [name, b.snapshot()]));

  return {
    providerInfo, breakerStates, breakerListeners, now, users, schedules, repos, sink, providers, fanout, dispatch, sweeper, inboxListeners, getQueue,
    workerId: `${hostname()}-${process.pid}`,
    /** Opens the queue back end (pg-boss on the database, or BullMQ when REDIS_URL is set). */
    async openQueue(): Promise<JobQueue> {
      // BullMQ is imported only where Redis is configured, keeping it off the embedded start-up path.
      queue ??= config.redisUrl
        ? (await import('./infrastructure/queue/bullmq.queue.ts')).createBullMqQueue(config.redisUrl, s.NOTIFICATION_QUEUE_PREFIX)
        : await createPgBossQueue(database);
      return queue;
    },
    async close() {
      await queue?.close();
      for (const p of Object.values(providers)) await p.close?.();
      for (const b of breakers.values()) b.shutdown();
      for (const c of clients) await c.close();
      await sink?.close();
    },
  };
}

export type Runtime = Awaited<ReturnType<typeof createRuntime>>;
