/**
 * SMS through AWS SNS `Publish` (R37) with the standard credential chain; `AWS_ENDPOINT_URL_SNS`
 * points the SDK at another endpoint (a local fake in tests).
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { ChannelError, type ChannelProvider, type OutgoingMessage } from '../../application/ports.ts';
import { createLimiter, PROVIDER_CONCURRENCY } from './provider-limiter.ts';

const AUTH = new Set(['AuthorizationError', 'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'CredentialsProviderError', 'ExpiredToken', 'AccessDenied', 'AccessDeniedException']);

export function classifySnsError(err: unknown): ChannelError {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  if (name === 'InvalidParameterException' || name === 'InvalidParameter' || name === 'InvalidParameterValueException') return new ChannelError('permanent', 'SNS_INVALID_PARAMETER', 'SNS rechazó el número o el mensaje', status);
  if (AUTH.has(name) || status === 401 || status === 403) return new ChannelError('provider_unavailable', `SNS_${name}`.slice(0, 60), 'Credenciales de SNS rechazadas', status);
  if (name === 'Throttling' || name === 'ThrottlingException' || name === 'ThrottledException' || status === 429 || (status !== undefined && status >= 500) || status === undefined) {
    return new ChannelError('transient', `SNS_${name}`.slice(0, 60), 'SNS no está disponible', status);
  }
  return new ChannelError('permanent', `SNS_${name}`.slice(0, 60), 'SNS rechazó el mensaje', status);
}

export function createSnsProvider(o: { region: string; endpoint?: string; timeoutMs: number }): ChannelProvider {
  // The SDK is loaded on the first send, not at start-up: it is large and most deployments never send SMS.
  let sdk: Promise<{ client: SNSClient; PublishCommand: typeof import('@aws-sdk/client-sns').PublishCommand }> | undefined;
  const load = () =>
    (sdk ??= import('@aws-sdk/client-sns').then(({ SNSClient: Client, PublishCommand }) => ({
      client: new Client({ region: o.region, ...(o.endpoint ? { endpoint: o.endpoint } : {}), maxAttempts: 1 }),
      PublishCommand,
    })));
  const limit = createLimiter(PROVIDER_CONCURRENCY);
  return {
    name: 'sns',
    channel: 'sms',
    async send(m: OutgoingMessage) {
      try {
        const { client, PublishCommand } = await load();
        const out = await limit(() => client.send(new PublishCommand({
          PhoneNumber: m.to!, Message: m.text,
          MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
        }), { abortSignal: AbortSignal.timeout(o.timeoutMs) }));
        return { provider: 'sns', provider_message_id: out.MessageId ?? '' };
      } catch (err) {
        throw classifySnsError(err);
      }
    },
    async close() {
      if (sdk) (await sdk).client.destroy();
    },
  };
}
