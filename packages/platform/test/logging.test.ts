import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { createLocalVerifier, registerAuth, requireAuth } from '../src/auth.ts';
import { errors } from '../src/errors.ts';
import { createLogger, logFormat, maskIdentifier, redactSensitive, serializeError, serviceLogger } from '../src/logging.ts';
import { createTestKeys, mintToken } from '../src/testing/keys.ts';
import { createServer } from '../src/server.ts';

/** A pino destination kept in memory: one parsed object per log line. */
function memoryStream() {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { stream, lines, raw };
}

describe('maskIdentifier', () => {
  it('when an identifier is masked, then only the first 8 hex chars of the SHA-256 of its normalised form remain', () => {
    const expected = createHash('sha256').update('ana.perez@sena.edu.co').digest('hex').slice(0, 8);
    expect(maskIdentifier('  Ana.Perez@SENA.edu.co ')).toBe(expected);
    expect(maskIdentifier('ana.perez@sena.edu.co')).toMatch(/^[0-9a-f]{8}$/);
    expect(maskIdentifier('1012345678')).not.toBe(maskIdentifier('1012345679'));
  });
});


describe('createLogger', () => {
  it('when objects with secrets and personal data are logged, then authorization, passwords, tokens and e-mails are redacted at any depth', () => {
    const { stream, lines, raw } = memoryStream();
    const logger = createLogger({ level: 'info', name: 'users', destination: stream });
    logger.info(
      {
        email: 'ana@sena.edu.co',
        password: 'Secreta123!',
        req: { method: 'POST', headers: { authorization: 'Bearer eyJhbGciOi.abc.def', cookie: 'sid=1', 'user-agent': 'vitest' } },
        headers: { Authorization: 'Bearer other' },
        body: { current_password: 'vieja', new_password: 'nueva', profile: { document_number: '1012345678', phone: '3001234567' } },
        tokens: [{ access_token: 'at', refresh_token: 'rt' }],
        client: { client_secret: 'cs', name: 'schedules' },
        user_id: 'u-1',
      },
      'login attempt',
    );
    expect(lines).toHaveLength(1);
    const line = lines[0];
    expect(line).toMatchObject({
      level: 30,
      service: 'users',
      msg: 'login attempt',
      email: '[redacted]',
      password: '[redacted]',
      req: { method: 'POST', headers: { authorization: '[redacted]', cookie: '[redacted]', 'user-agent': 'vitest' } },
      headers: { Authorization: '[redacted]' },
      body: { current_password: '[redacted]', new_password: '[redacted]', profile: { document_number: '[redacted]', phone: '[redacted]' } },
      tokens: [{ access_token: '[redacted]', refresh_token: '[redacted]' }],
      client: { client_secret: '[redacted]', name: 'schedules' },
      user_id: 'u-1',
    });
    expect(Number.isNaN(Date.parse(String(line.time)))).toBe(false);
    for (const secret of ['ana@sena.edu.co', 'Secreta123!', 'eyJhbGciOi', 'vieja', 'nueva', '1012345678', '3001234567', 'sid=1']) {
      expect(raw[0]).not.toContain(secret);
    }
  });

  it('when a child logger is bound to personal data, then its bindings are redacted too', () => {
    const { stream, raw, lines } = memoryStream();
    const logger = createLogger({ level: 'info', destination: stream });
    logger.child({ email: 'bound@sena.edu.co', request_id: 'r-1' }).warn({ token: 'tok' }, 'bound');
    expect(raw[0]).not.toContain('bound@sena.edu.co');
    expect(lines[0]).toMatchObject({ level: 40, request_id: 'r-1', token: '[redacted]' });
  });

  it('when the level is above a message, then nothing is written', () => {
    const { stream, lines } = memoryStream();
    const logger = createLogger({ level: 'warn', destination: stream });
    logger.info('quiet');
    logger.error({ err: new Error('boom') }, 'loud');
    expect(lines.map((l) => l.msg)).toEqual(['loud']);
    expect((lines[0].err as { message: string }).message).toBe('boom');
  });

  it('when a server logs its request line, then it carries the route pattern, never the query string or the token', async () => {
    const { stream, lines, raw } = memoryStream();
    const app = await createServer({
      name: 'probe',
      logger: createLogger({ level: 'info', destination: stream }),
      config: { logLevel: 'info', corsOrigins: ['*'], bodyLimit: 1024, publicBaseUrl: 'http://localhost:8000' },
    });
    app.get('/people/:id', async () => ({ ok: true }));
    await app.inject({ method: 'GET', url: '/people/42?email=ana%40sena.edu.co', headers: { authorization: 'Bearer secret-token' } });
    await app.close();
    const line = lines.find((l) => l.msg === 'request completed');
    expect(line).toMatchObject({ method: 'GET', route: '/people/:id', status: 200 });
    expect(raw.join('\n')).not.toContain('ana');
    expect(raw.join('\n')).not.toContain('secret-token');
  });
});

describe('one service per line, probes quiet, causes kept (issue 10)', () => {
  /** The number of `"service":` keys in one raw JSON line (JSON.parse would keep only the last). */
  const serviceKeys = (line: string) => line.split('"service":').length - 1;

  it('when the embedded root logger is handed to a service and its requests log, then every line has one service key, the service\'s own', async () => {
    const { stream, lines, raw } = memoryStream();
    const root = createLogger({ level: 'info', name: 'sicora', destination: stream });
    root.info('embedded start');
    const app = await createServer({
      name: 'gateway',
      logger: serviceLogger(root, 'gateway'),
      config: { logLevel: 'info', corsOrigins: ['*'], bodyLimit: 1024, publicBaseUrl: 'http://localhost:8000' },
    });
    app.get('/api/v1/things', async (request) => {
      // A line that names another service (the gateway's upstream) keeps it under another key.
      request.log.info({ service: 'users', status: 200 }, 'proxied request');
      return { ok: true };
    });
    await app.inject({ method: 'GET', url: '/api/v1/things' });
    serviceLogger(root, 'users').child({ job: 'cleanup' }).warn('job line');
    await app.close();
    expect(raw.length).toBeGreaterThanOrEqual(4);
    for (const line of raw) expect(serviceKeys(line)).toBe(1);
    expect(lines.find((l) => l.msg === 'embedded start')?.service).toBe('sicora');
    expect(lines.find((l) => l.msg === 'proxied request')).toMatchObject({ service: 'gateway', target_service: 'users' });
    expect(lines.find((l) => l.msg === 'request completed')).toMatchObject({ service: 'gateway', route: '/api/v1/things' });
    expect(lines.find((l) => l.msg === 'job line')).toMatchObject({ service: 'users', job: 'cleanup' });
  });

  it('when a logger that is not the platform\'s is handed to a service, then it still gets one service binding', () => {
    const { stream, raw } = memoryStream();
    const plain = pino({ base: {} }, stream);
    serviceLogger(plain, 'users').info('x');
    expect(serviceKeys(raw[0])).toBe(1);
  });

  it('when probes answer, then their request lines are at debug; other routes stay at info', async () => {
    const { stream, lines } = memoryStream();
    const app = await createServer({
      name: 'probe',
      logger: createLogger({ level: 'debug', name: 'probe', destination: stream }),
      config: { logLevel: 'debug', corsOrigins: ['*'], bodyLimit: 1024, publicBaseUrl: 'http://localhost:8000' },
    });
    app.get('/api/v1/things', async () => ({ ok: true }));
    for (const url of ['/health', '/health/ready', '/metrics', '/api/v1/things']) await app.inject({ method: 'GET', url });
    await app.close();
    const levels = Object.fromEntries(lines.filter((l) => l.msg === 'request completed').map((l) => [l.route, l.level]));
    expect(levels).toEqual({ '/health': 20, '/health/ready': 20, '/metrics': 20, '/api/v1/things': 30 });
  });

  it('when a request meets a verifier without keys yet (start-up), then the 503 is logged below error; an unexpected error stays at error', async () => {
    const { stream, lines } = memoryStream();
    const app = await createServer({
      name: 'probe',
      logger: createLogger({ level: 'debug', name: 'probe', destination: stream }),
      config: { logLevel: 'debug', corsOrigins: ['*'], bodyLimit: 1024, publicBaseUrl: 'http://localhost:8000' },
    });
    registerAuth(app, createLocalVerifier({ keys: [] }, { issuer: 'sicora', audience: 'sicora-api' }), { readiness: false });
    app.get('/api/v1/mine', { preHandler: requireAuth() }, async () => ({ ok: true }));
    app.get('/api/v1/down', async () => {
      throw errors.unavailable({ service: 'schedules', reason: 'timeout' });
    });
    const token = await mintToken(await createTestKeys());
    expect((await app.inject({ method: 'GET', url: '/api/v1/mine', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(503);
    expect((await app.inject({ method: 'GET', url: '/api/v1/down' })).statusCode).toBe(503);
    await app.close();
    const unavailable = lines.filter((l) => l.code === 'SERVICE_UNAVAILABLE');
    expect(unavailable.map((l) => [l.reason, l.level])).toEqual([['auth_keys_unavailable', 30], ['timeout', 40]]);
    expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });

  it('when a query fails in the database, then the logged error keeps PostgreSQL\'s reason from its cause, without the query parameters', async () => {
    const { stream, lines, raw } = memoryStream();
    const app = await createServer({
      name: 'probe',
      logger: createLogger({ level: 'info', name: 'probe', destination: stream }),
      config: { logLevel: 'info', corsOrigins: ['*'], bodyLimit: 1024, publicBaseUrl: 'http://localhost:8000' },
    });
    app.get('/api/v1/boom', async () => {
      // What drizzle throws around a pg error: the SQL and its parameters, the driver's error as cause.
      const pgError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021', severity: 'ERROR', detail: 'Key (email)=(ana@sena.edu.co)' });
      throw new Error('Failed query: select "id" from "users"."users" where "email" = $1\nparams: ana@sena.edu.co', { cause: pgError });
    });
    expect((await app.inject({ method: 'GET', url: '/api/v1/boom' })).statusCode).toBe(500);
    await app.close();
    const line = lines.find((l) => l.msg === 'unexpected error') as { level: number; err: Record<string, unknown> & { cause: Record<string, unknown> } };
    expect(line.level).toBe(50);
    expect(line.err.message).toBe('Failed query: select "id" from "users"."users" where "email" = $1\nparams: [redacted]');
    expect(line.err.cause).toEqual({ type: 'Error', message: 'invalid byte sequence for encoding "UTF8": 0x00', code: '22021', severity: 'ERROR' });
    expect(raw.join('\n')).not.toContain('ana@sena.edu.co');
  });

  it('when an error with a cause chain is logged as err, then each cause is serialised, not {}', () => {
    const { stream, lines } = memoryStream();
    const logger = createLogger({ level: 'info', destination: stream });
    logger.error({ err: new Error('outer', { cause: new Error('middle', { cause: Object.assign(new Error('inner'), { code: 'ECONNREFUSED' }) }) }) }, 'failed');
    expect(lines[0].err).toMatchObject({ message: 'outer', cause: { message: 'middle', cause: { message: 'inner', code: 'ECONNREFUSED' } } });
    expect(serializeError('text')).toEqual({ type: 'string', message: 'text' });
  });
});

describe('redactSensitive', () => {
  it('when an object is cyclic, holds class instances or is very deep, then it is returned safely without changing the input', () => {
    const cyclic: Record<string, unknown> = { email: 'x@y.co' };
    cyclic.self = cyclic;
    const out = redactSensitive(cyclic);
    expect(out.email).toBe('[redacted]');
    expect(cyclic.email).toBe('x@y.co');
    const date = new Date(0);
    expect(redactSensitive({ at: date }).at).toBe(date);
    expect(redactSensitive({ email: null, token: undefined })).toEqual({ email: null, token: undefined });
    let deep: Record<string, unknown> = { email: 'deep@x.co' };
    for (let i = 0; i < 20; i += 1) deep = { next: deep };
    expect(() => redactSensitive(deep)).not.toThrow();
    expect(redactSensitive('plain')).toBe('plain');
  });
});

/** A terminal stand-in (`isTTY`, as process.stdout has at a terminal) keeping what is written, as text. */
function terminal(isTTY = true) {
  const written: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, callback) {
        written.push(String(chunk));
        callback();
      },
    }),
    { isTTY },
  );
  return { stream, text: () => written.join(''), lines: () => written.join('').split('\n').filter(Boolean) };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

describe('log format: human lines at a terminal, JSON elsewhere (issue 11)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('when LOG_FORMAT is unset, then a terminal gets pretty lines and anything else JSON', () => {
    expect(logFormat({}, { isTTY: true })).toBe('pretty');
    expect(logFormat({}, { isTTY: false })).toBe('json');
    expect(logFormat({}, {})).toBe('json');
    expect(logFormat({ LOG_FORMAT: '' }, { isTTY: true })).toBe('pretty');
  });

  it('when LOG_FORMAT is set, then it wins over the terminal check either way', () => {
    expect(logFormat({ LOG_FORMAT: 'json' }, { isTTY: true })).toBe('json');
    expect(logFormat({ LOG_FORMAT: 'pretty' }, { isTTY: false })).toBe('pretty');
    expect(logFormat({ LOG_FORMAT: ' JSON ' }, { isTTY: true })).toBe('json');
  });

  it('when LOG_FORMAT holds anything else, then the logger refuses to start, naming the variable', () => {
    expect(() => logFormat({ LOG_FORMAT: 'xml' }, { isTTY: true })).toThrow(/LOG_FORMAT must be one of json, pretty \(got "xml"\)/);
    vi.stubEnv('LOG_FORMAT', 'yaml');
    expect(() => createLogger({ level: 'info', destination: terminal().stream })).toThrow(/LOG_FORMAT/);
  });

  it('when the output is a terminal, then each line is a human one: time, level, [service] message, the other fields after it', () => {
    vi.stubEnv('NO_COLOR', '1');
    const out = terminal();
    const logger = createLogger({ level: 'info', name: 'sicora', destination: out.stream });
    serviceLogger(logger, 'users').info({ user_id: 'u-1', email: 'ana@sena.edu.co', service: 'schedules' }, 'user created');
    logger.debug('not at info');
    const lines = out.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: \[users\] user created \{.*\}$/);
    expect(() => JSON.parse(lines[0])).toThrow();
    // The same fields as the JSON line: one service (leading the message), the logged one kept apart, redaction applied.
    const fields = JSON.parse(lines[0].slice(lines[0].indexOf('{'))) as Record<string, unknown>;
    expect(fields).toEqual({ user_id: 'u-1', email: '[redacted]', target_service: 'schedules' });
    expect(out.text()).not.toContain('ana@sena.edu.co');
    expect(out.text().match(/users/g)).toHaveLength(1);
    expect(out.text()).not.toMatch(ANSI);
  });

  it('when an error is logged on a terminal, then it follows the line with its stack and causes, serialised as in JSON', () => {
    vi.stubEnv('NO_COLOR', '1');
    const out = terminal();
    const failure = new Error('upstream broke', { cause: Object.assign(new Error('boom'), { code: '22021' }) });
    const logger = createLogger({ level: 'info', name: 'kb', destination: out.stream });
    logger.error({ err: failure }, 'request failed');
    expect(out.lines()[0]).toMatch(/ERROR: \[kb\] request failed\s*$/);
    expect(out.text()).toContain('22021');
    expect(out.text()).toMatch(/at .*logging\.test\.ts/);
    // drizzle's parameters are cut from the message (and stack) before the line is formatted.
    logger.error({ err: new Error('Failed query: select 1\nparams: ana@sena.edu.co') }, 'query failed');
    expect(out.text()).toContain('params: [redacted]');
    expect(out.text()).not.toContain('ana@sena.edu.co');
  });

  it('when the terminal takes colours, then levels are coloured unless NO_COLOR is set', () => {
    vi.stubEnv('NO_COLOR', '');
    const coloured = terminal();
    createLogger({ level: 'info', name: 'users', destination: coloured.stream }).warn('slow');
    expect(coloured.text()).toMatch(ANSI);
    expect(coloured.text().replace(ANSI, '')).toMatch(/WARN: \[users\] slow/);
  });

  it('when the output is not a terminal, or LOG_FORMAT=json, then lines stay JSON', () => {
    const piped = terminal(false);
    createLogger({ level: 'info', name: 'users', destination: piped.stream }).info({ n: 1 }, 'piped');
    expect(JSON.parse(piped.lines()[0])).toMatchObject({ level: 30, service: 'users', msg: 'piped', n: 1 });
    vi.stubEnv('LOG_FORMAT', 'json');
    const tty = terminal(true);
    createLogger({ level: 'info', name: 'users', destination: tty.stream }).info('forced json');
    expect(JSON.parse(tty.lines()[0])).toMatchObject({ service: 'users', msg: 'forced json' });
  });

  it('when LOG_FORMAT=pretty, then lines are human even where the output is not a terminal (and uncoloured)', () => {
    vi.stubEnv('LOG_FORMAT', 'pretty');
    const piped = terminal(false);
    createLogger({ level: 'info', name: 'users', destination: piped.stream }).info('forced pretty');
    expect(piped.lines()[0]).toMatch(/INFO: \[users\] forced pretty$/);
    expect(piped.text()).not.toMatch(ANSI);
  });
});
