import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from 'typebox';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadServiceConfig, parseEnvSchema, readEnv, splitList } from '../src/config.ts';

const NoSettings = Type.Object({});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadServiceConfig', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadServiceConfig('attendance', NoSettings, {});
    expect(config).toMatchObject({
      service: 'attendance',
      host: '127.0.0.1',
      port: 8003,
      dataDir: './data',
      timezone: 'America/Bogota',
      logLevel: 'info',
      databaseUrl: undefined,
      redisUrl: undefined,
      corsOrigins: ['http://localhost:5173', 'http://localhost:3000'],
      publicBaseUrl: 'http://localhost:8000',
      publicAppUrl: 'http://localhost:5173',
      serviceClientSecret: undefined,
      bodyLimit: 1_048_576,
      jwt: { issuer: 'sicora', audience: 'sicora-api', jwksUrl: 'http://127.0.0.1:8001/.well-known/jwks.json' },
      settings: {},
    });
    expect(config.serviceUrls).toEqual({
      gateway: 'http://127.0.0.1:8000',
      users: 'http://127.0.0.1:8001',
      schedules: 'http://127.0.0.1:8002',
      attendance: 'http://127.0.0.1:8003',
      evalin: 'http://127.0.0.1:8004',
      kb: 'http://127.0.0.1:8006',
      ai: 'http://127.0.0.1:8007',
      projecteval: 'http://127.0.0.1:8008',
      notification: 'http://127.0.0.1:8009',
    });
  });

  it('when values are given as strings, then they are converted to their types and trailing slashes trimmed', () => {
    const settings = Type.Object({
      KB_PDF_MAX_MB: Type.Integer({ default: 20, minimum: 1 }),
      KB_FEATURE_ON: Type.Boolean({ default: false }),
      KB_RATIO: Type.Number({ default: 0.5 }),
    });
    const config = loadServiceConfig('kb', settings, {
      PORT: '9100',
      LOG_LEVEL: 'debug',
      BODY_LIMIT_BYTES: '2048',
      CORS_ORIGINS: ' https://a.example , https://b.example ,',
      PUBLIC_BASE_URL: 'https://api.example/',
      USERS_URL: 'http://users.internal:8001/',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SERVICE_CLIENT_SECRET: 's'.repeat(32),
      KB_PDF_MAX_MB: '50',
      KB_FEATURE_ON: 'true',
      KB_RATIO: '0.25',
      SICORA_TIMEZONE: 'America/Lima',
      UNRELATED: 'ignored',
    });
    expect(config.port).toBe(9100);
    expect(config.logLevel).toBe('debug');
    expect(config.bodyLimit).toBe(2048);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.publicBaseUrl).toBe('https://api.example');
    expect(config.serviceUrls.users).toBe('http://users.internal:8001');
    expect(config.jwt.jwksUrl).toBe('http://users.internal:8001/.well-known/jwks.json');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.timezone).toBe('America/Lima');
    expect(config.settings).toEqual({ KB_PDF_MAX_MB: 50, KB_FEATURE_ON: true, KB_RATIO: 0.25 });
  });

  it('when an empty string is set, then the variable counts as unset', () => {
    const config = loadServiceConfig('users', NoSettings, { PORT: '', DATABASE_URL: '', LOG_LEVEL: '' });
    expect(config).toMatchObject({ port: 8001, databaseUrl: undefined, logLevel: 'info' });
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '80.5' }],
    ['USERS_PORT', { USERS_PORT: '-1' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://root@localhost/db' }],
    ['USERS_DATABASE_URL', { USERS_DATABASE_URL: 'sqlite://x' }],
    ['REDIS_URL', { REDIS_URL: 'http://127.0.0.1:6379' }],
    ['SCHEDULES_URL', { SCHEDULES_URL: 'ftp://schedules' }],
    ['PUBLIC_APP_URL', { PUBLIC_APP_URL: 'localhost:5173' }],
    ['SERVICE_CLIENT_SECRET', { SERVICE_CLIENT_SECRET: 'short' }],
    ['BODY_LIMIT_BYTES', { BODY_LIMIT_BYTES: '10' }],
    ['BODY_LIMIT_BYTES', { BODY_LIMIT_BYTES: 'true' }],
    ['SICORA_TIMEZONE', { SICORA_TIMEZONE: 'Mars/Olympus_Mons' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: '*,https://a.example' }],
  ])('when %s is wrong, then a ConfigError names it', (variable, env) => {
    const err = configError(() => loadServiceConfig('users', NoSettings, env));
    expect(err.variable).toBe(variable);
    expect(err.message).toContain(variable);
    expect(err.message).toMatch(/^Invalid configuration: /);
  });

  it('when LOG_LEVEL is wrong, then the message lists the accepted levels', () => {
    const err = configError(() => loadServiceConfig('users', NoSettings, { LOG_LEVEL: 'verbose' }));
    expect(err.message).toContain('must be one of fatal, error, warn, info, debug, trace, silent');
  });

  it('when the SICORA_TIMEZONE is invalid, then the message quotes the zone', () => {
    const err = configError(() => loadServiceConfig('users', NoSettings, { SICORA_TIMEZONE: 'Mars/Olympus_Mons' }));
    expect(err.message).toContain('IANA time zone (got "Mars/Olympus_Mons")');
  });

  it('when CORS_ORIGINS is only "*", then it is accepted', () => {
    expect(loadServiceConfig('users', NoSettings, { CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
  });

  it('when a service setting is wrong or a required one missing, then the error names it', () => {
    const settings = Type.Object({ AI_RATE_PER_MINUTE: Type.Integer({ minimum: 1, default: 20 }), LLM_BASE_URL: Type.String() });
    const wrong = configError(() => loadServiceConfig('ai', settings, { AI_RATE_PER_MINUTE: '0', LLM_BASE_URL: 'http://llm' }));
    expect(wrong.variable).toBe('AI_RATE_PER_MINUTE');
    const missing = configError(() => loadServiceConfig('ai', settings, {}));
    expect(missing.variable).toBe('LLM_BASE_URL');
    expect(missing.message).toBe('Invalid configuration: LLM_BASE_URL is required');
  });

  it('when <SERVICE>_PORT and <SERVICE>_DATABASE_URL are set, then they win over PORT and DATABASE_URL', () => {
    const env = {
      PORT: '9000',
      DATABASE_URL: 'postgres://shared@db/sicora',
      SCHEDULES_PORT: '9002',
      SCHEDULES_DATABASE_URL: 'postgresql://schedules@db/schedules',
    };
    expect(loadServiceConfig('schedules', NoSettings, env)).toMatchObject({ port: 9002, databaseUrl: 'postgresql://schedules@db/schedules' });
    // Another service's own variables do not leak: users falls back to the shared ones.
    expect(loadServiceConfig('users', NoSettings, env)).toMatchObject({ port: 9000, databaseUrl: 'postgres://shared@db/sicora' });
    expect(loadServiceConfig('users', NoSettings, { PORT: '0' }).port).toBe(0);
  });
});

describe('parseEnvSchema and helpers', () => {
  it('when a schema has defaults, then only its own variables are read', () => {
    const schema = Type.Object({ A_FLAG: Type.Boolean({ default: true }), A_LIST: Type.String({ default: 'x,y' }) });
    expect(parseEnvSchema(schema, { A_FLAG: 'false', OTHER: '1' })).toEqual({ A_FLAG: false, A_LIST: 'x,y' });
  });

  it('when a boolean or number is not written as one, then it is refused instead of guessed', () => {
    const schema = Type.Object({ X_ON: Type.Boolean({ default: false }), X_RATIO: Type.Number({ default: 1 }) });
    expect(parseEnvSchema(schema, { X_ON: 'Yes', X_RATIO: '1e-2' })).toEqual({ X_ON: true, X_RATIO: 0.01 });
    expect(parseEnvSchema(schema, { X_ON: 'off' })).toEqual({ X_ON: false, X_RATIO: 1 });
    expect(configError(() => parseEnvSchema(schema, { X_ON: 'maybe' })).variable).toBe('X_ON');
    expect(configError(() => parseEnvSchema(schema, { X_RATIO: 'half' })).variable).toBe('X_RATIO');
  });

  it('when a list is split, then blanks are dropped', () => {
    expect(splitList(' a, ,b ,, c')).toEqual(['a', 'b', 'c']);
  });
});

describe('readEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sicora-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when a .env file exists, then its values sit beneath the real environment', () => {
    const file = join(dir, '.env');
    writeFileSync(file, ['# comment', 'PORT=9001', 'LOG_LEVEL=debug', 'CORS_ORIGINS="https://a.example,https://b.example"', ''].join('\n'));
    const env = readEnv({ PORT: '9999', OTHER: 'x' }, file);
    expect(env).toEqual({ PORT: '9999', OTHER: 'x', LOG_LEVEL: 'debug', CORS_ORIGINS: 'https://a.example,https://b.example' });
    expect(loadServiceConfig('users', NoSettings, env)).toMatchObject({ port: 9999, logLevel: 'debug', corsOrigins: ['https://a.example', 'https://b.example'] });
  });

  it('when there is no .env file, then the environment is copied as is', () => {
    const real = { PORT: '1' };
    const env = readEnv(real, join(dir, 'missing.env'));
    expect(env).toEqual(real);
    expect(env).not.toBe(real);
  });
});
