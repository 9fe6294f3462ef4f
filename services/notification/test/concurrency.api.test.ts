/**
 * R34: at most 20 concurrent requests reach Twilio and FCM from one worker process, even when the worker
 * runs more sends at once (NOTIFICATION_WORKER_CONCURRENCY 60 here, so the cap is the limiter's). A first
 * message is held at the fake while 60 more become due, so all 60 are fetched together on either back end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk } from '@sicora/platform/testing/http';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';
import { startFcmFake, startTwilioFake, type HttpFake } from './sms-fakes.ts';

let h: Harness;
let twilio: HttpFake;
let fcm: HttpFake & { credentials: string };
const SID = 'AC00000000000000000000000000000002';

beforeAll(async () => {
  twilio = await startTwilioFake();
  fcm = await startFcmFake();
  h = await createHarness({
    NOTIFICATION_WORKER_CONCURRENCY: '60', FCM_CREDENTIALS: fcm.credentials, FCM_API_BASE_URL: fcm.url,
    TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 'token-de-prueba', TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: twilio.url, SMS_PROVIDER_ORDER: 'twilio',
  });
  h.clock.now = Date.parse('2026-03-03T15:00:00Z'); // 10:00 in Bogotá: outside quiet hours
}, 60_000);

afterAll(async () => {
  await h?.close();
  await twilio?.close();
  await fcm?.close();
});

const notify = async (payload: object) =>
  expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${await h.token()}` }, payload }), 202).id as string;
const statuses = (notificationId: string) =>
  h.db.query<{ status: string }>('SELECT status FROM notification.deliveries WHERE notification_id = $1', [notificationId]);

/** Holds one message at `fake`, lets 60 more become due, releases, and returns the 60 notification's id. */
async function burst(fake: HttpFake, payload: (users: string[]) => object, first: number): Promise<string> {
  const users = Array.from({ length: 61 }, (_, i) => uid(first + i));
  let release!: () => void;
  fake.gate = new Promise<void>((r) => (release = r));
  fake.delayMs = 150;
  fake.maxInFlight = 0;
  try {
    const blocker = await notify(payload(users.slice(0, 1)));
    await expect.poll(async () => fake.inFlight >= 1, poll).toBe(true);
    const id = await notify(payload(users.slice(1)));
    await expect.poll(async () => {
      const rows = await statuses(id);
      return rows.length === 60 && rows.every((r) => ['queued', 'sending'].includes(r.status));
    }, poll).toBe(true);
    await new Promise((r) => setTimeout(r, 500)); // the fan-out's enqueues land
    release();
    await expect.poll(async () => (await statuses(blocker))[0]?.status, poll).toBe('sent');
    return id;
  } finally {
    release();
    fake.gate = undefined;
  }
}

describe('provider concurrency (R34)', () => {
  it('R34: when 60 pushes are due at once, then at most 20 concurrent requests reach FCM and all are sent', async () => {
    for (let i = 0; i < 61; i++) {
      const n = 200 + i;
      h.dir.people.set(uid(n), person(n));
      expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/notifications/devices', headers: { authorization: `Bearer ${await h.token({ role: 'aprendiz', sub: uid(n) })}` }, payload: { token: `tok-${n}`, platform: 'android' } }), 201);
    }
    const id = await burst(fcm, (users) => ({ type: 'schedule.changed', target_users: users, channels: ['push'], data: { subject: 'Programación', group_number: '2826503' } }), 200);
    await expect.poll(async () => (await statuses(id)).every((r) => r.status === 'sent'), { ...poll, timeout: 30_000 }).toBe(true);
    expect(fcm.maxInFlight).toBeLessThanOrEqual(20);
    // The worker did run them side by side: the cap, not a lack of work, bounded the fake.
    expect(fcm.maxInFlight).toBeGreaterThanOrEqual(10);
  });

  it('R34: when 60 SMS are due at once, then at most 20 concurrent requests reach Twilio and all are sent', async () => {
    for (let i = 0; i < 61; i++) h.dir.people.set(uid(300 + i), person(300 + i));
    const id = await burst(twilio, (users) => ({ type: 'attendance.alert_for_student', priority: 'high', target_users: users, channels: ['sms'], data: { title: 'Alerta', alert_url: 'https://sicora.test/a' } }), 300);
    await expect.poll(async () => (await statuses(id)).every((r) => r.status === 'sent'), { ...poll, timeout: 30_000 }).toBe(true);
    expect(twilio.maxInFlight).toBeLessThanOrEqual(20);
    expect(twilio.maxInFlight).toBeGreaterThanOrEqual(10);
  });
});
