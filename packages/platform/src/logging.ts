/**
 * pino logger with the redactions of 00-conventions §7: no tokens, passwords or personal data. JSON lines
 * for machines; human lines (pino-pretty) for a person at a terminal.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type PinoPretty from 'pino-pretty';

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

/** Where a logger keeps the name of the service it logs for (read by the mixin below, inherited by children). */
const SERVICE_NAME: unique symbol = Symbol.for('sicora.logger.service');
/** Marks a logger made by createLogger (and, through the prototype chain, its children). */
const PLATFORM_LOGGER: unique symbol = Symbol.for('sicora.logger.platform');
type Named = Logger & { [SERVICE_NAME]?: string; [PLATFORM_LOGGER]?: true };

/** Keys drivers fill with row values or SQL (pg's `detail`, `where`, drizzle's `params`): never logged. */
const ERROR_FIELDS = ['code', 'severity', 'routine', 'constraint', 'table', 'column', 'schema', 'statusCode', 'errno', 'syscall'] as const;
const MAX_CAUSES = 5;

/**
 * An error and its `cause` chain for a log line: type, message, code and the stack of the outer error,
 * then each cause's type, message and code — PostgreSQL's own reason (`22021 invalid byte sequence for
 * encoding "UTF8": 0x00`) sits in the cause of the ORM's "Failed query" error. The query's parameters
 * (personal data) are cut from drizzle's message; pg's `detail` and `where` (row values) are never copied.
 */
export function serializeError(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) {
    // Already serialised (a logger's `err` serializer meets what errorHandler serialised itself).
    if (isPlain(err)) return err;
    return { type: typeof err, message: String(err) };
  }
  const out: Record<string, unknown> = { type: err.name, message: stripParams(err.message) };
  for (const key of ERROR_FIELDS) {
    const value = (err as unknown as Record<string, unknown>)[key];
    if (value !== undefined && value !== null && (typeof value === 'string' || typeof value === 'number')) out[key] = value;
  }
  if (depth === 0 && err.stack) out.stack = stripParams(err.stack);
  const cause = (err as { cause?: unknown }).cause;
  if (cause !== undefined && cause !== null && depth < MAX_CAUSES) out.cause = serializeError(cause, depth + 1);
  return out;
}

/** drizzle's "Failed query: <sql>\nparams: <values>": the SQL stays, the values go. */
function stripParams(message: string): string {
  const at = message.indexOf('\nparams:');
  return at === -1 ? message : `${message.slice(0, at)}\nparams: [redacted]`;
}

export type LogFormat = 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/**
 * How log lines are written: `LOG_FORMAT` (`json` or `pretty`) when set, otherwise human lines when the
 * output is a terminal and JSON when it is not (a pipe, a file, a container's log collector).
 */
export function logFormat(env: { LOG_FORMAT?: string }, output: { isTTY?: boolean }): LogFormat {
  const wanted = env.LOG_FORMAT?.trim().toLowerCase();
  if (wanted) {
    if ((LOG_FORMATS as readonly string[]).includes(wanted)) return wanted as LogFormat;
    throw new Error(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')} (got "${env.LOG_FORMAT}")`);
  }
  return output.isTTY === true ? 'pretty' : 'json';
}

/**
 * A pino destination writing each line through pino-pretty, in this thread and synchronously (pino's own
 * transport would add a worker thread, and could lose the last lines when the process exits). The line
 * pino-pretty receives is the finished JSON one: redaction, serializers and the `service` mixin have run.
 * pino-pretty is loaded here only, so a JSON logger never pays for it.
 */
function prettyDestination(out: { write(line: string): unknown }, terminal: { isTTY?: boolean }): DestinationStream {
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as { prettyFactory: typeof PinoPretty.prettyFactory };
  const pretty = prettyFactory({
    colorize: terminal.isTTY === true && !process.env.NO_COLOR,
    translateTime: 'SYS:HH:MM:ss.l',
    // The service leads the message instead of trailing it as a field.
    ignore: 'service',
    messageFormat: (log, messageKey) => {
      const message = log[messageKey] === undefined ? '' : String(log[messageKey]);
      return typeof log.service === 'string' ? `[${log.service}] ${message}` : message;
    },
    // The other fields on the same line as compact JSON; an `err` still gets its stack below it.
    singleLine: true,
  });
  return { write: (line: string) => void out.write(pretty(line)) };
}

/**
 * The platform's pino logger. Every line carries exactly one `service` key: the service a logger was made
 * for (`createLogger({ name })`, `serviceLogger(parent, name)`), written by a mixin rather than as a
 * binding, so a child for another service replaces it instead of adding a second one; a `service` that a
 * call logs (the gateway's upstream) is kept as `target_service`. `err` and `error` go through
 * `serializeError` (causes included, row values never). Lines are JSON or human (`format`, default
 * `logFormat(process.env, destination ?? process.stdout)`); both carry the same fields.
 */
export function createLogger(opts: { level: string; name?: string; destination?: NodeJS.WritableStream; format?: LogFormat }): Logger {
  const options: LoggerOptions = {
    level: opts.level,
    base: {},
    redact: { paths: REDACT_PATHS, censor: CENSOR },
    serializers: { err: serializeError, error: serializeError },
    mixin: (_object, _level, logger) => {
      const name = (logger as Named)[SERVICE_NAME];
      return name ? { service: name } : {};
    },
    mixinMergeStrategy: (object, mixin) => {
      const own = (mixin as { service?: string }).service;
      if (own === undefined || !('service' in object)) return Object.assign(mixin, object);
      const { service, ...rest } = object as Record<string, unknown>;
      return Object.assign(mixin, rest, service === own || service === undefined ? {} : { target_service: service });
    },
    formatters: {
      log: (object) => redactSensitive(object),
      bindings: (bindings) => redactSensitive(bindings),
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  // The terminal check looks at where the lines go: the given destination, or stdout.
  const output = (opts.destination ?? process.stdout) as { isTTY?: boolean };
  const format = opts.format ?? logFormat(process.env, output);
  const logger = (
    format === 'pretty'
      ? pino(options, prettyDestination(opts.destination ?? pino.destination({ dest: 1, sync: true }), output))
      : opts.destination
        ? pino(options, opts.destination as DestinationStream)
        : pino(options)
  ) as Named;
  logger[PLATFORM_LOGGER] = true;
  if (opts.name) logger[SERVICE_NAME] = opts.name;
  return logger;
}

/**
 * A child of `parent` that logs as service `name` (one `service` key per line, replacing the parent's).
 * A logger not made by `createLogger` gets a plain `service` binding.
 */
export function serviceLogger(parent: Logger, name: string): Logger {
  if (!(parent as Named)[PLATFORM_LOGGER]) return parent.child({ service: name });
  const child = parent.child({}) as Named;
  child[SERVICE_NAME] = name;
  return child;
}

/** Personal identifiers appear in logs only as the first 8 hex chars of SHA-256 of their normalised form. */
export function maskIdentifier(value: string): string {
  return createHash('sha256').update(value.trim().toLowerCase()).digest('hex').slice(0, 8);
}
