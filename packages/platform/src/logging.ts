/**
 * pino logger with the redactions of 00-conventions §7: no tokens, passwords or personal data.
 */
import { createHash } from 'node:crypto';
import { pino, type Logger, type LoggerOptions } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.new_password',
  '*.current_password',
  '*.token',
  '*.refresh_token',
  '*.access_token',
  '*.client_secret',
  '*.email',
  '*.document_number',
  '*.phone',
];

export function createLogger(opts: { level: string; name?: string; destination?: NodeJS.WritableStream }): Logger {
  const options: LoggerOptions = {
    level: opts.level,
    base: opts.name ? { service: opts.name } : {},
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return opts.destination ? pino(options, opts.destination as pino.DestinationStream) : pino(options);
}

/** Personal identifiers appear in logs only as the first 8 hex chars of SHA-256 of their normalised form. */
export function maskIdentifier(value: string): string {
  return createHash('sha256').update(value.trim().toLowerCase()).digest('hex').slice(0, 8);
}

/** IPv4 keeps its first two octets, IPv6 its first three groups. */
export function maskIp(ip: string | undefined): string | null {
  if (!ip) return null;
  const v4 = ip.replace(/^::ffff:/, '');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(v4)) {
    const [a, b] = v4.split('.');
    return `${a}.${b}.x.x`;
  }
  const groups = ip.split(':').filter((g) => g.length > 0);
  return `${groups.slice(0, 3).join(':')}::x`;
}
