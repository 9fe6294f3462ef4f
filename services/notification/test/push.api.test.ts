import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeJwt } from 'jose';
import { expectOk } from '@sicora/platform/testing/http';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';

let h: Harness;
let fcm: Server;
let base: string;
const tokenCalls: URLSearchParams[] = [];
const sends: Array<{ auth: string; message: { token: string; notification: { title: string; body: string }; android: { priority: string } } }> = [];
const unregistered = new Set(['tok-dead-android-0001']);

beforeAll(async () => {
  fcm = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/token') {
        tokenCalls.push(new URLSearchParams(raw));
        return res.end(JSON.stringify({ access_token: `ya29.fake-${tokenCalls.length}`, expires_in: 3600, token_type: 'Bearer' }));
      }
      const body = JSON.parse(raw);
      sends.push({ auth: String(req.headers.authorization), message: body.message });
      if (unregistered.has(body.message.token)) {
        res.statusCode = 404;
        return res.end(JSON.stringify({ error: { code: 404, status: 'NOT_FOUND', message: 'Requested entity was not found.', details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' }] } }));
      }
      res.end(JSON.stringify({ name: `projects/sicora-test/messages/${sends.length}` }));
    });
  });
  await new Promise<void>((r) => fcm.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(fcm.address() as { port: number }).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const credentials = { project_id: 'sicora-test', client_email: 'push@sicora-test.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), token_uri: `${base}/token` };
  h = await createHarness({ FCM_CREDENTIALS: JSON.stringify(credentials), FCM_API_BASE_URL: base });
  h.clock.now = Date.parse('2026-03-03T15:00:00Z'); // 10:00 in Bogotá: outside quiet hours
  h.dir.people.set(uid(10), person(10, { role: 'instructor' }));
}, 60_000);

afterAll(async () => {
  await h?.close();
  await new Promise<void>((r) => { fcm.closeAllConnections(); fcm.close(() => r()); });
});

const carlos = () => h.token({ role: 'instructor', sub: uid(10) });
const push = async (priority = 'normal') => {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${await h.token({ name: 'schedules' })}` }, payload: { type: 'schedule.changed', priority, target_users: [uid(10)], channels: ['push'], data: { subject: 'Programación', group_number: '2826503' } } });
  const { id } = expectOk(res, 202);
  return vi.waitUntil(async () => {
    const [d] = await h.db.query<{ id: string; status: string; status_reason: string | null }>("SELECT id, status, status_reason FROM notification.deliveries WHERE notification_id = $1", [id]);
    return d && !['queued', 'sending'].includes(d.status) ? d : undefined;
  }, poll);
};

describe('push through FCM v1 (R39)', () => {
  it('when one of two devices is UNREGISTERED, then the delivery is sent, that token disabled and D2 lists one device', async () => {
    for (const token of ['tok-live-android-0001', 'tok-dead-android-0001']) {
      await h.app.inject({ method: 'POST', url: '/api/v1/notifications/devices', headers: { authorization: `Bearer ${await carlos()}` }, payload: { token, platform: 'android' } });
    }
    const d = await push('high');
    expect(d).toMatchObject({ status: 'sent' });
    const [dead] = await h.db.query<{ disabled_reason: string }>("SELECT disabled_reason FROM notification.device_tokens WHERE token = 'tok-dead-android-0001'");
    expect(dead.disabled_reason).toBe('unregistered');
    const devices = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/notifications/devices', headers: { authorization: `Bearer ${await carlos()}` } }));
    expect(devices.map((x: { token_suffix: string }) => x.token_suffix)).toEqual(['…oid-0001']);
    const live = sends.find((s) => s.message.token === 'tok-live-android-0001')!;
    expect(live.message.notification.title).toBe('Cambio de horario: Programación (ficha 2826503)');
    expect(live.message.android.priority).toBe('HIGH');
    const [a] = await h.db.query<{ device_results: Array<{ token_suffix: string; result: string }> }>('SELECT device_results FROM notification.delivery_attempts WHERE delivery_id = $1', [d!.id]);
    expect(a.device_results).toEqual(expect.arrayContaining([{ token_suffix: 'oid-0001', result: 'sent' }]));
    // The assertion exchanged at the token endpoint is the service account's RS256 JWT.
    const claims = decodeJwt(tokenCalls[0].get('assertion')!);
    expect(claims).toMatchObject({ iss: 'push@sicora-test.iam.gserviceaccount.com', aud: `${base}/token`, scope: 'https://www.googleapis.com/auth/firebase.messaging' });
    expect(tokenCalls[0].get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
  });

  it('when 5 pushes follow within the hour, then the token endpoint is not called again', async () => {
    const before = tokenCalls.length;
    for (let i = 0; i < 5; i++) expect((await push())!.status).toBe('sent');
    expect(tokenCalls.length).toBe(before);
    expect(sends.at(-1)!.auth).toBe('Bearer ya29.fake-1');
  });

  it('when every device is gone, then the delivery is skipped (no_destination)', async () => {
    unregistered.add('tok-live-android-0001');
    const d = await push();
    expect(d).toMatchObject({ status: 'skipped', status_reason: 'no_destination' });
  });
});
