import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.ts';
import { createServiceClient } from '../src/http-client.ts';
import { createUsersLookup } from '../src/users-lookup.ts';

let server: Server;
let baseUrl: string;
const calls: Array<{ auth?: string; ids: string[] }> = [];
let failWith: number | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (failWith) return void res.writeHead(failWith, { 'content-type': 'application/json' }).end(JSON.stringify({ success: false, error: { code: 'INTERNAL_ERROR', message: 'x' } }));
      const { ids } = JSON.parse(body) as { ids: string[] };
      calls.push({ auth: req.headers.authorization, ids });
      const found = ids.filter((id) => !id.startsWith('gone')).map((id) => ({ id, full_name: `Persona ${id}` }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ success: true, message: 'OK', data: { found, missing: [] }, meta: { timestamp: new Date().toISOString(), request_id: 'r-1' } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const client = () => createServiceClient({ target: 'users', baseUrl, backoffMs: 5, timeoutMs: 1000, tokenProvider: { getToken: async () => 'svc-token', invalidate: () => undefined } });

describe('users lookup (U12)', () => {
  it('when 1 201 ids (some repeated) are looked up, then three calls of at most 500 distinct ids with the service token, unknown ids left out', async () => {
    calls.length = 0;
    const ids = [...Array.from({ length: 1_200 }, (_, i) => `u${i}`), 'u0', 'gone-1'];
    const people = await createUsersLookup<{ id: string; full_name: string }>(client())(ids);
    expect(calls.map((c) => c.ids.length)).toEqual([500, 500, 201]);
    expect(calls.every((c) => c.auth === 'Bearer svc-token')).toBe(true);
    expect(people).toHaveLength(1_200);
    expect(people[0]).toEqual({ id: 'u0', full_name: 'Persona u0' });
  });

  it('when users fails, then SERVICE_UNAVAILABLE (503) naming users', async () => {
    failWith = 500;
    try {
      const err = await createUsersLookup(client())(['u1']).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('SERVICE_UNAVAILABLE');
      expect((err as AppError).details).toMatchObject({ service: 'users' });
    } finally {
      failWith = undefined;
    }
  });
});
