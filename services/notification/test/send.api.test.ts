import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, eventually, person, uid, type Harness } from './helpers.ts';

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
    const done = await eventually(async () => {
      const [n] = await rows<{ status: string; recipient_count: number }>('SELECT status, recipient_count FROM notification.notifications WHERE id = $1', [id]);
      return n.status === 'completed' ? n : undefined;
    });
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
    const n = await eventually(async () => {
      const [r] = await rows<{ status: string; recipient_count: number; recipient_outcomes: { not_found: string[]; groups_not_found: string[] } }>('SELECT status, recipient_count, recipient_outcomes FROM notification.notifications WHERE id = $1', [id]);
      return r.status === 'completed' ? r : undefined;
    });
    expect(n!.recipient_count).toBe(5);
    expect(n!.recipient_outcomes.not_found).toEqual(['99999999-9999-4999-8999-999999999999']);
    expect(n!.recipient_outcomes.groups_not_found).toEqual(['9999999']);
  });

  it('when users is unreachable, then the fan-out backs off and succeeds once users returns', async () => {
    h.dir.down = true;
    const { id } = expectOk(await post({ type: 'user.activated', target_users: [uid(12)] }), 202);
    const waiting = await eventually(async () => {
      const [r] = await rows<{ status: string; fanout_attempts: number; lease_until: string }>('SELECT status, fanout_attempts, lease_until FROM notification.notifications WHERE id = $1', [id]);
      return r.fanout_attempts === 1 && r.status === 'accepted' ? r : undefined;
    });
    const gap = new Date(waiting!.lease_until).getTime() - h.clock.now;
    expect(gap).toBeGreaterThanOrEqual(14_000);
    expect(gap).toBeLessThanOrEqual(31_000);
    h.dir.down = false;
    h.clock.now += 31_000;
    try {
      await h.app.notificationWorker!.sweep();
      const done = await eventually(async () => (await rows<{ status: string }>('SELECT status FROM notification.notifications WHERE id = $1', [id]))[0].status === 'completed');
      expect(done).toBe(true);
    } finally { h.clock.now -= 31_000; }
  });
});
