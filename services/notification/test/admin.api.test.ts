import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';
import { startSmtpFake, type SmtpFake } from './smtp-fake.ts';

let h: Harness;
let smtp: SmtpFake;
let admin: string;

const req = (method: 'GET' | 'POST', url: string, payload?: object, token = admin) =>
  h.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
const send = async (body: object) => expectOk(await req('POST', '/api/v1/notifications', body, await h.token()), 202).id as string;
type D = { id: string; status: string; status_reason: string | null; attempt_count: number; redrive_count: number; next_attempt_at: string | null };
const deliveryOf = async (id: string) => (await h.db.query<D>('SELECT id, status, status_reason, attempt_count, redrive_count, next_attempt_at FROM notification.deliveries WHERE notification_id = $1', [id]))[0];
const whenStatus = (id: string, status: string) => vi.waitUntil(async () => { const d = await deliveryOf(id); return d?.status === status ? d : undefined; }, poll);
const notif = async (id: string) => (await h.db.query<{ status: string; status_reason: string | null; fanout_attempts: number; lease_until: string | null }>('SELECT status, status_reason, fanout_attempts, lease_until FROM notification.notifications WHERE id = $1', [id]))[0];

beforeAll(async () => {
  smtp = await startSmtpFake();
  // Export batches of 2 rows, so every export here crosses keyset batch boundaries.
  h = await createHarness({ SMTP_URL: smtp.url }, { exportBatchSize: 2 });
  admin = await h.token({ role: 'admin' });
  for (const n of [41, 42, 43, 44]) h.dir.people.set(uid(n), person(n));
}, 60_000);

afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

describe('dead letters and redrive (A1–A3)', () => {
  it('when a dead e-mail is redriven with the server back, then 202, queued → sent with redrive_count 1 and the notification completed', async () => {
    smtp.rcptReplies.push(550);
    const id = await send({ type: 'user.activated', target_users: [uid(41)], channels: ['email'] });
    const dead = await whenStatus(id, 'dead');
    // The notification's status follows right after its delivery's (R32).
    await expect.poll(async () => (await notif(id)).status, poll).toBe('failed');
    const list = expectOk(await req('GET', '/api/v1/notifications/admin/dead-letters?kind=delivery'));
    expect(list.find((x: { id: string }) => x.id === dead!.id)).toMatchObject({ kind: 'delivery', channel: 'email', reason: 'permanent_provider_error', last_error_code: 'SMTP_550', destination: 'p***@demo.sicora.test' });
    expect(expectOk(await req('POST', `/api/v1/notifications/admin/dead-letters/${dead!.id}/redrive`), 202)).toEqual({ id: dead!.id, kind: 'delivery', status: 'queued' });
    const sent = await whenStatus(id, 'sent');
    expect(sent).toMatchObject({ redrive_count: 1, attempt_count: 1 });
    await expect.poll(async () => (await notif(id)).status, poll).toBe('completed');
    expectError(await req('POST', `/api/v1/notifications/admin/dead-letters/${dead!.id}/redrive`), 409, 'DELIVERY_NOT_DEAD');
    expectError(await req('POST', '/api/v1/notifications/admin/dead-letters/99999999-9999-4999-8999-999999999999/redrive'), 404, 'DELIVERY_NOT_FOUND');
    const detail = expectOk(await req('GET', `/api/v1/notifications/admin/deliveries/${dead!.id}`));
    expect(detail.destination).toBe('persona41@demo.sicora.test');
    expect(detail.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['permanent_error', 'sent']);
  });

  it('when 3 dead e-mails are redriven with A3 channel=email, then redriven 3', async () => {
    smtp.rcptReplies.push(550, 550, 550);
    const ids = [];
    for (const n of [42, 43, 44]) {
      const id = await send({ type: 'user.activated', target_users: [uid(n)], channels: ['email'] });
      await whenStatus(id, 'dead');
      ids.push(id);
    }
    expect(expectOk(await req('POST', '/api/v1/notifications/admin/dead-letters/redrive', { channel: 'email' }), 202)).toEqual({ redriven: 3 });
    for (const id of ids) expect(await whenStatus(id, 'sent')).toBeTruthy();
    expectError(await req('GET', '/api/v1/notifications/admin/dead-letters', undefined, await h.token({ role: 'coordinador' })), 403, 'INSUFFICIENT_PERMISSIONS');
  });

  it('when users stays unreachable through 8 fan-out attempts, then the notification is failed and listed as kind fanout; redrive resumes it', async () => {
    h.dir.down = true;
    const start = h.clock.now;
    try {
      const id = await send({ type: 'user.activated', target_users: [uid(41)], channels: ['in_app'] });
      for (let n = 1; n <= 7; n++) {
        const state = await vi.waitUntil(async () => { const r = await notif(id); return r.fanout_attempts === n && r.status === 'accepted' ? r : undefined; }, poll);
        h.clock.now = new Date(state!.lease_until!).getTime() + 1;
        await h.app.notificationWorker!.sweep();
      }
      await expect.poll(async () => (await notif(id)).status, poll).toBe('failed');
      expect((await notif(id)).status_reason).toBe('expansion_failed');
      const list = expectOk(await req('GET', '/api/v1/notifications/admin/dead-letters?kind=fanout'));
      expect(list.map((x: { id: string }) => x.id)).toEqual([id]);
      h.dir.down = false;
      expect(expectOk(await req('POST', `/api/v1/notifications/admin/dead-letters/${id}/redrive`), 202)).toMatchObject({ kind: 'fanout', status: 'accepted' });
      await expect.poll(async () => (await notif(id)).status, poll).toBe('completed');
    } finally {
      h.dir.down = false;
      h.clock.now = start;
    }
  });
});

describe('lease reclaim (R30) and admin reads (A4, A8)', () => {
  it('when a worker dies holding a delivery, then the sweeper records worker_lost, retries and the copy keeps its Message-ID', async () => {
    smtp.rcptReplies.push(451);
    const id = await send({ type: 'user.activated', target_users: [uid(42)], channels: ['email'] });
    const waiting = await whenStatus(id, 'retrying');
    // The state a crashed worker leaves behind: claimed (attempt 2) with a lease that ran out.
    await h.db.query("UPDATE notification.deliveries SET status = 'sending', attempt_count = 2, lease_until = $2 WHERE id = $1", [waiting!.id, new Date(h.clock.now - 1000).toISOString()]);
    const start = h.clock.now;
    try {
      await h.app.notificationWorker!.sweep();
      const retry = await whenStatus(id, 'retrying');
      const attempts = await h.db.query<{ outcome: string }>('SELECT outcome FROM notification.delivery_attempts WHERE delivery_id = $1 ORDER BY attempt_no', [waiting!.id]);
      expect(attempts.map((a) => a.outcome)).toEqual(['transient_error', 'worker_lost']);
      const [lost] = await h.db.query<{ error_code: string }>('SELECT error_code FROM notification.delivery_attempts WHERE delivery_id = $1 AND attempt_no = 2', [waiting!.id]);
      expect(lost.error_code).toBe('WORKER_LOST');
      h.clock.now = new Date(retry!.next_attempt_at!).getTime() + 1;
      await h.app.notificationWorker!.sweep();
      expect(await whenStatus(id, 'sent')).toMatchObject({ attempt_count: 3 });
      expect(smtp.received.filter((r) => r.mail.messageId === `<${waiting!.id}@sicora>`)).toHaveLength(1);
    } finally { h.clock.now = start; }
  });

  it('when A4 and A8 are read, then deliveries are filtered and the queue reports its back end and workers', async () => {
    const list = expectOk(await req('GET', `/api/v1/notifications/admin/deliveries?user_id=${uid(41)}&channel=email`));
    expect(list.length).toBeGreaterThanOrEqual(1);
    expect(list.every((d: { user_id: string; channel: string }) => d.user_id === uid(41) && d.channel === 'email')).toBe(true);
    const q = expectOk(await req('GET', '/api/v1/notifications/admin/queue'));
    expect(q.backend).toBe(process.env.REDIS_URL ? 'bullmq' : 'pg-boss');
    expect(q.queues.map((x: { name: string }) => x.name)).toEqual(['notification-fanout', 'notification-deliver', 'notification-digest']);
    expect(q.workers_seen).toBe(1);
  });

  it('when A10 sends a test e-mail to another address, then it arrives there; an unconfigured channel → 422; A9 reports the providers', async () => {
    const me = await h.token({ role: 'admin', sub: uid(41) });
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/notifications/admin/test', headers: { authorization: `Bearer ${me}` }, payload: { channel: 'email', to: 'prueba.destino@demo.sicora.test', message: 'Hola desde la prueba' } });
    const { notification_id } = expectOk(res, 202);
    const mail = await vi.waitUntil(async () => smtp.received.find((r) => r.rcpt.includes('prueba.destino@demo.sicora.test')), poll);
    expect(mail!.mail.subject).toBe('Mensaje de prueba de SICORA');
    expect(mail!.mail.text).toContain('Hola desde la prueba');
    expect(expectOk(await req('GET', `/api/v1/notifications/${notification_id}`, undefined, me)).type).toBe('system.test');
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/notifications/admin/test', headers: { authorization: `Bearer ${me}` }, payload: { channel: 'sms' } }), 422, 'CHANNEL_NOT_CONFIGURED');
    const providers = expectOk(await req('GET', '/api/v1/notifications/admin/providers'));
    expect(providers.find((p: { name: string }) => p.name === 'smtp')).toMatchObject({ channel: 'email', configured: true, circuit: 'closed' });
    expect(providers.find((p: { name: string }) => p.name === 'smtp').sent_24h).toBeGreaterThanOrEqual(1);
    expect(providers.find((p: { name: string }) => p.name === 'smtp').last_error_code).toMatch(/^SMTP_/);
    expect(providers.find((p: { name: string }) => p.name === 'twilio')).toMatchObject({ configured: false, order: 1 });
  });

  it('when A7 is read for the last 24 h, then 24 hourly buckets whose series sum to A4 totals, with success rate per R57', async () => {
    const m = expectOk(await req('GET', '/api/v1/notifications/admin/metrics'));
    expect(m.buckets).toHaveLength(24);
    expect(m.timezone).toBe('America/Bogota');
    const sum = m.series.reduce((s: number, x: { count: number }) => s + x.count, 0);
    const a4 = JSON.parse((await req('GET', `/api/v1/notifications/admin/deliveries?from=${encodeURIComponent(m.from)}&to=${encodeURIComponent(m.to)}&page_size=1`)).body).meta.pagination.total;
    expect(sum).toBe(a4);
    const e = m.totals.email;
    expect(e.success_rate).toBe(Math.round(((e.sent + e.delivered + e.digested) / (e.sent + e.delivered + e.digested + e.dead)) * 10_000) / 10_000);
    expect(m.queue.backend).toBe(process.env.REDIS_URL ? 'bullmq' : 'pg-boss');
    const days = expectOk(await req('GET', '/api/v1/notifications/admin/metrics?bucket=day'));
    expect(days.buckets).toHaveLength(30);
    expect(new Date(days.buckets[0]).getUTCHours()).toBe(5); // Bogotá midnight
    expectError(await req('GET', `/api/v1/notifications/admin/metrics?from=${encodeURIComponent(new Date(h.clock.now - 8 * 86_400_000).toISOString())}`), 422, 'METRICS_RANGE_INVALID');
  });

  it('when A6 exports e-mail deliveries, then a UTF-8 BOM CSV with CRLF, masked destinations and Bogotá times with offset', async () => {
    const res = await req('GET', '/api/v1/notifications/admin/deliveries/export?channel=email');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="notificaciones_entregas_\d{8}\.csv"$/);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.body.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('created_at,delivery_id,notification_id,type,category,priority,channel,status,status_reason,user_id,destination_masked,provider,attempt_count,sent_at,delivered_at,dead_at,last_error_code');
    const a4 = JSON.parse((await req('GET', '/api/v1/notifications/admin/deliveries?channel=email&page_size=1')).body).meta.pagination.total;
    expect(lines).toHaveLength(a4 + 1);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-05:00,/);
    expect(lines.slice(1).every((l) => /,[a-z]\*\*\*@demo\.sicora\.test,/.test(l))).toBe(true);
    expectError(await req('GET', `/api/v1/notifications/admin/deliveries/export?from=${encodeURIComponent(new Date(h.clock.now - 100 * 86_400_000).toISOString())}`), 422, 'VALIDATION_ERROR');
  });

  it('A6: when rows share one created_at (to the microsecond) across keyset batches, then each comes once, in A4 order', async () => {
    for (const n of [45, 46, 47, 48, 49]) h.dir.people.set(uid(n), person(n));
    const id = await send({ type: 'user.activated', target_users: [45, 46, 47, 48, 49].map(uid), channels: ['in_app'] });
    await vi.waitUntil(async () => (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notification.deliveries WHERE notification_id = $1', [id]))[0].n === 5, poll);
    // One instant with microseconds for all five: a cursor cut to milliseconds would lose or repeat rows.
    const at = new Date(h.clock.now - 60_000).toISOString().replace(/\.\d{3}Z$/, '.123456Z');
    await h.db.query('UPDATE notification.deliveries SET created_at = $2::timestamptz WHERE notification_id = $1', [id, at]);
    const res = await req('GET', `/api/v1/notifications/admin/deliveries/export?notification_id=${id}`);
    expect(res.statusCode).toBe(200);
    const exported = res.body.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean).slice(1).map((l) => l.split(',')[1]);
    const listed = expectOk(await req('GET', `/api/v1/notifications/admin/deliveries?notification_id=${id}&page_size=100`)).map((x: { id: string }) => x.id);
    expect(listed).toHaveLength(5);
    expect(exported).toEqual(listed);
  });

  it('when /metrics is scraped after dead e-mails, then delivery, attempt, dead-letter and queue-depth series are present', async () => {
    const body = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(body).toMatch(/notification_deliveries_total\{[^}]*channel="email"[^}]*status="dead"[^}]*\} [1-9]/);
    expect(body).toMatch(/notification_delivery_attempts_total\{[^}]*outcome="permanent_error"/);
    expect(body).toMatch(/notification_queue_depth\{[^}]*queue="notification-deliver"[^}]*state="waiting"/);
    expect(body).toContain('notification_dead_letters');
    expect(body).toMatch(/notification_requests_total\{[^}]*source="attendance"/);
  });
});
