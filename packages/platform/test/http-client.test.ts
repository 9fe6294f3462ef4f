import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.ts';
import { createServiceClient, type ServiceClient, type ServiceClientOptions } from '../src/http-client.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number, body: string) => void;

const routes = new Map<string, Handler>();
const hits = new Map<string, number>();
let server: Server;
let baseUrl: string;
const clients: ServiceClient[] = [];

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function route(path: string, handler: Handler) {
  routes.set(path, handler);
  hits.set(path, 0);
}

function client(opts: Partial<ServiceClientOptions> = {}) {
  const c = createServiceClient({ target: 'probe', baseUrl, backoffMs: 5, timeoutMs: 1000, ...opts });
  clients.push(c);
  return c;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const handler = routes.get(path);
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => (handler ? handler(req, res, hit, body) : json(res, 404, { success: false })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => routes.clear());

describe('retries', () => {
  it('when a GET is answered 503 once, then it is retried and the success is returned', async () => {
    route('/flaky', (_req, res, hit) => (hit === 1 ? json(res, 503, { success: false }) : json(res, 200, { data: { ok: true } })));
    const res = await client().request<{ data: { ok: boolean } }>({ method: 'GET', path: '/flaky' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { ok: true } });
    expect(hits.get('/flaky')).toBe(2);
  });

  it('when a POST is answered 503, then it is not retried and the caller gets 502 BAD_GATEWAY', async () => {
    route('/post-503', (_req, res) => json(res, 503, { success: false }));
    const err = await failure(client().request({ method: 'POST', path: '/post-503', body: { a: 1 } }));
    expect(err.status).toBe(502);
    expect(err.code).toBe('BAD_GATEWAY');
    expect(err.details).toMatchObject({ service: 'probe', status: 503 });
    expect(hits.get('/post-503')).toBe(1);
  });

  it('when a POST is marked idempotent, then it is retried like a GET', async () => {
    route('/post-flaky', (_req, res, hit) => (hit === 1 ? json(res, 502, {}) : json(res, 201, { data: 'made' })));
    const res = await client().request({ method: 'POST', path: '/post-flaky', body: {}, idempotent: true });
    expect(res.status).toBe(201);
    expect(hits.get('/post-flaky')).toBe(2);
  });

  it('when a GET keeps failing with 504, then the retries stop at the limit', async () => {
    route('/always-504', (_req, res) => json(res, 504, {}));
    const err = await failure(client({ retries: 2 }).request({ method: 'GET', path: '/always-504' }));
    expect(err.code).toBe('BAD_GATEWAY');
    expect(hits.get('/always-504')).toBe(3);
  });

  it('when the callee answers 500, then the caller gets 502 BAD_GATEWAY without a retry', async () => {
    route('/boom', (_req, res) => json(res, 500, { error: { message: 'SELECT secret' } }));
    const err = await failure(client().request({ method: 'GET', path: '/boom' }));
    expect(err.status).toBe(502);
    expect(err.details).toEqual({ service: 'probe', reason: 'upstream_error', status: 500 });
    expect(JSON.stringify(err.details)).not.toContain('SELECT');
    expect(hits.get('/boom')).toBe(1);
  });
});

describe('unreachable and slow callees', () => {
  it('when the callee does not answer in time, then the caller gets 504 GATEWAY_TIMEOUT', async () => {
    route('/slow', (_req, res) => setTimeout(() => json(res, 200, {}), 400).unref());
    const started = Date.now();
    const err = await failure(client({ retries: 0 }).request({ method: 'GET', path: '/slow', timeoutMs: 80 }));
    expect(err.status).toBe(504);
    expect(err.code).toBe('GATEWAY_TIMEOUT');
    expect(err.details).toEqual({ service: 'probe', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(350);
  });

  it('when the callee is stopped, then the caller gets 503 SERVICE_UNAVAILABLE after its retries', async () => {
    const c = client({ baseUrl: `http://127.0.0.1:${await closedPort()}` });
    const err = await failure(c.request({ method: 'GET', path: '/anything' }));
    expect(err.status).toBe(503);
    expect(err.code).toBe('SERVICE_UNAVAILABLE');
    expect(err.details).toEqual({ service: 'probe', reason: 'connection_refused' });
  });
  it('when the connection is reset, then a GET is retried and a POST gets 503 without a retry', async () => {
    route('/reset', (req, res, hit) => (hit === 1 ? req.socket.destroy() : json(res, 200, { data: 'ok' })));
    route('/reset-post', (req) => req.socket.destroy());
    expect((await client().request({ method: 'GET', path: '/reset' })).status).toBe(200);
    expect(hits.get('/reset')).toBe(2);
    const err = await failure(client().request({ method: 'POST', path: '/reset-post', body: {} }));
    expect(err.status).toBe(503);
    expect(err.details).toEqual({ service: 'probe', reason: 'connection_reset' });
    expect(hits.get('/reset-post')).toBe(1);
  });
});

describe('propagation', () => {
  it('when a request id and a user token are given, then both reach the callee with the query and body', async () => {
    route('/echo', (req, res, _hit, body) =>
      json(res, 200, { id: req.headers['x-request-id'], auth: req.headers.authorization, url: req.url, body: JSON.parse(body) }),
    );
    const res = await client().request({
      method: 'PUT',
      path: '/echo',
      query: { page: 2, tag: ['a', 'b'], skip: undefined },
      body: { name: 'Ana' },
      requestId: 'req-12345678',
      token: 'user-token',
    });
    expect(res.body).toEqual({ id: 'req-12345678', auth: 'Bearer user-token', url: '/echo?page=2&tag=a&tag=b', body: { name: 'Ana' } });
  });

  it('when the callee answers a 4xx or plain text, then it is returned, not thrown', async () => {
    route('/missing', (_req, res) => json(res, 404, { success: false, error: { code: 'NOT_FOUND' } }));
    route('/text', (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hola'));
    const c = client();
    const missing = await c.request({ method: 'GET', path: '/missing' });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ success: false, error: { code: 'NOT_FOUND' } });
    expect((await c.request({ method: 'GET', path: '/text' })).body).toBe('hola');
  });

  it("when the token is 'service' and the callee answers 401, then the token is renewed and the call made once more", async () => {
    const seen: string[] = [];
    route('/internal', (req, res) => {
      seen.push(String(req.headers.authorization));
      if (req.headers.authorization === 'Bearer svc-1') json(res, 401, { success: false });
      else json(res, 202, { data: 'accepted' });
    });
    let generation = 1;
    let invalidations = 0;
    const tokenProvider = {
      getToken: async () => `svc-${generation}`,
      invalidate: () => {
        invalidations += 1;
        generation += 1;
      },
    };
    const res = await client({ tokenProvider }).request({ method: 'POST', path: '/internal', body: {}, token: 'service' });
    expect(res.status).toBe(202);
    expect(seen).toEqual(['Bearer svc-1', 'Bearer svc-2']);
    expect(invalidations).toBe(1);
  });

  it('when a user token is refused with 401, then the 401 is returned without a retry', async () => {
    route('/refuse', (_req, res) => json(res, 401, { success: false }));
    const res = await client().request({ method: 'GET', path: '/refuse', token: 'user-token' });
    expect(res.status).toBe(401);
    expect(hits.get('/refuse')).toBe(1);
  });
});

describe('circuit breaker', () => {
  it('when failures pass the threshold, then calls fail fast until one probe after the reset time closes it', async () => {
    let healthy = false;
    route('/dep', (_req, res) => (healthy ? setTimeout(() => json(res, 200, { data: 1 }), 50) : json(res, 500, {})));
    const c = client({ retries: 0, breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 200 } });
    for (let i = 0; i < 3; i++) expect((await failure(c.request({ method: 'GET', path: '/dep' }))).code).toBe('BAD_GATEWAY');
    expect(c.breakerState()).toBe('open');

    const fast = await failure(c.request({ method: 'GET', path: '/dep' }));
    expect(fast.status).toBe(503);
    expect(fast.details).toEqual({ service: 'probe', reason: 'circuit_open' });
    expect(hits.get('/dep')).toBe(3);

    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(c.breakerState()).toBe('half_open');
    healthy = true;
    const [probe, other] = await Promise.allSettled([c.request({ method: 'GET', path: '/dep' }), c.request({ method: 'GET', path: '/dep' })]);
    expect(probe.status === 'fulfilled' && probe.value.status).toBe(200);
    expect(other.status === 'rejected' && (other.reason as AppError).details).toEqual({ service: 'probe', reason: 'circuit_open' });
    expect(hits.get('/dep')).toBe(4);
    expect(c.breakerState()).toBe('closed');
    expect((await c.request({ method: 'GET', path: '/dep' })).status).toBe(200);
  });

  it('when the probe fails, then the breaker opens again', async () => {
    route('/still-down', (_req, res) => json(res, 503, {}));
    const c = client({ retries: 1, breaker: { volumeThreshold: 2, resetTimeoutMs: 100 } });
    await failure(c.request({ method: 'GET', path: '/still-down' }));
    expect(c.breakerState()).toBe('open');
    // The breaker opened on the second attempt, which ended the retries.
    expect(hits.get('/still-down')).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await failure(c.request({ method: 'GET', path: '/still-down' }))).code).toBe('BAD_GATEWAY');
    expect(c.breakerState()).toBe('open');
    expect(hits.get('/still-down')).toBe(3);
  });
});
