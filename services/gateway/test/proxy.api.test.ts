import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Client, request as undiciRequestRaw } from 'undici';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { resetUpstreams, sha256, type FakePlatform } from './fake-upstreams.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
let fakes: FakePlatform;
let origin: string;

beforeAll(async () => {
  h = await createHarness();
  fakes = h.fakes;
  origin = h.origin;
});

afterAll(async () => {
  await h?.close();
});

/** Every proxied call here is signed in as an admin (the route rules are tested in auth.api.test.ts). */
const undiciRequest = (url: string, opts: Parameters<typeof undiciRequestRaw>[1] = {}) =>
  undiciRequestRaw(url, { ...opts, headers: { authorization: `Bearer ${h.adminToken}`, ...(opts?.headers as Record<string, string>) } });

beforeEach(() => resetUpstreams(fakes));

/** A raw request over a real socket: undici's Client keeps the path exactly as given (R59). */
async function raw(path: string, method = 'GET') {
  const client = new Client(origin);
  try {
    const res = await client.request({ path, method, headers: { authorization: `Bearer ${h.adminToken}` } });
    return { statusCode: res.statusCode, headers: res.headers as Record<string, unknown>, body: await res.body.text() };
  } finally {
    await client.close();
  }
}

describe('gateway forwarding by prefix', () => {
  it('when a request carries method, path, query and body, then the owning service receives them byte for byte', async () => {
    const body = Buffer.from(JSON.stringify({ nombre: 'Ficha 2758493', ñ: 'acentuación' }));
    const res = await h.inject({
      method: 'PUT',
      url: '/api/v1/groups/7c9e?x=1&y=%20z&x=2',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${h.adminToken}` },
      payload: body,
    });
    const data = expectOk(res, 200);
    expect(data).toEqual({ method: 'PUT', url: '/api/v1/groups/7c9e?x=1&y=%20z&x=2', length: body.length, sha256: sha256(body) });
    const [hit] = fakes.upstreams.schedules.hits;
    expect(hit.body.equals(body)).toBe(true);
    expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(hit.headers.authorization).toBe(`Bearer ${h.adminToken}`);
    expect(fakes.upstreams.users.hits).toHaveLength(0);
  });

  it('when paths of every prefix are requested, then each reaches its owner and only on segment boundaries', async () => {
    const owners: Array<[string, keyof FakePlatform['upstreams']]> = [
      ['/api/v1/auth/login', 'users'],
      ['/api/v1/users', 'users'],
      ['/.well-known/jwks.json', 'users'],
      ['/api/v1/campuses/1', 'schedules'],
      ['/api/v1/schedules', 'schedules'],
      ['/api/v1/attendance/classes', 'attendance'],
      ['/api/v1/evalin/questionnaires', 'evalin'],
      ['/api/v1/kb/articles', 'kb'],
      ['/api/v1/ai/chat', 'ai'],
      ['/api/v1/projecteval/projects', 'projecteval'],
      ['/api/v1/notifications', 'notification'],
    ];
    for (const [url, owner] of owners) {
      const res = await h.inject({ method: 'GET', url });
      expect(expectOk(res, 200).url).toBe(url);
      expect(fakes.upstreams[owner].hits.at(-1)?.url).toBe(url);
    }
    for (const url of ['/api/v1/usersx', '/api/v1/nothing', '/api', '/.well-known/jwks.json/x']) {
      const error = expectError(await h.inject({ method: 'GET', url }), 404, 'ROUTE_NOT_FOUND');
      expect(error.details).toEqual({ method: 'GET' });
    }
    expect(Object.values(fakes.upstreams).reduce((n, u) => n + u.hits.length, 0)).toBe(owners.length);
  });

  it('when headers cross the gateway, then hop-by-hop, X-User-* and upstream CORS/server headers are dropped and forwarding headers added', async () => {
    fakes.upstreams.kb.handle = (_req, res) => {
      res.writeHead(201, {
        'content-type': 'application/json',
        server: 'fake/1.0',
        'x-powered-by': 'Express',
        'access-control-allow-origin': '*',
        'x-custom': 'kept',
        'set-cookie': ['a=1', 'b=2'],
      });
      res.end('{"success":true,"message":"creado","data":{}}');
    };
    const res = await h.inject({
      method: 'POST',
      url: '/api/v1/kb/articles',
      headers: {
        'content-type': 'application/json',
        'x-user-id': 'forged',
        'x-user-role': 'admin',
        'keep-alive': 'timeout=5',
        'x-forwarded-for': '203.0.113.9',
        host: 'sicora.example',
        'x-trace-me': 'yes',
      },
      payload: '{}',
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-custom']).toBe('kept');
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    for (const h of ['server', 'x-powered-by', 'access-control-allow-origin']) expect(res.headers[h]).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const [hit] = fakes.upstreams.kb.hits;
    // Identity headers come from the verified token, never from the client (R4, US-GW-04).
    expect(hit.headers['x-user-id']).not.toBe('forged');
    expect(hit.headers['x-user-id']).toMatch(/^[\da-f-]{36}$/);
    expect(hit.headers['x-user-role']).toBe('admin');
    expect(hit.headers['keep-alive']).toBeUndefined();
    expect(hit.headers['x-trace-me']).toBe('yes');
    expect(hit.headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(hit.headers['x-forwarded-proto']).toBe('http');
    expect(hit.headers['x-forwarded-host']).toBe('sicora.example');
    expect(hit.headers.traceparent).toMatch(/^00-[\da-f]{32}-[\da-f]{16}-01$/);
  });

  it('when a HEAD or a 204 comes back, then status and headers pass without a body', async () => {
    fakes.upstreams.evalin.handle = (req, res) => {
      if (req.method === 'HEAD') res.writeHead(200, { 'content-type': 'text/csv', 'content-length': '1234' }).end();
      else res.writeHead(204).end();
    };
    const head = await h.inject({ method: 'HEAD', url: '/api/v1/evalin/reports/x.csv' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe('1234');
    expect(head.body).toBe('');
    const del = await h.inject({ method: 'DELETE', url: '/api/v1/evalin/questions/1' });
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');
    expect(fakes.upstreams.evalin.hits.map((h) => h.method)).toEqual(['HEAD', 'DELETE']);
  });
});

describe('client side', () => {
  it('when the client disconnects while the upstream is still working, then the upstream request is aborted too', async () => {
    let upstreamClosed = false;
    fakes.upstreams.ai.handle = (_req, res) => {
      res.on('close', () => (upstreamClosed = true));
    };
    const controller = new AbortController();
    const pending = undiciRequest(`${origin}/api/v1/ai/chat/slow`, { signal: controller.signal }).catch((err: Error) => err);
    await vi.waitFor(() => expect(fakes.upstreams.ai.hits).toHaveLength(1), { timeout: 3_000, interval: 25 });
    controller.abort();
    expect(await pending).toBeInstanceOf(Error);
    await vi.waitFor(() => expect(upstreamClosed).toBe(true), { timeout: 3_000, interval: 25 });
  });

  it('when a browser sends a CORS preflight, then the gateway answers it and nothing is forwarded', async () => {
    const res = await h.inject({
      method: 'OPTIONS',
      url: '/api/v1/users',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(fakes.upstreams.users.hits).toHaveLength(0);
  });
});

describe('request id propagation', () => {
  it('when the client sends a valid X-Request-Id, then the upstream receives it and the response returns it', async () => {
    const res = await h.inject({ method: 'GET', url: '/api/v1/users/me', headers: { 'x-request-id': 'cliente-req.0001:a' } });
    expect(res.headers['x-request-id']).toBe('cliente-req.0001:a');
    expect(fakes.upstreams.users.hits[0].headers['x-request-id']).toBe('cliente-req.0001:a');
  });

  it('when the X-Request-Id is absent or malformed, then a fresh UUID is generated, sent upstream and returned', async () => {
    const uuid = /^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/;
    const absent = await h.inject({ method: 'GET', url: '/api/v1/users/me' });
    const malformed = await h.inject({ method: 'GET', url: '/api/v1/users/me', headers: { 'x-request-id': 'bad id!' } });
    const ids = [absent.headers['x-request-id'], malformed.headers['x-request-id']];
    for (const id of ids) expect(id).toMatch(uuid);
    expect(ids[0]).not.toBe(ids[1]);
    expect(fakes.upstreams.users.hits.map((h) => h.headers['x-request-id'])).toEqual(ids);
  });

  it('when the gateway answers an error itself, then the envelope carries the same request id', async () => {
    const res = await h.inject({ method: 'GET', url: '/api/v1/nope', headers: { 'x-request-id': 'trace-404-abcdef' } });
    expectError(res, 404, 'ROUTE_NOT_FOUND');
    expect(res.json().meta.request_id).toBe('trace-404-abcdef');
  });
});

describe('streaming', () => {
  it('when an upstream sends a 3 MB chunked response, then the client receives its first bytes before the upstream finished, and all of it intact', async () => {
    const chunks = Array.from({ length: 48 }, () => randomBytes(65_536));
    const whole = Buffer.concat(chunks);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    fakes.upstreams.kb.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(chunks[0]);
      // The rest only once the client has seen the first chunk: a buffering proxy would deadlock here.
      void Promise.race([released, new Promise((r) => setTimeout(r, 5_000))]).then(() => {
        for (const c of chunks.slice(1)) res.write(c);
        res.end();
      });
    };
    const res = await undiciRequest(`${origin}/api/v1/kb/exports/big.bin`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    const received: Buffer[] = [];
    const started = Date.now();
    for await (const chunk of res.body) {
      received.push(chunk as Buffer);
      release();
    }
    expect(Date.now() - started).toBeLessThan(4_000);
    const got = Buffer.concat(received);
    expect(got.length).toBe(whole.length);
    expect(sha256(got)).toBe(sha256(whole));
  });

  it('when a 3 MB multipart upload is streamed, then the upstream receives it byte for byte', async () => {
    const body = Buffer.concat([Buffer.from('--b\r\ncontent-disposition: form-data; name="f"\r\n\r\n'), randomBytes(3_000_000), Buffer.from('\r\n--b--\r\n')]);
    const res = await undiciRequest(`${origin}/api/v1/projecteval/deliverables/1/files`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      body,
    });
    const data = (await res.body.json()) as { data: { length: number; sha256: string } };
    expect(res.statusCode).toBe(200);
    expect(data.data).toMatchObject({ length: body.length, sha256: sha256(body) });
  });
});

describe('body limits (R50)', () => {
  it('US-GW-20: when a 40 MB PDF goes to kb-pdf, then it streams to kb intact; a declared 52 MiB one is 413 before kb is contacted', async () => {
    const pdf = randomBytes(40_000_000);
    const res = await undiciRequest(`${origin}/api/v1/kb/imports/pdf`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf });
    const data = ((await res.body.json()) as { data: { length: number; sha256: string } }).data;
    expect(res.statusCode).toBe(200);
    expect(data).toEqual(expect.objectContaining({ length: pdf.length, sha256: sha256(pdf) }));
    fakes.upstreams.kb.hits.length = 0;
    const big = await h.inject({ method: 'POST', url: '/api/v1/kb/imports/pdf', headers: { 'content-type': 'application/pdf' }, payload: Buffer.alloc(52 * 1_048_576) });
    expect(expectError(big, 413, 'PAYLOAD_TOO_LARGE').details).toEqual({ limit_bytes: 51 * 1_048_576 });
    expect(fakes.upstreams.kb.hits).toHaveLength(0);
  });

  it('US-GW-01: when an upstream sends a 5 MB CSV download, then the client receives it byte-identical with its Content-Disposition', async () => {
    const csv = Buffer.from('a,b\r\n'.repeat(1_000_000));
    fakes.upstreams.attendance.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="asistencia.csv"', 'content-length': String(csv.length) });
      res.end(csv);
    };
    const res = await undiciRequest(`${origin}/api/v1/attendance/reports/export.csv`);
    const got = Buffer.from(await res.body.arrayBuffer());
    expect(res.headers['content-disposition']).toBe('attachment; filename="asistencia.csv"');
    expect(got.length).toBe(csv.length);
    expect(sha256(got)).toBe(sha256(csv));
  });

  it('when Content-Length is over 1 MiB for JSON, then 413 PAYLOAD_TOO_LARGE and the upstream is not contacted', async () => {
    const res = await h.inject({
      method: 'POST',
      url: '/api/v1/attendance/classes',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.alloc(1_048_577, 0x20),
    });
    expect(expectError(res, 413, 'PAYLOAD_TOO_LARGE').details).toEqual({ limit_bytes: 1_048_576 });
    expect(fakes.upstreams.attendance.hits).toHaveLength(0);
  });

  it('when a multipart body is 2 MiB, then it passes (6 MiB limit), and at 7 MiB it is refused', async () => {
    const ok = await h.inject({
      method: 'POST',
      url: '/api/v1/attendance/classes',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: Buffer.alloc(2 * 1_048_576, 0x61),
    });
    expect(ok.statusCode).toBe(200);
    const big = await h.inject({
      method: 'POST',
      url: '/api/v1/evalin/imports',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: Buffer.alloc(7 * 1_048_576, 0x61),
    });
    expectError(big, 413, 'PAYLOAD_TOO_LARGE');
    expect(fakes.upstreams.evalin.hits).toHaveLength(0);
  });

  it('when a chunked body without Content-Length grows past the limit, then it is cut and answered 413', async () => {
    async function* chunks() {
      for (let i = 0; i < 20; i++) yield Buffer.alloc(65_536, 0x7b);
    }
    const res = await undiciRequest(`${origin}/api/v1/ai/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Readable.from(chunks()),
    });
    expect(res.statusCode).toBe(413);
    expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('path hygiene (R1) over a real socket', () => {
  it.each([
    '/api/v1/users/../auth/keys',
    '/api/v1/users/./me',
    '/api/v1//users',
    '/api/v1/users%2Fme',
    '/api/v1/users%2fme',
    '/api/v1/users/%2e%2e/x',
    '/api/v1/users/a%5Cb',
    '/api/v1/users/a%00',
    '/api/v1/users/a\\b',
    '/docs/%2e%2e/x',
    '/health/../metrics',
  ])('when the path is %s, then 400 INVALID_INPUT and nothing is forwarded', async (path) => {
    const res = await raw(path);
    expectError(res, 400, 'INVALID_INPUT');
    expect(Object.values(fakes.upstreams).every((u) => u.hits.length === 0)).toBe(true);
  });

  it('when path plus query exceed 8 192 bytes, then 414 URI_TOO_LONG; a long query below it is forwarded', async () => {
    expectError(await raw(`/api/v1/users?q=${'a'.repeat(8_200)}`), 414, 'URI_TOO_LONG');
    const res = await raw(`/api/v1/users?q=${'a'.repeat(8_000)}&s=%2F`);
    expect(res.statusCode).toBe(200);
    expect(fakes.upstreams.users.hits).toHaveLength(1);
  });

  it('when the method is outside the allowed list, then 405 METHOD_NOT_ALLOWED', async () => {
    const res = await raw('/api/v1/users', 'PROPFIND');
    expect(expectError(res, 405, 'METHOD_NOT_ALLOWED').details).toMatchObject({ method: 'PROPFIND' });
    expect(fakes.upstreams.users.hits).toHaveLength(0);
  });
});
