import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectOk } from '@sicora/platform/testing/http';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';
import { startSmtpFake, type SmtpFake } from './smtp-fake.ts';

let h: Harness;
let smtp: SmtpFake;
const T0 = Date.parse('2026-03-03T15:00:00Z'); // 10:00 in Bogotá

const kb = async (user: string, title: string) => {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${await h.token({ name: 'kb' })}` }, payload: { type: 'kb.item.published', target_users: [user], data: { item_title: title } } });
  const { id } = expectOk(res, 202);
  // The fan-out has ended too (its digest counts are written after the deliveries), not only the e-mail.
  return (await vi.waitUntil(async () => {
    const [d] = await h.db.query<{ id: string; status: string; digest_id: string | null; fanout: string }>(
      "SELECT d.id, d.status, d.digest_id, n.status AS fanout FROM notification.deliveries d JOIN notification.notifications n ON n.id = d.notification_id WHERE d.notification_id = $1 AND d.channel = 'email'", [id]);
    return d && !['queued', 'sending'].includes(d.status) && !['accepted', 'expanding'].includes(d.fanout) ? { id: d.id, status: d.status, digest_id: d.digest_id } : undefined;
  }, poll))!;
};
const prefs = async (n: number, body: object) => expectOk(await h.app.inject({ method: 'PUT', url: '/api/v1/notifications/preferences', headers: { authorization: `Bearer ${await h.token({ role: 'aprendiz', sub: uid(n) })}` }, payload: body }));

beforeAll(async () => {
  smtp = await startSmtpFake();
  h = await createHarness({ SMTP_URL: smtp.url });
  h.clock.now = T0;
  for (const n of [60, 61, 62]) h.dir.people.set(uid(n), person(n, { email: `digest${n}@demo.sicora.test` }));
}, 60_000);

afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

describe('digests (R22–R23)', () => {
  it('when 3 low e-mails reach a daily (07:00) digest, then they are digested and at 07:00 one system.digest with 3 entries is sent', async () => {
    const ds = [await kb(uid(60), 'Guía QR'), await kb(uid(60), 'Reglamento'), await kb(uid(60), 'Horarios')];
    expect(ds.map((d) => d.status)).toEqual(['digested', 'digested', 'digested']);
    expect(new Set(ds.map((d) => d.digest_id)).size).toBe(1);
    const [dg] = await h.db.query<{ status: string; item_count: number; scheduled_for: string }>('SELECT status, item_count, scheduled_for FROM notification.digests WHERE id = $1', [ds[0].digest_id]);
    expect(dg).toMatchObject({ status: 'open', item_count: 3 });
    expect(new Date(dg.scheduled_for).toISOString()).toBe('2026-03-04T12:00:00.000Z');
    h.clock.now = Date.parse('2026-03-04T12:00:01Z');
    try {
      await h.app.notificationWorker!.sweep();
      const mail = await vi.waitUntil(async () => smtp.received.find((r) => r.rcpt.includes('digest60@demo.sicora.test')), poll);
      expect(mail!.mail.subject).toBe('Tu resumen de SICORA: 3 notificaciones');
      for (const t of ['Nuevo contenido: Guía QR', 'Nuevo contenido: Reglamento', 'Nuevo contenido: Horarios']) expect(mail!.mail.text).toContain(t);
      const [after] = await h.db.query<{ status: string; delivery_id: string }>('SELECT status, delivery_id FROM notification.digests WHERE id = $1', [ds[0].digest_id]);
      expect(after.status).toBe('sent');
      const statuses = await h.db.query<{ status: string }>('SELECT status FROM notification.deliveries WHERE digest_id = $1', [ds[0].digest_id]);
      expect(statuses.map((s) => s.status)).toEqual(['digested', 'digested', 'digested']);
    } finally { h.clock.now = T0; }
  });

  it('when digest is off, then each low e-mail is sent on its own', async () => {
    await prefs(61, { digest: 'off' });
    const d = await kb(uid(61), 'Guía QR');
    expect(d.status).toBe('sent');
    expect(smtp.received.some((r) => r.rcpt.includes('digest61@demo.sicora.test') && r.mail.subject === 'Nuevo contenido: Guía QR')).toBe(true);
  });

  it('when an hourly digest holds one item, then that item is sent with its own template at the next full hour', async () => {
    await prefs(62, { digest: 'hourly' });
    const d = await kb(uid(62), 'Único');
    expect(d.status).toBe('digested');
    h.clock.now = T0 + 3_600_000;
    try {
      await h.app.notificationWorker!.sweep();
      const mail = await vi.waitUntil(async () => smtp.received.find((r) => r.rcpt.includes('digest62@demo.sicora.test')), poll);
      expect(mail!.mail.subject).toBe('Nuevo contenido: Único');
      expect(mail!.mail.messageId).toBe(`<${d.id}@sicora>`);
    } finally { h.clock.now = T0; }
  });
});
