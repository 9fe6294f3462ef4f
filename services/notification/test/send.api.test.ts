import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errors } from '@sicora/platform/errors';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import type { UsersPort } from '../src/application/ports.ts';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';

let h: Harness;
let service: string;

const rows = <T>(sql: string, params: unknown[] = []) => h.db.query<T>(sql, params);
const post = (body: unknown, token = service, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${token}`, ...headers }, payload: body as object });

beforeAll(async () => {
  h = await createHarness();
  service = await h.token();
  for (let n = 1; n <= 20; n++) h.dir.people.set(uid(n), person(n, n <= 6 ? { role: 'instructor' } : {}));
  h.dir.roles.set('instructor', [1, 2, 3, 4, 5, 6].map(uid));
  h.dir.groups.push({ id: '11111111-1111-4111-8111-111111111111', number: '2826503', apprentices: [7, 8, 9, 10].map(uid), instructors: [uid(1), uid(2)] });
}, 60_000);

afterAll(async () => { await h?.close(); });

describe('N1 send request', () => {
  it('when a valid attendance.absence_recorded request is sent, then 202 accepted and the row exists', async () => {
    const res = await post({ type: 'attendance.absence_recorded', target_users: [uid(7)], data: { subject: 'Programación', session_date: '2026-03-02' } });
    const data = expectOk(res, 202);
    expect(data).toMatchObject({ type: 'attendance.absence_recorded', status: 'accepted', priority: 'normal', warnings: [] });
    const [row] = await rows<{ status: string; source: string; category: string }>('SELECT status, source, category FROM notification.notifications WHERE id = $1', [data.id]);
    expect(row).toMatchObject({ source: 'attendance', category: 'attendance' });
  });

  it('when the commit fails (test hook), then 503 and nothing is stored', async () => {
    const failing = await createHarness({}, { beforeCommit: async () => { throw new Error('db down'); } });
    try {
      const res = await failing.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${await failing.token()}` }, payload: { type: 'user.activated', target_users: [uid(1)] } });
      expectError(res, 503, 'SERVICE_UNAVAILABLE');
      const [c] = await failing.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notification.notifications');
      expect(c.n).toBe(0);
    } finally { await failing.close(); }
  });

  it('when the same body and Idempotency-Key are sent twice, then one notification and the replay header', async () => {
    const body = { type: 'user.activated', target_users: [uid(8)] };
    const a = expectOk(await post(body, service, { 'idempotency-key': 'abc-1' }), 202);
    const second = await post(body, service, { 'idempotency-key': 'abc-1' });
    expect(expectOk(second, 202).id).toBe(a.id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expectError(await post({ ...body, data: { x: 1 } }, service, { 'idempotency-key': 'abc-1' }), 422, 'IDEMPOTENCY_KEY_MISMATCH');
    const [c] = await rows<{ n: number }>("SELECT count(*)::int AS n FROM notification.notifications WHERE idempotency_key = 'abc-1'");
    expect(c.n).toBe(1);
  });

  it('when 10 identical requests with one key run concurrently, then exactly one notification exists', async () => {
    const body = { type: 'user.activated', target_users: [uid(9)], idempotency_key: 'conc-1' };
    const all = await Promise.all(Array.from({ length: 10 }, () => post(body)));
    expect(new Set(all.map((r) => expectOk(r, 202).id)).size).toBe(1);
    const [c] = await rows<{ n: number }>("SELECT count(*)::int AS n FROM notification.notifications WHERE idempotency_key = 'conc-1'");
    expect(c.n).toBe(1);
  });

  it('when the key is 8 days old, then a new notification is created', async () => {
    const body = { type: 'user.activated', target_users: [uid(10)], idempotency_key: 'old-1' };
    const first = expectOk(await post(body), 202);
    h.clock.now += 8 * 86_400_000;
    try {
      const second = expectOk(await post(body), 202);
      expect(second.id).not.toBe(first.id);
    } finally { h.clock.now -= 8 * 86_400_000; }
  });

  it('when the request has no target, too many or a far schedule, then 422 with the code', async () => {
    expectError(await post({ type: 'user.activated' }), 422, 'NO_TARGETS');
    expectError(await post({ type: 'user.activated', target_groups: Array.from({ length: 51 }, (_, i) => `11111111-1111-4111-8111-${String(i).padStart(12, '0')}`) }), 422, 'TOO_MANY_TARGETS');
    expectError(await post({ type: 'user.activated', target_users: [uid(1)], scheduled_at: new Date(h.clock.now + 91 * 86_400_000).toISOString() }), 422, 'SCHEDULE_TOO_FAR');
    expectError(await post({ type: 'user.activated', target_users: [uid(1)], data: { recipient: 'x' } }), 422, 'VALIDATION_ERROR');
  });

  it('when a person sends another type, priority or targets beyond their role, then 403 with the code', async () => {
    const instructor = await h.token({ role: 'instructor', sub: uid(1) });
    const coord = await h.token({ role: 'coordinador', sub: uid(3) });
    const aprendiz = await h.token({ role: 'aprendiz', sub: uid(7) });
    expectError(await post({ type: 'attendance.alert_for_student', target_users: [uid(7)] }, instructor), 403, 'TYPE_NOT_ALLOWED');
    expectError(await post({ type: 'manual.announcement', title: 'A', message: 'B', target_group_numbers: ['2826503'], priority: 'high' }, instructor), 403, 'PRIORITY_NOT_ALLOWED');
    expectError(await post({ type: 'manual.announcement', title: 'A', message: 'B', target_roles: ['aprendiz'] }, instructor), 403, 'TARGET_NOT_ALLOWED');
    expectError(await post({ type: 'manual.announcement', title: 'A', message: 'B', target_group_numbers: ['2901817'] }, instructor), 403, 'GROUP_NOT_ASSIGNED');
    expectError(await post({ type: 'manual.announcement', title: 'A', message: 'B', target_users: [uid(7)], priority: 'critical' }, coord), 403, 'PRIORITY_NOT_ALLOWED');
    expectError(await post({ type: 'manual.announcement', title: 'A', message: 'B', target_users: [uid(7)] }, aprendiz), 403, 'INSUFFICIENT_PERMISSIONS');
  });

  it('when an uncatalogued type is sent, then 202 with the UNCATALOGUED_TYPE warning', async () => {
    const data = expectOk(await post({ type: 'custom.thing_happened', target_users: [uid(11)] }), 202);
    expect(data.warnings).toEqual(['UNCATALOGUED_TYPE']);
  });
});

describe('fan-out', () => {
  it('when target_roles instructor with in_app and email reach 6 instructors, then 12 deliveries and in_app delivered', async () => {
    const coord = await h.token({ role: 'coordinador', sub: uid(3) });
    const { id } = expectOk(await post({ type: 'manual.announcement', title: 'Reunión', message: 'Nos vemos el lunes.', target_roles: ['instructor'], channels: ['in_app', 'email'] }, coord), 202);
    const done = await vi.waitUntil(async () => {
      const [n] = await rows<{ status: string; recipient_count: number }>('SELECT status, recipient_count FROM notification.notifications WHERE id = $1', [id]);
      return n.status === 'completed' ? n : undefined;
    }, poll);
    expect(done).toMatchObject({ recipient_count: 6 });
    const ds = await rows<{ channel: string; status: string; status_reason: string | null }>('SELECT channel, status, status_reason FROM notification.deliveries WHERE notification_id = $1', [id]);
    expect(ds).toHaveLength(12);
    expect(ds.filter((d) => d.channel === 'in_app').every((d) => d.status === 'delivered')).toBe(true);
    // No SMTP configured in this harness: e-mail is skipped, not lost.
    expect(ds.filter((d) => d.channel === 'email').every((d) => d.status_reason === 'channel_not_configured')).toBe(true);
  });

  it('when a ficha number, its instructors and an exclusion are targeted with unknowns, then outcomes list them', async () => {
    const { id } = expectOk(await post({
      type: 'user.activated', target_group_numbers: ['2826503', '9999999'], include_group_instructors: true, target_users: [uid(7), '99999999-9999-4999-8999-999999999999'], exclude_users: [uid(8)],
    }), 202);
    const n = await vi.waitUntil(async () => {
      const [r] = await rows<{ status: string; recipient_count: number; recipient_outcomes: { not_found: string[]; groups_not_found: string[] } }>('SELECT status, recipient_count, recipient_outcomes FROM notification.notifications WHERE id = $1', [id]);
      return r.status === 'completed' ? r : undefined;
    }, poll);
    expect(n!.recipient_count).toBe(5);
    expect(n!.recipient_outcomes.not_found).toEqual(['99999999-9999-4999-8999-999999999999']);
    expect(n!.recipient_outcomes.groups_not_found).toEqual(['9999999']);
  });

  it('when users is unreachable, then the fan-out backs off and succeeds once users returns', async () => {
    h.dir.down = true;
    const { id } = expectOk(await post({ type: 'user.activated', target_users: [uid(12)] }), 202);
    const waiting = await vi.waitUntil(async () => {
      const [r] = await rows<{ status: string; fanout_attempts: number; lease_until: string }>('SELECT status, fanout_attempts, lease_until FROM notification.notifications WHERE id = $1', [id]);
      return r.fanout_attempts === 1 && r.status === 'accepted' ? r : undefined;
    }, poll);
    const gap = new Date(waiting!.lease_until).getTime() - h.clock.now;
    expect(gap).toBeGreaterThanOrEqual(14_000);
    expect(gap).toBeLessThanOrEqual(31_000);
    h.dir.down = false;
    h.clock.now += 31_000;
    try {
      await h.app.notificationWorker!.sweep();
      const done = await vi.waitUntil(async () => (await rows<{ status: string }>('SELECT status FROM notification.notifications WHERE id = $1', [id]))[0].status === 'completed', poll);
      expect(done).toBe(true);
    } finally { h.clock.now -= 31_000; }
  });
});

describe('fan-out batches, cursor and lease (R10)', () => {
  // 2 500 apprentices × 2 channels: batches of 500 recipients (1 000 deliveries), one users lookup each.
  // E-mail and push are not configured in this harness, so every delivery is `skipped` and nothing is sent.
  const crowd = new Map(Array.from({ length: 2500 }, (_, i) => person(1000 + i)).map((p) => [p.id, p]));
  const sorted = [...crowd.keys()].sort();
  const calls: string[][] = [];
  let onLookup: (call: number) => Promise<void> = async () => undefined;
  const users: UsersPort = {
    async lookup(ids) {
      calls.push(ids);
      await onLookup(calls.length);
      return { found: ids.filter((i) => crowd.has(i)).map((i) => crowd.get(i)!), missing: ids.filter((i) => !crowd.has(i)) };
    },
    async idsByRole(role) { return role === 'aprendiz' ? [...crowd.keys()] : []; },
  };
  let r: Harness;
  let token: string;
  const q = <T>(sql: string, params: unknown[] = []) => r.db.query<T>(sql, params);
  const send = async () => expectOk(await r.app.inject({
    method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${token}` }, payload: { type: 'user.activated', target_roles: ['aprendiz'], channels: ['email', 'push'] },
  }), 202).id as string;
  const count = async (id: string) => (await q<{ n: number; pairs: number }>('SELECT count(*)::int AS n, count(DISTINCT (user_id, channel))::int AS pairs FROM notification.deliveries WHERE notification_id = $1', [id]))[0];
  const expanding = async () => (await q<{ id: string; lease_until: string }>("SELECT id, lease_until FROM notification.notifications WHERE status = 'expanding'"))[0];
  const settled = (id: string) => vi.waitUntil(async () => {
    const [n] = await q<{ status: string; recipient_count: number; fanout_attempts: number; fanout_cursor: string | null }>('SELECT status, recipient_count, fanout_attempts, fanout_cursor FROM notification.notifications WHERE id = $1', [id]);
    // `dispatching` lasts from the fan-out's end until its recompute; every delivery here ends at once.
    return ['accepted', 'expanding', 'dispatching'].includes(n.status) ? undefined : n;
  }, { ...poll, timeout: 30_000 });

  beforeAll(async () => {
    r = await createHarness({}, { users });
    token = await r.token();
  }, 60_000);
  afterAll(async () => { await r?.close(); });

  it('when users fails after two batches, then their 2 000 deliveries stay, the cursor marks them and the retry looks up and inserts only the rest', async () => {
    calls.length = 0;
    onLookup = async (call) => { if (call === 3) throw errors.unavailable({ service: 'users', reason: 'connection_refused' }); };
    const id = await send();
    const parked = await vi.waitUntil(async () => {
      const [n] = await q<{ status: string; fanout_attempts: number; fanout_cursor: string | null }>('SELECT status, fanout_attempts, fanout_cursor FROM notification.notifications WHERE id = $1', [id]);
      return n.status === 'accepted' && n.fanout_attempts === 1 ? n : undefined;
    }, { ...poll, timeout: 30_000 });
    expect(await count(id)).toEqual({ n: 2000, pairs: 2000 });
    expect(JSON.parse(parked!.fanout_cursor!)).toMatchObject({ after: sorted[999], recipients: 1000 });
    const done = new Set(sorted.slice(0, 1000));
    const [before] = await q<{ first: string }>('SELECT min(created_at)::text AS first FROM notification.deliveries WHERE notification_id = $1', [id]);
    onLookup = async () => undefined;
    calls.length = 0;
    r.clock.now += 31_000;
    try {
      await r.app.notificationWorker!.sweep();
      expect(await settled(id)).toMatchObject({ status: 'completed', recipient_count: 2500, fanout_attempts: 2, fanout_cursor: null });
    } finally { r.clock.now -= 31_000; }
    // The resumed attempt started after the cursor: the first 1 000 recipients were neither looked up nor re-inserted.
    expect(calls.flat()).toHaveLength(1500);
    expect(calls.flat().some((u) => done.has(u))).toBe(false);
    expect(await count(id)).toEqual({ n: 5000, pairs: 5000 });
    const [after] = await q<{ first: string }>('SELECT min(created_at)::text AS first FROM notification.deliveries WHERE notification_id = $1', [id]);
    expect(after.first).toBe(before.first);
  }, 60_000);

  it('when the expansion outlasts the 5-min lease, then every batch renews it and the sweeper starts no second fan-out', async () => {
    const start = r.clock.now;
    const seen: Array<{ lease: number; now: number }> = [];
    calls.length = 0;
    onLookup = async () => {
      // Two minutes per batch: five batches take ten, twice the lease.
      r.clock.now += 2 * 60_000;
      const n = await expanding();
      seen.push({ lease: new Date(n.lease_until).getTime(), now: r.clock.now });
      await r.app.notificationWorker!.sweep();
    };
    try {
      const id = await send();
      expect(await settled(id)).toMatchObject({ status: 'completed', recipient_count: 2500, fanout_attempts: 1 });
      expect(seen).toHaveLength(5);
      expect(seen.every((s) => s.lease > s.now)).toBe(true);
      expect(await count(id)).toEqual({ n: 5000, pairs: 5000 });
    } finally {
      onLookup = async () => undefined;
      r.clock.now = start;
    }
  }, 60_000);

  it('when one call to users outlasts the heartbeat period, then the 30 s heartbeat renews the lease meanwhile', async () => {
    const start = r.clock.now;
    let release = () => undefined as void;
    const hanging = new Promise<void>((resolve) => { release = resolve; });
    calls.length = 0;
    onLookup = async (call) => { if (call === 1) await hanging; };
    // Only intervals are faked, and only those created from here on: the fan-out's heartbeat timer.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const id = await send();
      await vi.waitUntil(async () => calls.length === 1, poll);
      const [claimed] = await q<{ lease_until: string }>('SELECT lease_until FROM notification.notifications WHERE id = $1', [id]);
      r.clock.now += 4 * 60_000;
      vi.advanceTimersByTime(30_000);
      const renewed = await vi.waitUntil(async () => {
        const [n] = await q<{ lease_until: string }>('SELECT lease_until FROM notification.notifications WHERE id = $1', [id]);
        return new Date(n.lease_until).getTime() > new Date(claimed.lease_until).getTime() ? n : undefined;
      }, poll);
      expect(new Date(renewed!.lease_until).getTime()).toBe(r.clock.now + 5 * 60_000);
      release();
      expect(await settled(id)).toMatchObject({ status: 'completed', fanout_attempts: 1 });
    } finally {
      vi.useRealTimers();
      release();
      onLookup = async () => undefined;
      r.clock.now = start;
    }
  }, 60_000);

  it('when a fan-out has several batches, then each batch is looked up while the previous one is inserted (R65)', async () => {
    calls.length = 0;
    const repo = (r.app.notificationWorker!.runtime as { repos: { deliveries: { insertBatch: (...args: never[]) => Promise<boolean> } } }).repos.deliveries;
    const insertBatch = repo.insertBatch;
    const lookedUpAtInsert: number[] = [];
    repo.insertBatch = async (...args) => {
      lookedUpAtInsert.push(calls.length);
      return insertBatch.apply(repo, args);
    };
    try {
      const id = await send();
      expect(await settled(id)).toMatchObject({ status: 'completed', recipient_count: 2500, fanout_attempts: 1 });
      // Five batches: when batch k (1-based) is inserted, batch k + 1 has been asked for already, but no further.
      expect(lookedUpAtInsert).toEqual([2, 3, 4, 5, 5]);
      expect(await count(id)).toEqual({ n: 5000, pairs: 5000 });
    } finally {
      repo.insertBatch = insertBatch;
    }
  }, 60_000);

  it('when the notification is cancelled during its fan-out, then no further batch is inserted', async () => {
    calls.length = 0;
    let id = '';
    onLookup = async (call) => {
      if (call !== 2) return;
      id = (await expanding()).id;
      // Batch 2 is looked up while batch 1 is inserted (R65): cancel once batch 1 is in, between the two inserts.
      await vi.waitUntil(async () => (await count(id)).n === 1000, poll);
      expectOk(await r.app.inject({ method: 'POST', url: `/api/v1/notifications/${id}/cancel`, headers: { authorization: `Bearer ${token}` } }), 200);
    };
    try {
      await send();
      await vi.waitUntil(async () => calls.length >= 2 && id, poll);
      // Give a fan-out that ignored the cancellation time to ask for more batches: batch 3's look-up may
      // have started with batch 2's insert (one batch is read ahead), none after that.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(calls.length).toBeLessThanOrEqual(3);
      const [n] = await q<{ status: string }>('SELECT status FROM notification.notifications WHERE id = $1', [id]);
      expect(n.status).toBe('cancelled');
      expect(await count(id)).toEqual({ n: 1000, pairs: 1000 });
    } finally { onLookup = async () => undefined; }
  }, 60_000);
});
