/**
 * R40 provider breakers for e-mail (a real SMTP server), push (an FCM v1 fake) and SMS (Twilio and SNS
 * fakes: an open breaker is skipped, all open defers the delivery), their heartbeat in
 * `workers.breakers` and A9's view across workers. The breaker's window and half-open time follow the
 * harness clock, so the tests move time instead of waiting a minute.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectOk } from '@sicora/platform/testing/http';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';
import { startSmtpFake, type SmtpFake } from './smtp-fake.ts';
import { createProviderBreaker } from '../src/infrastructure/channels/provider-breaker.ts';
import { ChannelError } from '../src/application/ports.ts';
import { startFcmFake, startSnsFake, startTwilioFake, type HttpFake } from './sms-fakes.ts';

let h: Harness;
let smtp: SmtpFake;
let fcm: HttpFake & { credentials: string };

interface Row { id: string; status: string; status_reason: string | null; attempt_count: number; next_attempt_at: string | null }

beforeAll(async () => {
  smtp = await startSmtpFake();
  fcm = await startFcmFake();
  h = await createHarness({ SMTP_URL: smtp.url, FCM_CREDENTIALS: fcm.credentials, FCM_API_BASE_URL: fcm.url });
  h.clock.now = Date.parse('2026-03-03T15:00:00Z'); // 10:00 in Bogotá: outside quiet hours
}, 60_000);

afterAll(async () => {
  await h?.close();
  await smtp?.close();
  await fcm?.close();
});

let next = 100;
/** A fresh recipient per message, so R21's per-recipient limits never hold one. */
const fresh = () => {
  const n = next++;
  h.dir.people.set(uid(n), person(n));
  return uid(n);
};
const notify = async (payload: object) =>
  expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${await h.token()}` }, payload }), 202).id as string;
const email = () => notify({ type: 'user.activated', target_users: [fresh()], channels: ['email'] });
const push = async () => {
  const user = fresh();
  const device = { token: `tok-${user}`, platform: 'android' };
  expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/notifications/devices', headers: { authorization: `Bearer ${await h.token({ role: 'aprendiz', sub: user })}` }, payload: device }), 201);
  return notify({ type: 'schedule.changed', target_users: [user], channels: ['push'], data: { subject: 'Programación', group_number: '2826503' } });
};
const deliveryOf = async (notificationId: string) =>
  (await h.db.query<Row>('SELECT id, status, status_reason, attempt_count, next_attempt_at FROM notification.deliveries WHERE notification_id = $1', [notificationId]))[0];
const settled = (notificationId: string, statuses: string[]) => vi.waitUntil(async () => {
  const d = await deliveryOf(notificationId);
  return d && statuses.includes(d.status) ? d : undefined;
}, poll);
const attempts = (deliveryId: string) =>
  h.db.query<{ outcome: string; provider: string; error_code: string | null }>('SELECT outcome, provider, error_code FROM notification.delivery_attempts WHERE delivery_id = $1 ORDER BY started_at, attempt_no', [deliveryId]);
const providers = async () =>
  expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/notifications/admin/providers', headers: { authorization: `Bearer ${await h.token({ role: 'admin' })}` } })) as Array<{ name: string; circuit: string; circuit_opened_at: string | null }>;
const circuitOf = async (name: string) => (await providers()).find((p) => p.name === name)!;
const workerBreakers = async () =>
  (await h.db.query<{ breakers: Record<string, { state: string; opened_at: string | null }> }>('SELECT breakers FROM notification.workers'))[0]?.breakers;
const iso = (ms: number) => new Date(ms).toISOString();

describe('e-mail breaker (R40)', () => {
  let openedAt = 0;
  let deferred = '';
  const failed: string[] = [];

  it('R40: when the SMTP server refuses 5 e-mails permanently, then the breaker stays closed and the next e-mail is sent', async () => {
    smtp.rcptReplies.push(550, 550, 550, 550, 550);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await email());
    for (const id of ids) expect(await settled(id, ['dead', 'sent', 'retrying'])).toMatchObject({ status: 'dead', status_reason: 'permanent_provider_error' });
    expect(await settled(await email(), ['sent', 'retrying'])).toMatchObject({ status: 'sent', attempt_count: 1 });
    expect(await circuitOf('smtp')).toMatchObject({ circuit: 'closed', circuit_opened_at: null });
    h.clock.now += 61_000; // out of the 60 s window
  });

  it('R40: when the SMTP server fails 5 e-mails transiently, then the breaker opens and the next e-mail goes retrying at the half-open time with attempt_count unchanged', async () => {
    openedAt = h.clock.now;
    smtp.rcptReplies.push(451, 451, 451, 451, 451);
    for (let i = 0; i < 5; i++) failed.push(await email());
    for (const id of failed) expect(await settled(id, ['retrying', 'sent', 'dead'])).toMatchObject({ status: 'retrying', attempt_count: 1 });
    const received = smtp.received.length;
    deferred = await email();
    const d = await settled(deferred, ['retrying', 'sent', 'dead']);
    expect(d).toMatchObject({ status: 'retrying', attempt_count: 0 });
    expect(new Date(d!.next_attempt_at!).getTime()).toBe(openedAt + 60_000);
    expect(await attempts(d!.id)).toEqual([{ outcome: 'breaker_open', provider: 'smtp', error_code: 'BREAKER_OPEN' }]);
    expect(smtp.received.length).toBe(received);
    expect(await circuitOf('smtp')).toEqual(expect.objectContaining({ circuit: 'open', circuit_opened_at: iso(openedAt) }));
  });

  it('R40: when the smtp breaker opens, then the worker heartbeat writes workers.breakers with its state and opened_at', async () => {
    const breakers = await vi.waitUntil(async () => { const b = await workerBreakers(); return b?.smtp?.state === 'open' ? b : undefined; }, poll);
    expect(breakers).toEqual({ smtp: { state: 'open', opened_at: iso(openedAt) }, fcm: { state: 'closed', opened_at: null } });
  });

  it('R55: when the smtp breaker is open, then /metrics reports notification_provider_circuit_state 2 for smtp and 0 for fcm', async () => {
    const body = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(body).toMatch(/notification_provider_circuit_state\{[^}]*provider="smtp"[^}]*\} 2\b/);
    expect(body).toMatch(/notification_provider_circuit_state\{[^}]*provider="fcm"[^}]*\} 0\b/);
  });

  it('R40: when the clock reaches the half-open time, then a probe goes through, its success closes the breaker and every deferred e-mail is sent', async () => {
    h.clock.now = openedAt + 60_000 + 1;
    await h.app.notificationWorker!.sweep();
    await expect.poll(async () => (await circuitOf('smtp')).circuit, poll).toBe('closed');
    await expect.poll(async () => (await workerBreakers())?.smtp?.state, poll).toBe('closed');
    // E-mails refused while the probe was in flight wait for the probe's timeout (30 s), then go.
    h.clock.now += 31_000;
    await h.app.notificationWorker!.sweep();
    for (const id of failed) expect(await settled(id, ['sent', 'dead'])).toMatchObject({ status: 'sent', attempt_count: 2 });
    const d = await settled(deferred, ['sent', 'dead']);
    expect(d).toMatchObject({ status: 'sent', attempt_count: 1 });
    const outcomes = (await attempts(d!.id)).map((a) => a.outcome);
    expect(outcomes.at(-1)).toBe('sent');
    expect(outcomes.slice(0, -1).every((o) => o === 'breaker_open')).toBe(true);
    h.clock.now += 61_000;
  });
});

describe('push breaker (R40)', () => {
  const rejected = { status: 400, body: { error: { code: 400, status: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received.' } } };
  const unavailable = { status: 503, body: { error: { code: 503, status: 'UNAVAILABLE', message: 'The service is currently unavailable.' } } };

  it('R40: when FCM rejects 5 pushes permanently, then the breaker stays closed and the next push is sent', async () => {
    fcm.replies.push(rejected, rejected, rejected, rejected, rejected);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await push());
    for (const id of ids) expect(await settled(id, ['dead', 'sent', 'retrying'])).toMatchObject({ status: 'dead', status_reason: 'permanent_provider_error' });
    expect(await settled(await push(), ['sent', 'retrying'])).toMatchObject({ status: 'sent', attempt_count: 1 });
    expect((await circuitOf('fcm')).circuit).toBe('closed');
    h.clock.now += 61_000;
  });

  it('R40: when FCM answers 503 to 5 pushes, then the breaker opens and the next push goes retrying at the half-open time with attempt_count unchanged', async () => {
    const openedAt = h.clock.now;
    fcm.replies.push(unavailable, unavailable, unavailable, unavailable, unavailable);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await push());
    for (const id of ids) expect(await settled(id, ['retrying', 'sent', 'dead'])).toMatchObject({ status: 'retrying', attempt_count: 1 });
    const sends = fcm.requests.filter((r) => r.path !== '/token').length;
    const d = await settled(await push(), ['retrying', 'sent', 'dead']);
    expect(d).toMatchObject({ status: 'retrying', attempt_count: 0 });
    expect(new Date(d!.next_attempt_at!).getTime()).toBe(openedAt + 60_000);
    expect(await attempts(d!.id)).toEqual([{ outcome: 'breaker_open', provider: 'fcm', error_code: 'BREAKER_OPEN' }]);
    expect(fcm.requests.filter((r) => r.path !== '/token').length).toBe(sends);
    expect(await circuitOf('fcm')).toEqual(expect.objectContaining({ circuit: 'open', circuit_opened_at: iso(openedAt) }));
    await expect.poll(async () => (await workerBreakers())?.fcm?.state, poll).toBe('open');
  });
});

describe('A9 across workers (R40)', () => {
  it('R40: when another live worker reports a breaker open or half-open, then A9 shows the most open state with its opened_at; a worker unseen for over a minute does not count', async () => {
    const now = h.clock.now;
    const rows: Array<[string, number, object]> = [
      ['otro-host-101', now - 10_000, { twilio: { state: 'open', opened_at: iso(now - 300_000) }, smtp: { state: 'half_open', opened_at: iso(now - 70_000) } }],
      ['otro-host-102', now - 5_000, { twilio: { state: 'open', opened_at: iso(now - 120_000) }, smtp: { state: 'closed', opened_at: null } }],
      ['viejo-host-103', now - 120_000, { sns: { state: 'open', opened_at: iso(now - 600_000) } }],
    ];
    for (const [id, seen, breakers] of rows) {
      await h.db.query('INSERT INTO notification.workers (id, started_at, last_seen_at, breakers) VALUES ($1, $2, $2, $3)', [id, iso(seen), JSON.stringify(breakers)]);
    }
    try {
      const list = await providers();
      const by = (name: string) => list.find((p) => p.name === name)!;
      // The earliest opening among the live reports: open the longest.
      expect(by('twilio')).toMatchObject({ circuit: 'open', circuit_opened_at: iso(now - 300_000) });
      expect(by('smtp')).toMatchObject({ circuit: 'half_open', circuit_opened_at: iso(now - 70_000) });
      expect(by('sns')).toMatchObject({ circuit: 'closed', circuit_opened_at: null });
    } finally {
      await h.db.query("DELETE FROM notification.workers WHERE id IN ('otro-host-101', 'otro-host-102', 'viejo-host-103')");
    }
  });
});

describe('SMS breakers (R37, R40)', () => {
  let hs: Harness;
  let tw: HttpFake;
  let sns: HttpFake;
  let n = 400;
  const sms = async () => {
    hs.dir.people.set(uid(n), person(n));
    const payload = { type: 'attendance.alert_for_student', priority: 'high', target_users: [uid(n++)], channels: ['sms'], data: { title: 'Alerta', alert_url: 'https://sicora.test/a' } };
    const id = expectOk(await hs.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${await hs.token()}` }, payload }), 202).id as string;
    return vi.waitUntil(async () => {
      const [d] = await hs.db.query<Row & { provider: string | null }>('SELECT id, status, status_reason, attempt_count, next_attempt_at, provider FROM notification.deliveries WHERE notification_id = $1', [id]);
      return d && ['sent', 'retrying', 'dead'].includes(d.status) ? d : undefined;
    }, poll);
  };

  beforeAll(async () => {
    // Static dummy credentials: otherwise the AWS chain probes the instance metadata endpoint (R64).
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    tw = await startTwilioFake();
    sns = await startSnsFake();
    hs = await createHarness({
      TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000003', TWILIO_AUTH_TOKEN: 'token-de-prueba', TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: tw.url,
      AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SNS: sns.url,
    });
    hs.clock.now = Date.parse('2026-03-03T15:00:00Z');
  }, 60_000);

  afterAll(async () => {
    await hs?.close();
    await tw?.close();
    await sns?.close();
  });

  it('R40: when Twilio fails 5 times, then its breaker opens and the next SMS goes straight to SNS; when SNS opens too, the next SMS goes retrying at the half-open time', async () => {
    const openedAt = hs.clock.now;
    for (let i = 0; i < 5; i++) tw.replies.push({ status: 503, body: { code: 20503, message: 'no disponible', status: 503 } });
    for (let i = 0; i < 5; i++) expect(await sms()).toMatchObject({ status: 'sent', provider: 'sns' });
    const twilioCalls = tw.requests.length;
    const skipped = await sms();
    expect(skipped).toMatchObject({ status: 'sent', provider: 'sns', attempt_count: 1 });
    expect(tw.requests.length).toBe(twilioCalls);
    const [a] = await hs.db.query<{ failover_from: string; outcome: string }>('SELECT failover_from, outcome FROM notification.delivery_attempts WHERE delivery_id = $1', [skipped!.id]);
    expect(a).toEqual({ failover_from: 'twilio', outcome: 'sent' });
    // SNS has 6 successes in its window: 6 failures make 50 %, strictly above 49.99 %.
    for (let i = 0; i < 6; i++) sns.replies.push({ status: 500, body: { code: 'InternalError' } });
    for (let i = 0; i < 6; i++) expect(await sms()).toMatchObject({ status: 'retrying', attempt_count: 1 });
    const calls = tw.requests.length + sns.requests.length;
    const deferred = await sms();
    expect(deferred).toMatchObject({ status: 'retrying', attempt_count: 0 });
    expect(new Date(deferred!.next_attempt_at!).getTime()).toBe(openedAt + 60_000);
    expect(tw.requests.length + sns.requests.length).toBe(calls);
    const rows = await hs.db.query<{ outcome: string }>('SELECT outcome FROM notification.delivery_attempts WHERE delivery_id = $1', [deferred!.id]);
    expect(rows).toEqual([{ outcome: 'breaker_open' }]);
  });
});

describe('breaker timeouts (R40)', () => {
  it('R40: when a provider outlasts the attempt timeout 5 times, then each call fails as TIMEOUT and the breaker opens; a failed probe re-opens it, a good one closes it', async () => {
    const start = Date.parse('2026-03-03T15:00:00Z');
    let now = start;
    const breaker = createProviderBreaker('lento', { timeoutMs: 50, now: () => new Date(now) });
    const hang = () => breaker.run(() => new Promise<never>(() => undefined)).catch((e: unknown) => e);
    try {
      for (let i = 0; i < 5; i++) {
        const err = await hang();
        expect(err).toBeInstanceOf(ChannelError);
        expect(err).toMatchObject({ kind: 'transient', code: 'TIMEOUT' });
      }
      expect(breaker.snapshot()).toEqual({ state: 'open', opened_at: iso(start) });
      expect(await breaker.run(async () => 'no llega')).toBeUndefined();
      expect(breaker.retryAt().getTime()).toBe(start + 60_000);
      // At the half-open time one probe goes through; it times out too, so the breaker opens again for a
      // full reset period, while opened_at still marks the start of the unclosed stretch (R58).
      now = start + 60_000;
      expect(breaker.state()).toBe('half_open');
      expect(await hang()).toMatchObject({ code: 'TIMEOUT' });
      expect(breaker.snapshot()).toEqual({ state: 'open', opened_at: iso(start) });
      expect(breaker.retryAt().getTime()).toBe(start + 120_000);
      now = start + 120_000;
      expect(await breaker.run(async () => 'ok')).toEqual({ value: 'ok' });
      expect(breaker.snapshot()).toEqual({ state: 'closed', opened_at: null });
    } finally {
      breaker.shutdown();
    }
  });
});
