import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';

let h: Harness;
let me: string;
let other: string;
const items: string[] = [];

const get = (url: string, token = me) => h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
const post = (url: string, body?: object, token = me) => h.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, ...(body ? { payload: body } : {}) });

async function sendTo(user: string, type: string, data: Record<string, unknown>): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${await h.token()}` }, payload: { type, target_users: [user], channels: ['in_app'], data } });
  const { id } = expectOk(res, 202);
  const row = await vi.waitUntil(async () => (await h.db.query<{ id: string }>('SELECT id FROM notification.inbox_items WHERE notification_id = $1', [id]))[0], poll);
  return row!.id;
}

beforeAll(async () => {
  h = await createHarness();
  h.dir.people.set(uid(22), person(22));
  h.dir.people.set(uid(23), person(23));
  me = await h.token({ role: 'aprendiz', sub: uid(22) });
  other = await h.token({ role: 'aprendiz', sub: uid(23) });
  items.push(await sendTo(uid(22), 'attendance.record_changed', { session_date: '2026-03-02', to_status_label: 'presente' }));
  h.clock.now += 1000;
  items.push(await sendTo(uid(22), 'attendance.absence_recorded', { subject: 'Matemáticas', session_date: '2026-03-03' }));
  h.clock.now += 1000;
  items.push(await sendTo(uid(22), 'kb.item.published', { item_title: 'Guía QR' }));
  await post(`/api/v1/notifications/inbox/${items[0]}/read`);
}, 60_000);

afterAll(async () => { await h?.close(); });

describe('inbox', () => {
  it('when I list my 3 items (one read), then newest first, is_read=false gives 2 and I2 counts 2 by category', async () => {
    const all = expectOk(await get('/api/v1/notifications/inbox'));
    expect(all.map((i: { id: string }) => i.id)).toEqual([items[2], items[1], items[0]]);
    expect(all[2]).toMatchObject({ is_read: true, category: 'attendance', title: 'Se corrigió tu asistencia del 2026-03-02', body: 'Tu registro de asistencia del 2026-03-02 quedó como presente.' });
    expect(expectOk(await get('/api/v1/notifications/inbox?is_read=false'))).toHaveLength(2);
    const count = expectOk(await get('/api/v1/notifications/inbox/unread-count'));
    expect(count).toMatchObject({ unread: 2, by_category: { attendance: 1, kb: 1 } });
  });

  it('when I1 is sorted, then only the documented orders are accepted (-created_at, created_at, -priority)', async () => {
    expect(expectOk(await get('/api/v1/notifications/inbox?sort=created_at')).map((i: { id: string }) => i.id)).toEqual([items[0], items[1], items[2]]);
    expect(expectOk(await get('/api/v1/notifications/inbox?sort=-priority'))).toHaveLength(3);
    for (const sort of ['priority', 'title', '-read_at']) expectError(await get(`/api/v1/notifications/inbox?sort=${sort}`), 422, 'VALIDATION_ERROR');
  });

  it("when another user's item or a service token is used, then 404 INBOX_ITEM_NOT_FOUND and 403", async () => {
    expectError(await get(`/api/v1/notifications/inbox/${items[1]}`, other), 404, 'INBOX_ITEM_NOT_FOUND');
    expectError(await get('/api/v1/notifications/inbox', await h.token()), 403, 'INSUFFICIENT_PERMISSIONS');
  });

  it("O4: when another user reads, marks or archives my items by id (I4–I6, I9), then 404 INBOX_ITEM_NOT_FOUND and the items are unchanged", async () => {
    const rows = () => h.db.query('SELECT id, user_id, read_at, archived_at FROM notification.inbox_items WHERE id = ANY($1::uuid[]) ORDER BY id', [items]);
    const before = await rows();
    for (const id of items) {
      expectError(await get(`/api/v1/notifications/inbox/${id}`, other), 404, 'INBOX_ITEM_NOT_FOUND');
      expectError(await post(`/api/v1/notifications/inbox/${id}/read`, undefined, other), 404, 'INBOX_ITEM_NOT_FOUND');
      expectError(await post(`/api/v1/notifications/inbox/${id}/unread`, undefined, other), 404, 'INBOX_ITEM_NOT_FOUND');
      expectError(await h.app.inject({ method: 'DELETE', url: `/api/v1/notifications/inbox/${id}`, headers: { authorization: `Bearer ${other}` } }), 404, 'INBOX_ITEM_NOT_FOUND');
    }
    expect(expectOk(await post('/api/v1/notifications/inbox/read', { ids: items }, other))).toEqual({ updated: 0, not_found: 3 });
    expect(expectOk(await post('/api/v1/notifications/inbox/read-all', {}, other))).toEqual({ updated: 0 });
    expect(await rows()).toEqual(before);
    expect(expectOk(await get('/api/v1/notifications/inbox/unread-count')).unread).toBe(2);
  });

  it('when I5 runs twice, then read_at keeps the first time; I6 makes it unread again', async () => {
    const first = expectOk(await post(`/api/v1/notifications/inbox/${items[1]}/read`));
    h.clock.now += 5000;
    const second = expectOk(await post(`/api/v1/notifications/inbox/${items[1]}/read`));
    expect(second.read_at).toBe(first.read_at);
    const unread = expectOk(await post(`/api/v1/notifications/inbox/${items[1]}/unread`));
    expect(unread).toMatchObject({ is_read: false, read_at: null });
  });

  it('when I7 names 2 own ids and 1 foreign, then updated 2 and not_found 1; I8 by category marks only that category', async () => {
    const foreign = await sendTo(uid(23), 'kb.item.published', { item_title: 'Otro' });
    expect(expectOk(await post('/api/v1/notifications/inbox/read', { ids: [items[1], items[2], foreign] }))).toEqual({ updated: 2, not_found: 1 });
    const [f] = await h.db.query<{ read_at: string | null }>('SELECT read_at FROM notification.inbox_items WHERE id = $1', [foreign]);
    expect(f.read_at).toBeNull();
    await post(`/api/v1/notifications/inbox/${items[1]}/unread`);
    await post(`/api/v1/notifications/inbox/${items[2]}/unread`);
    expect(expectOk(await post('/api/v1/notifications/inbox/read-all', { category: 'attendance' }))).toEqual({ updated: 1 });
    const rows = await h.db.query<{ id: string; read_at: string | null }>('SELECT id, read_at FROM notification.inbox_items WHERE user_id = $1', [uid(22)]);
    expect(rows.find((r) => r.id === items[2])!.read_at).toBeNull();
    expect(rows.find((r) => r.id === items[1])!.read_at).not.toBeNull();
  });

  it('when I9 archives an item, then 204, it leaves I1 and I2 and I4 still returns it', async () => {
    const res = await h.app.inject({ method: 'DELETE', url: `/api/v1/notifications/inbox/${items[2]}`, headers: { authorization: `Bearer ${me}` } });
    expect(res.statusCode).toBe(204);
    const list = expectOk(await get('/api/v1/notifications/inbox'));
    expect(list.map((i: { id: string }) => i.id)).not.toContain(items[2]);
    expect(expectOk(await get('/api/v1/notifications/inbox/unread-count')).unread).toBe(0);
    expect(expectOk(await get(`/api/v1/notifications/inbox/${items[2]}`)).archived_at).not.toBeNull();
  });
});

describe('live inbox (I3)', () => {
  it('when a stream is open and a new item is delivered, then within 6 s it emits item and unread; a 4th stream → 429', async () => {
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}/api/v1/notifications/inbox/stream`;
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    try {
      const res = await fetch(url, { headers: { authorization: `Bearer ${me}`, accept: 'text/event-stream' }, signal: controllers[0].signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.getReader();
      let text = '';
      const readUntil = async (pattern: RegExp, ms: number) => {
        const end = Date.now() + ms;
        while (!pattern.test(text) && Date.now() < end) {
          const chunk = await Promise.race([reader.read(), new Promise<{ value?: undefined }>((r) => setTimeout(() => r({}), end - Date.now()))]);
          if (chunk.value) text += new TextDecoder().decode(chunk.value);
        }
        return pattern.test(text);
      };
      const before = expectOk(await get('/api/v1/notifications/inbox/unread-count')).unread;
      expect(await readUntil(new RegExp(`event: unread\\ndata: \\{"unread":${before}\\}`), 3000)).toBe(true);
      h.clock.now += 1000;
      const started = Date.now();
      await sendTo(uid(22), 'kb.item.published', { item_title: 'En vivo' });
      expect(await readUntil(new RegExp(`event: unread\\ndata: \\{"unread":${before + 1}\\}`), 6000)).toBe(true);
      expect(text).toMatch(/event: item\ndata: \{[^\n]*"title":"Nuevo contenido: En vivo"/);
      expect(Date.now() - started).toBeLessThan(6000);
      await fetch(url, { headers: { authorization: `Bearer ${me}` }, signal: controllers[1].signal });
      await fetch(url, { headers: { authorization: `Bearer ${me}` }, signal: controllers[2].signal });
      const fourth = await fetch(url, { headers: { authorization: `Bearer ${me}` } });
      expect(fourth.status).toBe(429);
      expect(((await fourth.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    } finally {
      controllers.forEach((c) => c.abort());
    }
  });
});
