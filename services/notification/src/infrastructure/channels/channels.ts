/**
 * The channel port from the settings (R35–R41): one provider per channel, each vendor behind its
 * process-wide breaker (R40), SMS as Twilio → SNS failover in SMS_PROVIDER_ORDER (R37), and A9's list of
 * every provider this service knows with whether it is configured here.
 */
import type { NotificationConfig } from '../../config.ts';
import type { Channel } from '../../domain/enums.ts';
import { RETRY } from '../../domain/rules.ts';
import type { ChannelProvider } from '../../application/ports.ts';
import type { ProviderInfo } from '../../application/admin.service.ts';
import type { DevicesRepo } from '../devices.repo.ts';
import type { InboxRepo } from '../inbox.repo.ts';
import type { BreakerRegistry } from './breakers.ts';
import { createFcmProvider, parseFcmCredentials } from './fcm.ts';
import { createInAppProvider } from './in-app.ts';
import { withBreaker } from './provider-breaker.ts';
import { createSmsChannel } from './sms.ts';
import { createSmtpProvider } from './smtp.ts';
import { createSnsProvider } from './sns.ts';
import { createTwilioProvider } from './twilio.ts';

export interface ChannelDeps {
  now: () => Date;
  inbox: Pick<InboxRepo, 'deliver'>;
  devices: Pick<DevicesRepo, 'listActive' | 'disableToken'>;
  breakers: BreakerRegistry;
  /** SMTP_URL, or the embedded mail sink's address; none leaves e-mail unconfigured. */
  smtpUrl?: string;
  /** Told of every inbox item this process writes (I3's live streams). */
  onInboxItem: (userId: string) => void;
}

export function createChannels(s: NotificationConfig['settings'], d: ChannelDeps) {
  const order = s.SMS_PROVIDER_ORDER.split(',').map((x) => x.trim());
  const sms: ChannelProvider[] = [];
  for (const name of order) {
    if (name === 'twilio' && s.TWILIO_ACCOUNT_SID && s.TWILIO_AUTH_TOKEN && s.TWILIO_FROM) {
      sms.push(createTwilioProvider({ accountSid: s.TWILIO_ACCOUNT_SID, authToken: s.TWILIO_AUTH_TOKEN, from: s.TWILIO_FROM, baseUrl: s.TWILIO_API_BASE_URL, statusCallbackUrl: s.TWILIO_STATUS_CALLBACK_URL, timeoutMs: RETRY.sms.timeoutMs }));
    }
    if (name === 'sns' && s.AWS_REGION) sms.push(createSnsProvider({ region: s.AWS_REGION, endpoint: s.AWS_ENDPOINT_URL_SNS, timeoutMs: RETRY.sms.timeoutMs }));
  }
  const { breakers } = d;
  const providers: Partial<Record<Channel, ChannelProvider>> = {
    in_app: createInAppProvider(d.inbox, d.now, d.onInboxItem),
    ...(d.smtpUrl ? { email: withBreaker(createSmtpProvider({ url: d.smtpUrl, from: s.MAIL_FROM, poolSize: s.SMTP_POOL_SIZE }), breakers.breakerFor('smtp', 'email')) } : {}),
    ...(sms.length > 0 ? { sms: createSmsChannel(sms, new Map(sms.map((p) => [p.name, breakers.breakerFor(p.name, 'sms')]))) } : {}),
    ...(s.FCM_CREDENTIALS ? {
      push: withBreaker(createFcmProvider({
        credentials: parseFcmCredentials(s.FCM_CREDENTIALS), baseUrl: s.FCM_API_BASE_URL, timeoutMs: RETRY.push.timeoutMs,
        devices: { active: d.devices.listActive, disable: (token, reason) => d.devices.disableToken(token, reason, d.now()) },
      }), breakers.breakerFor('fcm', 'push')),
    } : {}),
  };
  /** A9: every provider, whether configured here (`configured` reads the final map, overrides included). */
  const info = (final: Partial<Record<Channel, ChannelProvider>>): ProviderInfo[] => [
    { name: 'in_app', channel: 'in_app', configured: true, order: 1, circuit: () => breakers.snapshot('in_app') },
    { name: 'smtp', channel: 'email', configured: Boolean(final.email), order: 1, circuit: () => breakers.snapshot('smtp') },
    ...['twilio', 'sns'].map((name) => ({
      name, channel: 'sms', configured: sms.some((p) => p.name === name), order: order.indexOf(name) + 1 || order.length + 1, circuit: () => breakers.snapshot(name),
    })),
    { name: 'fcm', channel: 'push', configured: Boolean(final.push), order: 1, circuit: () => breakers.snapshot('fcm') },
  ];
  return { providers, info };
}
