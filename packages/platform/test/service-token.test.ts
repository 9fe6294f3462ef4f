import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.ts';
import { createServiceTokenProvider } from '../src/service-token.ts';

let server: Server;
let usersUrl: string;
let requests: Array<{ method: string; url: string; body: unknown }>;
let answer: { status: number; delayMs: number; body: unknown };
let issued: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      requests.push({ method: String(req.method), url: String(req.url), body: JSON.parse(raw || 'null') });
      issued += 1;
      const body = answer.status === 200 ? { success: true, data: { access_token: `tok-${issued}`, token_type: 'Bearer', expires_in: 900 } } : answer.body;
      setTimeout(() => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(body)), answer.delayMs).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  usersUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests = [];
  issued = 0;
  answer = { status: 200, delayMs: 0, body: null };
});

function provider(clock: { at: number }) {
  return createServiceTokenProvider({ usersUrl: `${usersUrl}/`, clientId: 'attendance', clientSecret: 's3cret', now: () => new Date(clock.at) });
}

describe('service token provider', () => {
  it('when a token is asked for twice, then the users service is called once with the client credentials', async () => {
    const tokens = provider({ at: Date.parse('2026-03-02T14:00:00Z') });
    expect(await tokens.getToken()).toBe('tok-1');
    expect(await tokens.getToken()).toBe('tok-1');
    expect(requests).toEqual([{ method: 'POST', url: '/api/v1/auth/service-token', body: { client_id: 'attendance', client_secret: 's3cret' } }]);
  });

  it('when the token is within 60 s of expiry, then a new one is fetched', async () => {
    const clock = { at: Date.parse('2026-03-02T14:00:00Z') };
    const tokens = provider(clock);
    expect(await tokens.getToken()).toBe('tok-1');
    clock.at += 900_000 - 61_000;
    expect(await tokens.getToken()).toBe('tok-1');
    clock.at += 2_000;
    expect(await tokens.getToken()).toBe('tok-2');
    expect(requests).toHaveLength(2);
  });

  it('when callers ask at the same time, then they share one request', async () => {
    answer.delayMs = 50;
    const tokens = provider({ at: Date.now() });
    const got = await Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()]);
    expect(got).toEqual(['tok-1', 'tok-1', 'tok-1']);
    expect(requests).toHaveLength(1);
  });

  it('when the token is invalidated, then the next caller gets a fresh one', async () => {
    const tokens = provider({ at: Date.now() });
    expect(await tokens.getToken()).toBe('tok-1');
    tokens.invalidate();
    expect(await tokens.getToken()).toBe('tok-2');
  });

  it('when the users service refuses the credentials, then 503 SERVICE_UNAVAILABLE is thrown and nothing is cached', async () => {
    answer = { status: 401, delayMs: 0, body: { success: false, error: { code: 'INVALID_CLIENT' } } };
    const tokens = provider({ at: Date.now() });
    const err = await tokens.getToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(503);
    expect((err as AppError).code).toBe('SERVICE_UNAVAILABLE');
    expect((err as AppError).details).toEqual({ service: 'users', reason: 'service_token_status_401' });
    answer = { status: 200, delayMs: 0, body: null };
    expect(await tokens.getToken()).toBe('tok-2');
  });

  it('when the users service is unreachable, then 503 SERVICE_UNAVAILABLE is thrown', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const tokens = createServiceTokenProvider({ usersUrl: `http://127.0.0.1:${port}`, clientId: 'kb', clientSecret: 'x' });
    const err = await tokens.getToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).details).toEqual({ service: 'users', reason: 'service_token_unreachable' });
  });
});
