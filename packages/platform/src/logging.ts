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
  // Top-level keys too: a child logger's bindings skip the formatter below and only meet these paths.
  'authorization',
  'password',
  'token',
  'refresh_token',
  'access_token',
  'client_secret',
  'email',
  'document_number',
  'phone',
];

/** Keys whose values never reach a log line, at any depth (compared in lower case). */
export const SENSITIVE_KEYS = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'new_password',
  'current_password',
  'password_hash',
  'token',
  'refresh_token',
  'access_token',
  'id_token',
  'client_secret',
  'email',
  'document_number',
  'phone',
  'phone_number',
]);

const CENSOR = '[redacted]';
const MAX_DEPTH = 8;

function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Copy of `value` with sensitive keys censored in plain objects and arrays at any depth. pino's path
 * redaction alone only reaches the paths listed (`*.email` misses a top-level or deeper `email`).
 * Other instances (errors, requests) are left to their serializers and the path redaction.
 */
export function redactSensitive<T>(value: T, depth = 0, seen = new WeakSet<object>()): T {
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return value;
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((v) => redactSensitive(v, depth + 1, seen)) as T;
  }
  if (!isPlain(value)) return value;
  seen.add(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SENSITIVE_KEYS.has(k.toLowerCase()) && v !== undefined && v !== null ? CENSOR : redactSensitive(v, depth + 1, seen);
  }
  return out as T;
}

export function createLogger(opts: { level: string; name?: string; destination?: NodeJS.WritableStream }): Logger {
  const options: LoggerOptions = {
    level: opts.level,
    base: opts.name ? { service: opts.name } : {},
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    formatters: {
      log: (object) => redactSensitive(object),
      bindings: (bindings) => redactSensitive(bindings),
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return opts.destination ? pino(options, opts.destination as pino.DestinationStream) : pino(options);
}

/** Personal identifiers appear in logs only as the first 8 hex chars of SHA-256 of their normalised form. */
export function maskIdentifier(value: string): string {
  return createHash('sha256').update(value.trim().toLowerCase()).digest('hex').slice(0, 8);
}

/** IPv4 keeps its first two octets, IPv6 its first three groups; anything else is not logged. */
export function maskIp(ip: string | undefined): string | null {
  if (!ip) return null;
  const v4 = ip.trim().replace(/^::ffff:/i, '');
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)) {
    const [a, b] = v4.split('.');
    return `${a}.${b}.x.x`;
  }
  const groups = expandIpv6(ip.trim());
  if (!groups) return null;
  return `${groups.slice(0, 3).join(':')}::x`;
}

/**
 * The eight groups of an IPv6 address (zone id dropped, `::` expanded, an embedded IPv4 tail counted as
 * two groups), so "2001:db8::1" keeps "2001:db8:0", not the last group; undefined when it is not one.
 */
function expandIpv6(address: string): string[] | undefined {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(ip) || !ip.includes(':')) return undefined;
  const parts = ip.split('::');
  if (parts.length > 2) return undefined;
  const split = (s: string) => (s === '' ? [] : s.split(':')).flatMap((g) => (g.includes('.') ? ['v4', 'v4'] : [g]));
  const head = split(parts[0]);
  const tail = parts.length === 2 ? split(parts[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (parts.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(parts.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((g) => g === 'v4' || /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => (g === 'v4' ? '0' : g.replace(/^0+(?=.)/, '')));
}
