import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectOk } from '@sicora/platform/testing/http';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';
import { startSnsFake, startTwilioFake, type HttpFake } from './sms-fakes.ts';
import { twilioSignature } from '../src/http/twilio-status.routes.ts';
import { expectError } from '@sicora/platform/testing/http';

let h: Harness;
let twilio: HttpFake;
let sns: HttpFake;
const SID = 'AC00000000000000000000000000000001';

// Static dummy credentials: otherwise the AWS chain probes the instance metadata endpoint (R64).
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';

const send = async (body: object) => expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${await h.token()}` }, payload: body }), 202).id as string;
const smsDelivery = (id: string) => vi.waitUntil(async () => {
  const [d] = await h.db.query<{ id: string; status: string; status_reason: string | null; provider: string | null; attempt_count: number }>(
    "SELECT id, status, status_reason, provider, attempt_count FROM notification.deliveries WHERE notification_id = $1 AND channel = 'sms'", [id]);
  return d && ['sent', 'dead', 'retrying'].includes(d.status) ? d : undefined;
}, poll);

beforeAll(async () => {
  twilio = await startTwilioFake();
  sns = await startSnsFake();
  h = await createHarness({
    TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'token-de-prueba', TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: twilio.url,
    AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SNS: sns.url, TWILIO_STATUS_CALLBACK_URL: 'https://sicora.test/api/v1/notifications/providers/twilio/status',
  });
  h.clock.now = Date.parse('2026-03-03T15:00:00Z'); // 10:00 in Bogotá: outside quiet hours
  h.dir.people.set(uid(22), person(22, { phone: '+573001234567' }));
  h.dir.people.set(uid(23), person(23, { phone: '+573007654321' }));
}, 60_000);

afterAll(async () => {
  await h?.close();
  await twilio?.close();
  await sns?.close();
});

const alert = (title: string) => ({ type: 'attendance.alert_for_student', priority: 'high', target_users: [uid(22)], channels: ['sms'], data: { title, alert_url: 'https://sicora.test/a' } });

describe('SMS with failover (R37, R38)', () => {
  it('when Twilio answers 503 and SNS OK, then SNS gets one Publish with the E.164 number and the attempt shows failover_from twilio', async () => {
    twilio.replies.push({ status: 503, body: { code: 20503, message: 'no disponible', status: 503 } });
    const before = sns.requests.length;
    const d = await smsDelivery(await send(alert('3 inasistencias')));
    expect(d).toMatchObject({ status: 'sent', provider: 'sns', attempt_count: 1 });
    const publishes = sns.requests.slice(before);
    expect(publishes).toHaveLength(1);
    expect(publishes[0].form.get('Action')).toBe('Publish');
    expect(publishes[0].form.get('PhoneNumber')).toBe('+573001234567');
    const [a] = await h.db.query<{ failover_from: string; provider: string; outcome: string }>('SELECT failover_from, provider, outcome FROM notification.delivery_attempts WHERE delivery_id = $1', [d!.id]);
    expect(a).toEqual({ failover_from: 'twilio', provider: 'sns', outcome: 'sent' });
  });

  it('when Twilio answers 400 with code 21211, then no SNS call and the delivery is dead (permanent_provider_error)', async () => {
    twilio.replies.push({ status: 400, body: { code: 21211, message: "The 'To' number is not valid.", status: 400 } });
    const before = sns.requests.length;
    const d = await smsDelivery(await send(alert('Número inválido')));
    expect(d).toMatchObject({ status: 'dead', status_reason: 'permanent_provider_error', attempt_count: 1 });
    expect(sns.requests.length).toBe(before);
  });

  it('when the text has accents and a dash, then Twilio receives GSM-7 with "numero" and "lunes", at most 306 characters', async () => {
    const before = twilio.requests.length;
    const d = await smsDelivery(await send(alert('Inasistencia número 3 – día lúnes')));
    expect(d!.status).toBe('sent');
    const req = twilio.requests[before];
    expect(req.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:token-de-prueba`).toString('base64')}`);
    const body = req.form.get('Body')!;
    expect(body).toBe('SICORA: Inasistencia numero 3 - dia lunes. Revisa tu asistencia en https://sicora.test/a');
    expect(body.length).toBeLessThanOrEqual(306);
    expect(req.form.get('To')).toBe('+573001234567');
  });

  it('when the SMS is longer than 306 characters, then it is cut to 303 + "..." with the warning truncated', async () => {
    const before = twilio.requests.length;
    const d = await smsDelivery(await send(alert('x'.repeat(400))));
    const body = twilio.requests[before].form.get('Body')!;
    expect(body).toHaveLength(306);
    expect(body.endsWith('...')).toBe(true);
    const [a] = await h.db.query<{ warnings: string[] }>('SELECT warnings FROM notification.delivery_attempts WHERE delivery_id = $1', [d!.id]);
    expect(a.warnings).toEqual(['truncated']);
  });
});

describe('throttling (R21)', () => {
  const sms = (priority: string) => ({ type: 'attendance.alert_for_student', priority, target_users: [uid(23)], channels: ['sms'], data: { title: 'Alerta', alert_url: 'https://sicora.test/a' } });
  const row = async (id: string) => (await h.db.query<{ id: string; status: string; status_reason: string | null; not_before: string | null }>(
    "SELECT id, status, status_reason, not_before FROM notification.deliveries WHERE notification_id = $1 AND channel = 'sms'", [id]))[0];

  it('when 3 SMS went out in the last hour, then a 4th high one waits until the first leaves the window; a critical one goes at once', async () => {
    const start = h.clock.now;
    const firstAt = h.clock.now;
    for (let i = 0; i < 3; i++) {
      expect((await smsDelivery(await send(sms('high'))))!.status).toBe('sent');
      h.clock.now += 60_000;
    }
    const held = await send(sms('high'));
    const d = await vi.waitUntil(async () => { const r = await row(held); return r?.status === 'pending' ? r : undefined; }, poll);
    expect(d).toMatchObject({ status: 'pending', status_reason: 'throttled' });
    expect(new Date(d!.not_before!).getTime()).toBe(firstAt + 3_600_000);
    expect((await smsDelivery(await send(sms('critical'))))!.status).toBe('sent');
    // Held for more than 24 h (simulated age) while the limit is still reached → skipped.
    await h.db.query("UPDATE notification.deliveries SET created_at = $2, not_before = $3 WHERE id = $1", [d!.id, new Date(h.clock.now - 25 * 3_600_000).toISOString(), new Date(h.clock.now - 1000).toISOString()]);
    await h.app.notificationWorker!.sweep();
    await expect.poll(async () => (await row(held)).status, poll).toBe('skipped');
    expect((await row(held)).status_reason).toBe('throttled');
    h.clock.now = start;
  });
});

describe('Twilio status callback (W1)', () => {
  const CALLBACK = 'https://sicora.test/api/v1/notifications/providers/twilio/status';
  const post = (form: Record<string, string>, signature?: string) => h.app.inject({
    method: 'POST', url: '/api/v1/notifications/providers/twilio/status', payload: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature ?? twilioSignature('token-de-prueba', CALLBACK, form) },
  });
  let next = 30;
  const sentSms = async () => {
    // A fresh recipient each time, so R21's 3-per-hour SMS limit does not hold the message.
    const n = next++;
    h.dir.people.set(uid(n), person(n, { phone: `+5730055500${n}` }));
    const d = await smsDelivery(await send({ ...alert('Recibo'), target_users: [uid(n)] }));
    const [r] = await h.db.query<{ provider_message_id: string; notification_id: string }>('SELECT provider_message_id, notification_id FROM notification.deliveries WHERE id = $1', [d!.id]);
    return { ...d!, ...r };
  };

  it('when W1 posts delivered with a valid signature, then the delivery is delivered; undelivered makes another dead', async () => {
    const a = await sentSms();
    expect((await post({ MessageSid: a.provider_message_id, MessageStatus: 'delivered' })).statusCode).toBe(200);
    const [da] = await h.db.query<{ status: string }>('SELECT status FROM notification.deliveries WHERE id = $1', [a.id]);
    expect(da.status).toBe('delivered');
    const b = await sentSms();
    expect((await post({ MessageSid: b.provider_message_id, MessageStatus: 'undelivered', ErrorCode: '30003' })).statusCode).toBe(200);
    const [db] = await h.db.query<{ status: string; status_reason: string; last_error_code: string }>('SELECT status, status_reason, last_error_code FROM notification.deliveries WHERE id = $1', [b.id]);
    expect(db).toEqual({ status: 'dead', status_reason: 'provider_reported_failure', last_error_code: 'TWILIO_30003' });
    const [n] = await h.db.query<{ status: string }>('SELECT status FROM notification.notifications WHERE id = $1', [b.notification_id]);
    expect(n.status).toBe('failed');
    expect((await post({ MessageSid: 'SMunknown', MessageStatus: 'delivered' })).statusCode).toBe(200);
  });

  it('when the signature is wrong, then 403 INVALID_SIGNATURE and nothing changes', async () => {
    const c = await sentSms();
    expectError(await post({ MessageSid: c.provider_message_id, MessageStatus: 'delivered' }, 'bm90LXZhbGlk'), 403, 'INVALID_SIGNATURE');
    const [dc] = await h.db.query<{ status: string }>('SELECT status FROM notification.deliveries WHERE id = $1', [c.id]);
    expect(dc.status).toBe('sent');
  });

  it('when the receipt comes as JSON instead of a form, then 415 UNSUPPORTED_MEDIA_TYPE and nothing changes, even with a valid signature', async () => {
    const c = await sentSms();
    const form = { MessageSid: c.provider_message_id, MessageStatus: 'delivered' };
    const res = await h.app.inject({
      method: 'POST', url: '/api/v1/notifications/providers/twilio/status', payload: form,
      headers: { 'x-twilio-signature': twilioSignature('token-de-prueba', CALLBACK, form) },
    });
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const [dc] = await h.db.query<{ status: string }>('SELECT status FROM notification.deliveries WHERE id = $1', [c.id]);
    expect(dc.status).toBe('sent');
  });
});
