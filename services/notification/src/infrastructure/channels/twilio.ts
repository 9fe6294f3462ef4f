/**
 * SMS through Twilio's Messages API with the twilio SDK (R37). The API origin is configurable
 * (TWILIO_API_BASE_URL) through the SDK's custom `httpClient`: a wrapper of its RequestClient that
 * rewrites the origin of `opts.uri`, so tests talk to a local fake.
 */
import type TwilioSdk from 'twilio';
import { ChannelError, type ChannelProvider, type OutgoingMessage } from '../../application/ports.ts';
import { createLimiter, PROVIDER_CONCURRENCY } from './provider-limiter.ts';

const PERMANENT_CODES = new Set([21211, 21614, 21610]);

export function classifyTwilioError(err: unknown): ChannelError {
  const e = err as { status?: number; code?: number | string };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const code = typeof e.code === 'number' ? e.code : undefined;
  if (code !== undefined && PERMANENT_CODES.has(code)) return new ChannelError('permanent', `TWILIO_${code}`, `Twilio rechazó el número (${code})`, status);
  if (status === undefined) return new ChannelError('transient', 'TWILIO_CONNECTION', `Error de conexión con Twilio (${String(e.code ?? 'desconocido')})`);
  if (status === 429 || status >= 500) return new ChannelError('transient', `TWILIO_HTTP_${status}`, `Twilio no está disponible (${status})`, status);
  if (status === 401 || status === 403) return new ChannelError('provider_unavailable', `TWILIO_HTTP_${status}`, 'Credenciales de Twilio rechazadas', status);
  return new ChannelError('permanent', code ? `TWILIO_${code}` : `TWILIO_HTTP_${status}`, `Twilio rechazó el mensaje (${code ?? status})`, status);
}

export interface TwilioOptions { accountSid: string; authToken: string; from: string; baseUrl: string; statusCallbackUrl?: string; timeoutMs: number }

export function createTwilioProvider(o: TwilioOptions): ChannelProvider {
  // The SDK is loaded on the first send, not at start-up: it is large and most deployments never send SMS.
  let clientPromise: Promise<ReturnType<typeof TwilioSdk>> | undefined;
  const getClient = () =>
    (clientPromise ??= import('twilio').then(({ default: twilio }) => {
      const base = new twilio.RequestClient({ timeout: o.timeoutMs });
      const target = new URL(o.baseUrl);
      const httpClient = Object.create(base) as typeof base;
      httpClient.request = (opts) => {
        const uri = new URL(opts.uri);
        uri.protocol = target.protocol;
        uri.host = target.host;
        return base.request({ ...opts, uri: uri.toString() });
      };
      return twilio(o.accountSid, o.authToken, { httpClient, autoRetry: false });
    }));
  const limit = createLimiter(PROVIDER_CONCURRENCY);
  return {
    name: 'twilio',
    channel: 'sms',
    async send(m: OutgoingMessage) {
      try {
        const client = await getClient();
        const msg = await limit(() => client.messages.create({ to: m.to!, from: o.from, body: m.text, ...(o.statusCallbackUrl ? { statusCallback: o.statusCallbackUrl } : {}) }));
        return { provider: 'twilio', provider_message_id: msg.sid };
      } catch (err) {
        throw classifyTwilioError(err);
      }
    },
  };
}
