/**
 * Configuration: read once from the environment (and an optional `.env`), validated with TypeBox, and
 * fail-fast with the offending variable's name. The only reader of `process.env` outside `main.ts` files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { Type, type Static, type TObject, type TProperties, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { DEFAULT_PORTS, envPrefix, SERVICE_NAMES, type ServiceName } from './services.ts';

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, reason: string) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** Reads `.env` in `cwd` (if any) beneath the real environment: real variables win. */
export function readEnv(processEnv: Env = process.env, dotenvPath = '.env'): Env {
  if (!existsSync(dotenvPath)) return { ...processEnv };
  const fromFile = parseEnv(readFileSync(dotenvPath, 'utf8')) as Env;
  return { ...fromFile, ...processEnv };
}

/**
 * Validates `env` against an object schema whose property names are variable names. Strings are
 * converted to the schema's types (numbers, booleans) and defaults applied; any failure names the variable.
 */
export function parseEnvSchema<T extends TObject>(schema: T, env: Env): Static<T> {
  const picked: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties)) {
    const raw = env[key];
    if (raw !== undefined && raw !== '') picked[key] = convert(property, raw);
  }
  const converted = Value.Default(schema, picked);
  if (!Value.Check(schema, converted)) {
    const first = Value.Errors(schema, converted)[0];
    const path = first?.instancePath.replace(/^\//, '') ?? '';
    let variable = path.split('/')[0] ?? '';
    if (!variable && first?.keyword === 'required') {
      variable = (first.params as { requiredProperties?: string[] }).requiredProperties?.[0] ?? '(unknown)';
    }
    const reason = first?.keyword === 'required' ? 'is required' : `is invalid (${describeExpected(schema.properties[variable]) ?? first?.message ?? 'unknown reason'})`;
    throw new ConfigError(variable || '(unknown)', reason);
  }
  return converted as Static<T>;
}

const BOOLEANS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, yes: true, no: false, on: true, off: false };

/**
 * Strict string → number/boolean: TypeBox's own conversion truncates "80.5" to 80 and reads "true" as
 * 1, which would start a process on a value nobody wrote. Anything unparsable stays a string and fails.
 */
function convert(property: unknown, raw: string): unknown {
  const type = (property as { type?: unknown }).type;
  const text = raw.trim();
  if (type === 'integer') return /^[+-]?\d+$/.test(text) ? Number(text) : raw;
  if (type === 'number') return text !== '' && Number.isFinite(Number(text)) ? Number(text) : raw;
  if (type === 'boolean') return BOOLEANS[text.toLowerCase()] ?? raw;
  return Value.Convert(property as TSchema, raw);
}

/** "must be one of a, b, c" for a union of literals, whose raw errors only say "must be equal to constant". */
function describeExpected(property: unknown): string | undefined {
  const anyOf = (property as { anyOf?: Array<{ const?: unknown }> } | undefined)?.anyOf;
  if (!anyOf || !anyOf.every((s) => s.const !== undefined)) return undefined;
  return `must be one of ${anyOf.map((s) => String(s.const)).join(', ')}`;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const BaseEnvSchema = Type.Object({
  /** Where the embedded database, signing keys, service-client secrets and uploaded files live. */
  SICORA_DATA_DIR: Type.String({ default: './data', minLength: 1 }),
  /** The centre's IANA time zone: class days, shift windows, nightly jobs and CSV dates follow it. */
  SICORA_TIMEZONE: Type.String({ default: 'America/Bogota', minLength: 1 }),
  /** pino level of the JSON logs on stdout. */
  LOG_LEVEL: Type.Union(LOG_LEVELS.map((l) => Type.Literal(l)), { default: 'info' }),
  /** Address every HTTP server binds (0.0.0.0 in a container). */
  HOST: Type.String({ default: '127.0.0.1' }),
  /** The port when `<SERVICE>_PORT` is unset (one service per container). */
  PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  /** PostgreSQL for every service (each keeps its own schema); unset: the embedded PGlite in the data dir. */
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  /** Redis for rate limits, caches and the notification queue (BullMQ); unset: in memory and pg-boss. */
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  /** Origins allowed by CORS, comma-separated; `*` only alone. */
  CORS_ORIGINS: Type.String({ default: 'http://localhost:5173,http://localhost:3000' }),
  /** The gateway's public address, written into links and documents. */
  PUBLIC_BASE_URL: Type.String({ default: 'http://localhost:8000', pattern: '^https?://' }),
  /** The web app's public address, written into e-mails (reset links, `action_url`). */
  PUBLIC_APP_URL: Type.String({ default: 'http://localhost:5173', pattern: '^https?://' }),
  /** This service's client secret for its service token (users R22); the embedded start generates them. */
  SERVICE_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 16 })),
  /** Largest JSON request body a service accepts (uploads have their own limits). */
  BODY_LIMIT_BYTES: Type.Integer({ default: 1_048_576, minimum: 1024, maximum: 104_857_600 }),
  /** `iss` of the tokens users signs and every service checks. */
  JWT_ISSUER: Type.String({ default: 'sicora' }),
  /** `aud` of user access tokens. */
  JWT_AUDIENCE: Type.String({ default: 'sicora-api' }),
});

export interface BaseConfig {
  service: ServiceName;
  host: string;
  port: number;
  dataDir: string;
  timezone: string;
  logLevel: (typeof LOG_LEVELS)[number];
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  corsOrigins: string[];
  publicBaseUrl: string;
  publicAppUrl: string;
  serviceUrls: Record<ServiceName, string>;
  serviceClientSecret: string | undefined;
  bodyLimit: number;
  jwt: { issuer: string; audience: string; jwksUrl: string };
}

export type ServiceConfig<P extends TProperties = TProperties> = BaseConfig & { settings: Static<TObject<P>> };

function serviceEnvSchema(service: ServiceName) {
  const props: TProperties = {};
  for (const name of SERVICE_NAMES) {
    props[`${envPrefix(name)}_URL`] = Type.Optional(Type.String({ pattern: '^https?://' }));
  }
  const p = envPrefix(service);
  props[`${p}_PORT`] = Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 }));
  props[`${p}_DATABASE_URL`] = Type.Optional(Type.String({ pattern: '^postgres(ql)?://' }));
  return Type.Object(props);
}

export function checkTimezone(variable: string, zone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new ConfigError(variable, `must be an IANA time zone (got "${zone}")`);
  }
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The configuration of one service: the shared variables, the service's own `<SERVICE>_PORT` and
 * `<SERVICE>_DATABASE_URL` (falling back to `PORT` and `DATABASE_URL`), and its own settings schema.
 */
export function loadServiceConfig<P extends TProperties>(
  service: ServiceName,
  settingsSchema: TObject<P>,
  env: Env,
): ServiceConfig<P> {
  const base = parseEnvSchema(BaseEnvSchema, env);
  const own = parseEnvSchema(serviceEnvSchema(service), env) as Record<string, string | number | undefined>;
  const settings = parseEnvSchema(settingsSchema, env);
  checkTimezone('SICORA_TIMEZONE', base.SICORA_TIMEZONE);
  const origins = splitList(base.CORS_ORIGINS);
  if (origins.includes('*') && origins.length > 1) {
    throw new ConfigError('CORS_ORIGINS', 'may hold "*" only as its sole value');
  }
  const serviceUrls = {} as Record<ServiceName, string>;
  for (const name of SERVICE_NAMES) {
    const url = own[`${envPrefix(name)}_URL`] as string | undefined;
    serviceUrls[name] = (url ?? `http://127.0.0.1:${DEFAULT_PORTS[name]}`).replace(/\/+$/, '');
  }
  const p = envPrefix(service);
  const port = (own[`${p}_PORT`] as number | undefined) ?? base.PORT ?? DEFAULT_PORTS[service];
  return {
    service,
    host: base.HOST,
    port,
    dataDir: base.SICORA_DATA_DIR,
    timezone: base.SICORA_TIMEZONE,
    logLevel: base.LOG_LEVEL,
    databaseUrl: (own[`${p}_DATABASE_URL`] as string | undefined) ?? base.DATABASE_URL,
    redisUrl: base.REDIS_URL,
    corsOrigins: origins,
    publicBaseUrl: base.PUBLIC_BASE_URL.replace(/\/+$/, ''),
    publicAppUrl: base.PUBLIC_APP_URL.replace(/\/+$/, ''),
    serviceUrls,
    serviceClientSecret: base.SERVICE_CLIENT_SECRET,
    bodyLimit: base.BODY_LIMIT_BYTES,
    jwt: {
      issuer: base.JWT_ISSUER,
      audience: base.JWT_AUDIENCE,
      jwksUrl: `${serviceUrls.users}/.well-known/jwks.json`,
    },
    settings,
  };
}
