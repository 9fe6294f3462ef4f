import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchedulesGroups } from '../src/infrastructure/schedules.client.ts';

const calls: Array<{ url: string; auth: string | undefined }> = [];
let mode: 'ok' | 'fail' = 'ok';
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  calls.push({ url: req.url!, auth: req.headers.authorization });
  const url = new URL(req.url!, 'http://x');
  res.setHeader('content-type', 'application/json');
  if (mode === 'fail') return res.writeHead(500).end('{}');
  if (url.pathname === '/api/v1/groups') {
    const numbers = url.searchParams.get('numbers')!.split(',');
    return res.end(JSON.stringify({ data: numbers.filter((n) => n !== '0000').map((n) => ({ id: `id-${n}`, number: n, is_active: n !== '1111', max_apprentices: 30, extra: 1 })) }));
  }
  if (url.pathname === '/api/v1/groups/known') return res.end(JSON.stringify({ data: { id: 'known', number: '2826503', is_active: true, max_apprentices: null } }));
  return res.writeHead(404).end('{}');
});
let port: number;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('schedules adapter of GroupsPort', () => {
  it('when 150 numbers are resolved, then two G1 calls of at most 100 forward the bearer token and unknown numbers are absent', async () => {
    const port_ = createSchedulesGroups({ baseUrl: `http://127.0.0.1:${port}` });
    try {
      const numbers = Array.from({ length: 150 }, (_, i) => String(2_000_000 + i)).concat('0000');
      const groups = await port_.byNumbers(numbers, 'user-token');
      expect(groups).toHaveLength(150);
      expect(groups[0]).toEqual({ id: 'id-2000000', number: '2000000', is_active: true, max_apprentices: 30 });
      const g1 = calls.filter((c) => c.url.startsWith('/api/v1/groups?'));
      expect(g1).toHaveLength(2);
      expect(g1.every((c) => c.auth === 'Bearer user-token' && c.url.includes('page_size=100'))).toBe(true);
      expect(await port_.byId('known', 'user-token')).toEqual({ id: 'known', number: '2826503', is_active: true, max_apprentices: null });
      expect(await port_.byId('missing', 'user-token')).toBeUndefined();
    } finally {
      await port_.close();
    }
  });

  it('when schedules fails or is unreachable, then 503 SERVICE_UNAVAILABLE', async () => {
    mode = 'fail';
    const failing = createSchedulesGroups({ baseUrl: `http://127.0.0.1:${port}` });
    const down = createSchedulesGroups({ baseUrl: 'http://127.0.0.1:1' });
    try {
      await expect(failing.byNumbers(['2826503'], 't')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
      await expect(down.byId('x', 't')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    } finally {
      mode = 'ok';
      await failing.close();
      await down.close();
    }
  });
});
