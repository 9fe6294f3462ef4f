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
