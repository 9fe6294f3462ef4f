import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk } from '@sicora/platform/testing/http';
import { ChannelError, type ChannelProvider } from '../src/application/ports.ts';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';

let h: Harness;
const HOUR = 3_600_000;
const RESET_URL = 'http://localhost:5173/reset-password?token=secreto-de-prueba';

/** E-mail provider: addresses starting with "lento" always fail for now (transient), so their delivery stays in progress. */
const emailProvider: ChannelProvider = {
  name: 'mail-recorder', channel: 'email',
  async send(m) {
    if (m.to?.startsWith('lento')) throw new ChannelError('transient', 'SMTP_451', '451 intente más tarde');
    return { provider: 'mail-recorder', provider_message_id: `m-${m.delivery_id}` };
  },
};

const row = async (id: string) => (await h.db.query<{ data: Record<string, unknown>; data_erased_at: string | null }>(
  'SELECT data, data_erased_at FROM notification.notifications WHERE id = $1', [id]))[0];
const deliveryStatus = async (id: string) => (await h.db.query<{ status: string }>('SELECT status FROM notification.deliveries WHERE notification_id = $1', [id]))[0]?.status;

async function reset(user: number, extra: object = {}): Promise<string> {
  const res = await h.app.inject({
    method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${await h.token({ name: 'users' })}` },
    payload: { type: 'user.password_reset_requested', target_users: [uid(user)], data: { reset_url: RESET_URL, expires_in_minutes: 60 }, ...extra },
  });
  return expectOk(res, 202).id;
}

async function sweepAt(at: number): Promise<void> {
  h.clock.now = at;
  await h.app.notificationWorker!.sweep();
}

beforeAll(async () => {
  h = await createHarness({}, { providers: { email: emailProvider } });
  h.dir.people.set(uid(1), person(1, { email: 'lento1@demo.sicora.test' }));
  h.dir.people.set(uid(2), person(2, { email: 'rapido2@demo.sicora.test' }));
  h.dir.people.set(uid(3), person(3, { email: 'lento3@demo.sicora.test' }));
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('erasure of sensitive data (R60)', () => {
  it('R60: when a delivery is still in progress after 23 h, then data keeps its sensitive value; at 24 h, then it is erased', async () => {
    const t0 = h.clock.now;
    const id = await reset(1);
    await expect.poll(async () => (await deliveryStatus(id)), poll).toBe('retrying');
    await sweepAt(t0 + 23 * HOUR);
    expect(await row(id)).toMatchObject({ data: { reset_url: RESET_URL, expires_in_minutes: 60 }, data_erased_at: null });

    await sweepAt(t0 + 24 * HOUR);
    const after = await row(id);
    expect(after.data).toEqual({ expires_in_minutes: 60 });
    expect(new Date(after.data_erased_at!).getTime()).toBe(t0 + 24 * HOUR);
  });

  it('R60: when every delivery is terminal before 24 h, then the sensitive value is erased at once', async () => {
    const id = await reset(2);
    await expect.poll(async () => (await row(id)).data_erased_at !== null, poll).toBe(true);
    expect(await deliveryStatus(id)).toBe('sent');
    expect((await row(id)).data).toEqual({ expires_in_minutes: 60 });
  });

  it('R60: when a notification is scheduled for later, then its 24 h count from the scheduled time', async () => {
    const t0 = h.clock.now;
    const id = await reset(3, { scheduled_at: new Date(t0 + 48 * HOUR).toISOString() });
    await sweepAt(t0 + 25 * HOUR);
    expect((await row(id)).data).toMatchObject({ reset_url: RESET_URL });
    await sweepAt(t0 + 72 * HOUR);
    expect((await row(id)).data).toEqual({ expires_in_minutes: 60 });
  });
});
