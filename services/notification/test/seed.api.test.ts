import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedNotificationDemo } from '../src/seed/demo.seed.ts';
import { createHarness, uid, type Harness } from './harness.ts';

let h: Harness;
const T = Date.parse('2026-03-11T15:00:00Z');
const seed = () => seedNotificationDemo(h.db, { now: () => new Date(T) });
const q = <R>(sql: string) => h.db.query<R>(sql);
const n = async (sql: string) => (await q<{ n: number }>(sql))[0].n;
const HISTORY = `SELECT d.* FROM notification.deliveries d JOIN notification.notifications x ON x.id = d.notification_id
  WHERE x.type IN ('schedule.changed','schedule.session_changed','attendance.absence_recorded','attendance.roll_missing','evalin.evaluation_reminder','projecteval.session_reminder','projecteval.deliverable_due_soon','ai.risk_alert.created')`;

beforeAll(async () => {
  h = await createHarness();
  h.clock.now = T;
  await seed();
  await seed();
});
afterAll(async () => h.close());

async function get(path: string, claims: Record<string, unknown>) {
  const res = await h.app.inject({ method: 'GET', url: `/api/v1/notifications${path}`, headers: { authorization: `Bearer ${await h.token(claims)}` } });
  expect(res.statusCode).toBe(200);
  return res.json().data;
}

describe('demo seed (§11)', () => {
  it('when seeded twice, then every row exists once and the seed is recorded', async () => {
    expect(await n("SELECT count(*)::int AS n FROM notification.seed_runs WHERE name = 'notification-demo'")).toBe(1);
    // The 6 historical items of §11 (3 is two student and two staff alerts, 4 two justifications), 40 generated.
    expect(await n('SELECT count(*)::int AS n FROM notification.notifications')).toBe(10 + 40);
    expect(await n('SELECT count(*)::int AS n FROM notification.user_preferences')).toBe(3);
    expect(await n('SELECT count(*)::int AS n FROM notification.device_tokens')).toBe(3);
    expect(await n(`SELECT count(*)::int AS n FROM (${HISTORY}) h WHERE status <> 'dead'`)).toBe(320);
    const ids = await q<{ id: string }>('SELECT id FROM notification.notifications ORDER BY id LIMIT 1');
    expect(ids[0].id).toMatch(/^5eed0060-/);
  });

  it('when the history is read, then 320 deliveries split 50/40/10 by channel and 94/4/2 % by outcome over the last 7 days', async () => {
    const by = await q<{ channel: string; n: number }>(`SELECT channel, count(*)::int AS n FROM (${HISTORY}) h WHERE status <> 'dead' GROUP BY channel`);
    expect(Object.fromEntries(by.map((r) => [r.channel, r.n]))).toEqual({ in_app: 160, email: 128, push: 32 });
    const st = await q<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM (${HISTORY}) h WHERE status <> 'dead' GROUP BY status`);
    const s = Object.fromEntries(st.map((r) => [r.status, r.n]));
    expect([s.sent + s.delivered, s.skipped, s.expired]).toEqual([301, 13, 6]);
    const range = await q<{ oldest: string; newest: string }>(`SELECT min(created_at)::text AS oldest, max(created_at)::text AS newest FROM (${HISTORY}) h`);
    expect(Date.parse(range[0].oldest)).toBeGreaterThanOrEqual(T - 7 * 86_400_000);
    expect(Date.parse(range[0].newest)).toBeLessThan(T);
    expect(await n(`SELECT count(DISTINCT notification_id)::int AS n FROM (${HISTORY}) h`)).toBe(40);
  });

  it('when A1 lists dead letters, then exactly the 6 of §11 appear with their reasons', async () => {
    const dead = await get('/admin/dead-letters?page_size=50', { role: 'admin' });
    expect(dead).toHaveLength(6);
    const rows = dead.map((d: { channel: string; reason: string; user_id: string; last_error_message: string }) => [d.channel, d.reason, d.user_id]).sort();
    expect(rows).toEqual([
      ['email', 'max_attempts_exhausted', uid(47)],
      ['email', 'permanent_provider_error', uid(29)], ['email', 'permanent_provider_error', uid(33)],
      ['email', 'permanent_provider_error', uid(44)], ['email', 'permanent_provider_error', uid(52)],
      ['push', 'permanent_provider_error', uid(10)],
    ].sort());
    const bounced = dead.filter((d: { last_error_message: string }) => d.last_error_message === '550 5.1.1 Buzón no disponible');
    expect(bounced).toHaveLength(4);
    expect(dead.find((d: { channel: string }) => d.channel === 'push').last_error_code).toBe('UNREGISTERED');
    expect(dead.find((d: { reason: string }) => d.reason === 'max_attempts_exhausted').attempt_count).toBe(6);
    expect(await n("SELECT count(*)::int AS n FROM notification.notifications WHERE status = 'partially_failed'")).toBe(6);
  });

  it('when Laura, Carlos and Martha read their preferences, then hourly digest, quiet hours 22:00–05:30 without kb e-mail, and no SMS', async () => {
    expect(await get('/preferences', { role: 'aprendiz', sub: uid(21) })).toMatchObject({ digest: 'hourly' });
    const carlos = await get('/preferences', { role: 'instructor', sub: uid(10) });
    expect(carlos.quiet_hours).toMatchObject({ enabled: true, start: '22:00', end: '05:30' });
    expect(carlos.categories.kb.email).toBe(false);
    expect((await get('/preferences', { role: 'coordinador', sub: uid(2) })).channels.sms).toBe(false);
  });

  it('when Carlos lists his devices, then the two active phones show and the third token is disabled as unregistered', async () => {
    const devices = await get('/devices', { role: 'instructor', sub: uid(10) });
    expect(devices.map((d: { platform: string; device_name: string; app_version: string }) => [d.platform, d.device_name, d.app_version]).sort())
      .toEqual([['android', 'Moto G52', 'demo'], ['web', 'Chrome en portátil', 'demo']]);
    const [old] = await q<{ disabled_reason: string }>("SELECT disabled_reason FROM notification.device_tokens WHERE token = 'demo-fcm-carlos-android-0000'");
    expect(old.disabled_reason).toBe('unregistered');
  });

  it('when the induction announcement is read, then 34 in_app items (20 read) and 34 sent e-mails', async () => {
    const [ann] = await q<{ id: string; status: string; recipient_count: number }>("SELECT id, status, recipient_count FROM notification.notifications WHERE type = 'manual.announcement'");
    expect(ann).toMatchObject({ status: 'completed', recipient_count: 34 });
    expect(await n(`SELECT count(*)::int AS n FROM notification.inbox_items WHERE notification_id = '${ann.id}'`)).toBe(34);
    expect(await n(`SELECT count(*)::int AS n FROM notification.inbox_items WHERE notification_id = '${ann.id}' AND read_at IS NOT NULL`)).toBe(20);
    expect(await n(`SELECT count(*)::int AS n FROM notification.deliveries WHERE notification_id = '${ann.id}' AND channel = 'email' AND status = 'sent'`)).toBe(34);
    const items = await get('/inbox?page_size=100', { role: 'aprendiz', sub: uid(21) });
    expect(items.some((i: { title: string }) => i.title === 'Jornada de inducción del trimestre')).toBe(true);
  });

  it('when the other historical notifications are read, then their §11 recipients and read states hold', async () => {
    const count = (type: string, where = 'true') => n(`SELECT count(*)::int AS n FROM notification.inbox_items WHERE type = '${type}' AND ${where}`);
    expect([await count('evalin.period_started'), await count('evalin.period_started', 'read_at IS NOT NULL')]).toEqual([14, 9]);
    expect([await count('attendance.alert_for_student'), await count('attendance.alert_for_staff'), await count('attendance.alert_for_student', 'read_at IS NOT NULL') + await count('attendance.alert_for_staff', 'read_at IS NOT NULL')]).toEqual([2, 16, 0]);
    const reviewed = await q<{ user_id: string; read: boolean }>("SELECT user_id, read_at IS NOT NULL AS read FROM notification.inbox_items WHERE type = 'attendance.justification_reviewed' ORDER BY user_id");
    expect(reviewed).toEqual([{ user_id: uid(22), read: false }, { user_id: uid(23), read: true }]);
    expect(await count('kb.item.published')).toBe(28);
    const kbMail = await q<{ status: string; n: number }>("SELECT d.status, count(*)::int AS n FROM notification.deliveries d JOIN notification.notifications x ON x.id = d.notification_id WHERE x.type = 'kb.item.published' AND d.channel = 'email' GROUP BY 1");
    expect(kbMail).toEqual([{ status: 'digested', n: 28 }]);
    expect(await n("SELECT count(*)::int AS n FROM notification.digests WHERE status = 'sent'")).toBe(28);
    expect(await n("SELECT count(*)::int AS n FROM notification.digests WHERE status = 'sent' AND frequency = 'hourly'")).toBe(1);
    expect(await count('projecteval.result_published')).toBe(5);
  });

  it('when the seed is done, then nothing waits to be sent: no open digest, no outbox row, no job, every delivery terminal', async () => {
    expect(await n("SELECT count(*)::int AS n FROM notification.digests WHERE status = 'open'")).toBe(0);
    expect(await n('SELECT count(*)::int AS n FROM notification.outbox')).toBe(0);
    expect(await n("SELECT count(*)::int AS n FROM notification.deliveries WHERE status IN ('pending','queued','sending','retrying')")).toBe(0);
    expect(await n("SELECT count(*)::int AS n FROM notification.inbox_items i JOIN notification.deliveries d ON d.id = i.delivery_id WHERE d.channel <> 'in_app'")).toBe(0);
    const queue = await get('/admin/queue', { role: 'admin' });
    for (const qd of queue.queues) expect([qd.name, qd.waiting + qd.active + qd.delayed]).toEqual([qd.name, 0]);
  });
});
