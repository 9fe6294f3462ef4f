import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, errors } from '../src/errors.ts';
import {
  createServiceClient, isServiceCallError, withTypedCalls, type ServiceClientOptions, type ServiceRequest, type TypedServiceClient,
} from '../src/http-client.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, body: string) => void;

const routes = new Map<string, Handler>();
let server: Server;
let baseUrl: string;
const clients: TypedServiceClient[] = [];

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

const envelope = (data: unknown, meta: Record<string, unknown> = {}) => ({ success: true, message: 'OK', data, meta: { timestamp: new Date().toISOString(), request_id: 'r-00000001', ...meta } });
const refusal = (code: string, details?: unknown) => ({ success: false, error: { code, message: 'no', details } });

function client(opts: Partial<ServiceClientOptions> = {}) {
  const c = createServiceClient({ target: 'users', baseUrl, backoffMs: 5, timeoutMs: 1000, ...opts });
  clients.push(c);
  return c;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** The users list of 00-conventions §3 over `count` people. */
function pagedUsers(count: number): Handler {
  return (_req, res, url) => {
    const page = Number(url.searchParams.get('page') ?? 1);
    const size = Number(url.searchParams.get('page_size') ?? 20);
    const all = Array.from({ length: count }, (_, i) => ({ id: `u${i + 1}`, role: url.searchParams.get('role') }));
    const totalPages = Math.max(1, Math.ceil(count / size));
    const pagination = { page, page_size: size, total: count, total_pages: totalPages, has_next: page < totalPages, has_prev: page > 1 };
    json(res, 200, envelope(all.slice((page - 1) * size, page * size), { pagination }));
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const handler = routes.get(`${req.method} ${url.pathname}`);
      if (handler) handler(req, res, url, body);
      else json(res, 404, refusal('NOT_FOUND'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  routes.set('GET /users/u1', (req, res) => json(res, 200, envelope({ id: 'u1', auth: req.headers.authorization, rid: req.headers['x-request-id'] })));
  routes.set('GET /users/gone', (_req, res) => json(res, 404, refusal('USER_NOT_FOUND', { id: 'gone' })));
  routes.set('POST /users/lookup', (_req, res, _url, body) => json(res, 200, envelope({ found: JSON.parse(body).ids })));
  routes.set('GET /users', pagedUsers(45));
  routes.set('GET /empty', pagedUsers(0));
  routes.set('GET /plain-list', (_req, res) => json(res, 200, envelope([1, 2, 3], { warnings: ['SCHEDULES_UNAVAILABLE'] })));
  routes.set('GET /conflict', (_req, res) => json(res, 409, refusal('GROUP_FULL', { max: 30 })));
  routes.set('GET /forbidden', (_req, res) => json(res, 403, refusal('INSUFFICIENT_PERMISSIONS')));
  routes.set('GET /busy', (_req, res) => json(res, 429, refusal('RATE_LIMITED')));
  routes.set('GET /broken', (_req, res) => json(res, 500, refusal('INTERNAL_ERROR')));
  routes.set('GET /slow', (_req, res) => setTimeout(() => json(res, 200, envelope(1)), 300));
  routes.set('GET /text', (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hola'));
  routes.set('GET /no-data', (_req, res) => json(res, 200, { success: true }));
  routes.set('DELETE /users/u1', (_req, res) => res.writeHead(204).end());
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('reading data', () => {
  it('when the callee answers 200, then getData resolves to the envelope data with token and request id sent', async () => {
    const data = await client().getData<{ id: string; auth: string; rid: string }>('/users/u1', { token: 'user-token', requestId: 'req-12345678' });
    expect(data).toEqual({ id: 'u1', auth: 'Bearer user-token', rid: 'req-12345678' });
  });

  it('when the callee answers 404, then findData resolves to undefined and getData throws not_found with the callee code', async () => {
    const c = client();
    expect(await c.findData('/users/gone')).toBeUndefined();
    expect(await c.findData<{ id: string }>('/users/u1')).toMatchObject({ id: 'u1' });
    const err = await failure(c.getData('/users/gone'));
    expect(isServiceCallError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'NOT_FOUND', kind: 'not_found', status: 404, calleeStatus: 404, calleeCode: 'USER_NOT_FOUND', calleeDetails: { id: 'gone' } });
    expect(err.details).toEqual({ service: 'users', reason: 'not_found', status: 404, code: 'USER_NOT_FOUND' });
  });

  it('when postData sends a lookup, then the body goes out and data comes back; call gives the whole envelope', async () => {
    const c = client();
    expect(await c.postData<{ found: string[] }>('/users/lookup', { ids: ['a', 'b'] }, { token: 'service-less', idempotent: true })).toEqual({ found: ['a', 'b'] });
    const env = await c.call<unknown[]>('GET', '/plain-list');
    expect(env.meta?.warnings).toEqual(['SCHEDULES_UNAVAILABLE']);
    expect((await c.call('DELETE', '/users/u1')).data).toBeUndefined();
  });
});

describe('one mapping of the callee answers', () => {
  it('when the callee refuses with another 4xx, then BAD_GATEWAY carries its status and code for the caller to map', async () => {
    const err = await failure(client().getData('/conflict'));
    expect(err).toMatchObject({ code: 'BAD_GATEWAY', kind: 'bad_gateway', status: 502, calleeStatus: 409, calleeCode: 'GROUP_FULL', reason: 'refused' });
    expect(err.details).toEqual({ service: 'users', reason: 'refused', status: 409, code: 'GROUP_FULL' });
    expect((await failure(client().getData('/forbidden'))).code).toBe('BAD_GATEWAY');
  });

  it('when the callee is rate limited, broken, slow or stopped, then the caller gets 503 SERVICE_UNAVAILABLE with the reason', async () => {
    const c = client({ retries: 0, timeoutMs: 100 });
    expect(await failure(c.getData('/busy'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, details: { service: 'users', reason: 'rate_limited', status: 429 } });
    expect(await failure(c.getData('/broken'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { reason: 'upstream_error', status: 500 } });
    expect(await failure(c.getData('/slow'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { service: 'users', reason: 'timeout' } });
    const stopped = createServer();
    await new Promise<void>((resolve) => stopped.listen(0, '127.0.0.1', resolve));
    const port = (stopped.address() as AddressInfo).port;
    await new Promise((resolve) => stopped.close(resolve));
    const down = client({ baseUrl: `http://127.0.0.1:${port}`, retries: 0 });
    expect(await failure(down.getData('/x'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { reason: 'connection_refused' } });
  });

  it('when the breaker is open, then calls fail fast as 503 circuit_open', async () => {
    const c = client({ retries: 0, breaker: { volumeThreshold: 2, errorThresholdPercentage: 49.99, resetTimeoutMs: 60_000 } });
    for (let i = 0; i < 2; i++) await failure(c.getData('/broken'));
    expect(c.breakerState()).toBe('open');
    expect(await failure(c.getData('/users/u1'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { reason: 'circuit_open' } });
  });

  it('when a 2xx is not an envelope, then 503 invalid_response', async () => {
    const c = client();
    expect(await failure(c.getData('/text'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { reason: 'invalid_response', status: 200 } });
    expect(await failure(c.getData('/no-data'))).toMatchObject({ details: { reason: 'invalid_response' } });
  });

  it("when the client or the call has mapError, then the caller's own error is thrown (the call's first)", async () => {
    const full = errors.conflict('GROUP_FULL', 'La ficha está completa');
    const c = client({ mapError: (e) => (e.calleeCode === 'GROUP_FULL' ? full : undefined) });
    expect(await failure(c.getData('/conflict'))).toBe(full);
    expect((await failure(c.getData('/forbidden'))).code).toBe('BAD_GATEWAY');
    const own = errors.unavailable({ service: 'users' }, 'El servicio de usuarios no pudo responder');
    expect(await failure(c.getData('/conflict', { mapError: () => own }))).toBe(own);
  });

  it('when the call is a bug of the caller (no token provider), then INTERNAL_ERROR passes unchanged', async () => {
    expect((await failure(client().getData('/users/u1', { token: 'service' }))).code).toBe('INTERNAL_ERROR');
  });
});

describe('lists', () => {
  it('when a page is asked, then items, pagination and warnings come back with the filters in the query', async () => {
    const page = await client().getPage<{ id: string; role: string }>('/users', { page: 2, pageSize: 20, query: { role: 'aprendiz' } });
    expect(page.items.map((u) => u.id)).toEqual(Array.from({ length: 20 }, (_, i) => `u${i + 21}`));
    expect(page.items[0].role).toBe('aprendiz');
    expect(page.pagination).toMatchObject({ page: 2, page_size: 20, total: 45, has_next: true, has_prev: true });
    expect(page.warnings).toEqual([]);
    const plain = await client().getPage<number>('/plain-list');
    expect(plain).toMatchObject({ items: [1, 2, 3], pagination: { page: 1, total: 3, has_next: false }, warnings: ['SCHEDULES_UNAVAILABLE'] });
  });

  it('when every page is asked, then listAll walks the pages until has_next is false', async () => {
    const all = await client().listAll<{ id: string }>('/users', { pageSize: 10, query: { role: 'instructor' } });
    expect(all).toHaveLength(45);
    expect(new Set(all.map((u) => u.id)).size).toBe(45);
    expect(await client().listAll('/empty')).toEqual([]);
    expect(await client().listAll('/plain-list')).toEqual([1, 2, 3]);
  });

  it('when a page answer is not a list, then 503 invalid_response', async () => {
    expect(await failure(client().getPage('/users/u1'))).toMatchObject({ details: { reason: 'invalid_response' } });
  });
});

describe('typed calls over any client', () => {
  it('when a fake built on request alone is wrapped, then the same calls and mapping apply', async () => {
    const seen: ServiceRequest[] = [];
    const fake = withTypedCalls({
      target: 'schedules',
      async request<T>(req: ServiceRequest) {
        seen.push(req);
        if (req.path === '/down') throw errors.gatewayTimeout({ service: 'schedules', reason: 'timeout' });
        return { status: req.path === '/g/1' ? 200 : 404, headers: {}, body: { data: { id: 'g1' } } as T };
      },
    });
    expect(await fake.getData('/g/1', { query: { date: '2026-03-02' }, mapError: () => undefined })).toEqual({ id: 'g1' });
    expect(seen[0]).toEqual({ method: 'GET', path: '/g/1', query: { date: '2026-03-02' } });
    expect(await fake.findData('/g/2')).toBeUndefined();
    expect(await failure(fake.getData('/down'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { service: 'schedules', reason: 'timeout' } });
  });
});
