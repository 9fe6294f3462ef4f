import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskIdentifier, redactSensitive } from '../src/logging.ts';
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
