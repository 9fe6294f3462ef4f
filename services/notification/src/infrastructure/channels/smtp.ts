/**
 * E-mail over SMTP with a pooled nodemailer transport (R36, §6). SMTP replies are classified:
 * connection errors, timeouts, 421 and 45x transient; 535 provider_unavailable; other 5xx permanent.
 */
import nodemailer from 'nodemailer';
import { ChannelError, type ChannelProvider, type OutgoingMessage } from '../../application/ports.ts';

export function classifySmtpError(err: unknown): ChannelError {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const code = e.responseCode;
  // Only the reply code travels on: the server's text may echo the address.
  if (code === 535) return new ChannelError('provider_unavailable', 'SMTP_535', 'Autenticación SMTP rechazada', code);
  if (code && code >= 500) return new ChannelError('permanent', `SMTP_${code}`, `El servidor SMTP rechazó el mensaje (${code})`, code);
  if (code && code >= 400) return new ChannelError('transient', `SMTP_${code}`, `El servidor SMTP aplazó el mensaje (${code})`, code);
  return new ChannelError('transient', e.code ?? 'SMTP_CONNECTION', `Error de conexión SMTP (${e.code ?? 'desconocido'})`);
}

/** R34: the pool holds at most `poolSize` (SMTP_POOL_SIZE) connections; further messages wait for a free one. */
export function createSmtpProvider(opts: { url: string; from: string; poolSize: number }): ChannelProvider {
  const transport = nodemailer.createTransport({ url: opts.url, pool: true, maxConnections: opts.poolSize, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never);
  return {
    name: 'smtp',
    channel: 'email',
    async send(m: OutgoingMessage) {
      const headers: Record<string, string> = { 'X-SICORA-Notification-Id': m.notification_id, 'X-SICORA-Type': m.type, 'Auto-Submitted': 'auto-generated' };
      if (!m.mandatory) headers['List-Unsubscribe'] = `<${m.preferences_url}>`;
      try {
        const info = await transport.sendMail({
          from: opts.from, to: m.to ?? undefined, subject: m.subject ?? '', text: m.text, html: m.html ?? undefined,
          // Stable across retries, so a repeated send is recognisable as the same message (R31).
          messageId: `<${m.delivery_id}@sicora>`, headers, textEncoding: 'quoted-printable',
        });
        return { provider: 'smtp', provider_message_id: String(info.messageId ?? `<${m.delivery_id}@sicora>`) };
      } catch (err) {
        throw classifySmtpError(err);
      }
    },
    async close() {
      transport.close();
    },
  };
}
