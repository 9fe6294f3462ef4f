import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectOk } from '@sicora/platform/testing/http';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';
import { startSmtpFake, type SmtpFake } from './smtp-fake.ts';

let h: Harness;
let smtp: SmtpFake;
let service: string;

const rows = <T>(sql: string, params: unknown[] = []) => h.db.query<T>(sql, params);
const post = async (body: unknown) => expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${service}` }, payload: body as object }), 202);
const delivery = async (notificationId: string, channel = 'email') =>
  (await rows<{ id: string; status: string; status_reason: string | null; attempt_count: number; next_attempt_at: string | null; destination: string | null }>(
    'SELECT id, status, status_reason, attempt_count, next_attempt_at, destination FROM notification.deliveries WHERE notification_id = $1 AND channel = $2', [notificationId, channel]))[0];
const settled = (notificationId: string, statuses: string[]) => vi.waitUntil(async () => {
  const d = await delivery(notificationId);
  return d && statuses.includes(d.status) ? d : undefined;
}, poll);

beforeAll(async () => {
  smtp = await startSmtpFake();
  h = await createHarness({ SMTP_URL: smtp.url, PUBLIC_APP_URL: 'https://sicora.test' });
  service = await h.token({ name: 'users' });
  h.dir.people.set(uid(21), person(21, { first_name: 'Laura Valentina', last_name: 'Gómez Ruiz', full_name: 'Laura Valentina Gómez Ruiz', email: 'laura.gomez21@demo.sicora.test' }));
}, 60_000);

afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

describe('e-mail over SMTP', () => {
  it('when user.welcome is sent, then the parsed message has the subject, both parts with the login URL and Message-ID <delivery_id@sicora>', async () => {
    const { id } = await post({ type: 'user.welcome', target_users: [uid(21)], data: { first_name: 'Laura Valentina', role_label: 'aprendiz', login_url: 'https://sicora.test/login', initial_password_hint: 'document_number' } });
    const d = await settled(id, ['sent']);
    expect(d).toMatchObject({ status: 'sent', attempt_count: 1, destination: 'laura.gomez21@demo.sicora.test' });
    const got = smtp.received.find((r) => r.mail.messageId === `<${d!.id}@sicora>`)!;
    expect(got.rcpt).toEqual(['laura.gomez21@demo.sicora.test']);
    expect(got.mail.subject).toBe('Bienvenido a SICORA, Laura Valentina');
    expect(got.mail.text).toContain('https://sicora.test/login');
    expect(got.mail.text).toContain('Tu contraseña inicial es tu número de documento');
    expect(got.mail.html).toContain('https://sicora.test/login');
    expect(got.mail.html).toContain('SICORA · SENA');
    expect(got.mail.headers.get('x-sicora-type')).toBe('user.welcome');
    // Flag M: no unsubscribe link for mandatory messages.
    expect(got.mail.headers.get('list-unsubscribe')).toBeUndefined();
    await expect.poll(async () => (await rows<{ status: string }>('SELECT status FROM notification.notifications WHERE id = $1', [id]))[0].status, poll).toBe('completed');
    const sinkOff = await h.app.inject({ method: 'GET', url: '/api/v1/notifications/admin/mail-sink', headers: { authorization: `Bearer ${await h.token({ role: 'admin' })}` } });
    expect(JSON.parse(sinkOff.body).error.code).toBe('MAIL_SINK_DISABLED');
    const inbox = await rows<{ title: string }>('SELECT title FROM notification.inbox_items WHERE notification_id = $1', [id]);
    expect(inbox).toEqual([{ title: 'Bienvenido a SICORA, Laura Valentina' }]);
  });

  it('when the server answers 550 to RCPT, then the delivery is dead (permanent_provider_error) after 1 attempt', async () => {
    smtp.rcptReplies.push(550);
    const { id } = await post({ type: 'user.activated', target_users: [uid(21)], channels: ['email'] });
    const d = await settled(id, ['dead']);
    expect(d).toMatchObject({ status: 'dead', status_reason: 'permanent_provider_error', attempt_count: 1 });
    const attempts = await rows<{ outcome: string; error_code: string }>('SELECT outcome, error_code FROM notification.delivery_attempts WHERE delivery_id = $1', [d!.id]);
    expect(attempts).toEqual([{ outcome: 'permanent_error', error_code: 'SMTP_550' }]);
    await expect.poll(async () => (await rows<{ status: string }>('SELECT status FROM notification.notifications WHERE id = $1', [id]))[0].status, poll).toBe('failed');
  });

  it('when the server answers 451 twice then 250, then sent after 3 attempts with backoff gaps within R29 bounds', async () => {
    smtp.rcptReplies.push(451, 451);
    const { id } = await post({ type: 'user.activated', target_users: [uid(21)], channels: ['email'] });
    const start = h.clock.now;
    try {
      for (const n of [1, 2]) {
        const d = await vi.waitUntil(async () => { const y = await delivery(id); return y && y.attempt_count === n && y.status === 'retrying' ? y : undefined; }, poll);
        const gap = new Date(d!.next_attempt_at!).getTime() - h.clock.now;
        const bound = 30_000 * 2 ** (n - 1);
        expect(gap).toBeGreaterThanOrEqual(bound * 0.5 - 1000);
        expect(gap).toBeLessThanOrEqual(bound + 1000);
        h.clock.now = new Date(d!.next_attempt_at!).getTime() + 1;
        await h.app.notificationWorker!.sweep();
      }
      const d = await settled(id, ['sent']);
      expect(d).toMatchObject({ status: 'sent', attempt_count: 3 });
    } finally { h.clock.now = start; }
  });

  it('when the SMTP server is down, then 6 attempts with growing gaps and dead (max_attempts_exhausted)', async () => {
    const down = await createHarness({ SMTP_URL: 'smtp://127.0.0.1:1' });
    try {
      down.dir.people.set(uid(21), h.dir.people.get(uid(21))!);
      const res = await down.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${await down.token()}` }, payload: { type: 'user.activated', target_users: [uid(21)], channels: ['email'] } });
      const { id } = expectOk(res, 202);
      const q = async () => (await down.db.query<{ id: string; status: string; status_reason: string; attempt_count: number; next_attempt_at: string }>("SELECT id, status, status_reason, attempt_count, next_attempt_at FROM notification.deliveries WHERE notification_id = $1", [id]))[0];
      for (let n = 1; n <= 5; n++) {
        const d = await vi.waitUntil(async () => { const y = await q(); return y && y.attempt_count === n && y.status === 'retrying' ? y : undefined; }, poll);
        const gap = new Date(d!.next_attempt_at).getTime() - down.clock.now;
        const bound = Math.min(1_800_000, 30_000 * 2 ** (n - 1));
        expect(gap).toBeGreaterThanOrEqual(bound * 0.5 - 1000);
        expect(gap).toBeLessThanOrEqual(bound + 1000);
        down.clock.now = new Date(d!.next_attempt_at).getTime() + 1;
        await down.app.notificationWorker!.sweep();
      }
      const dead = await vi.waitUntil(async () => { const y = await q(); return y && y.status === 'dead' ? y : undefined; }, poll);
      expect(dead).toMatchObject({ status_reason: 'max_attempts_exhausted', attempt_count: 6 });
      const [a] = await down.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notification.delivery_attempts WHERE delivery_id = $1', [dead!.id]);
      expect(a.n).toBe(6);
    } finally { await down.close(); }
  });
});
