/** §7's 60 s caches on the injected clock: hits within the window, misses after it, failures not kept. */
import { describe, expect, it } from 'vitest';
import { errors } from '@sicora/platform/errors';
import { cachedSchedules, cachedUsers } from '../src/application/cache.ts';
import { fakeSchedules, fakeUsers } from './fakes.ts';

describe('remote read caches', () => {
  it('when W3, W2 or G1 is read twice within 60 s, then schedules is asked once; after 60 s again; G7 is never cached', async () => {
    const clock = { now: new Date('2026-03-09T11:00:00Z') };
    const fake = fakeSchedules();
    const port = cachedSchedules(fake, () => clock.now);
    for (let i = 0; i < 2; i++) {
      await port.session('a', '2026-03-09');
      await port.sessions({ date: '2026-03-09', group_id: 'g' });
      await port.assignedGroups('x', '2026-03-09');
      await port.apprentices('g');
    }
    expect(fake.calls.filter((c) => c.startsWith('W3')).length).toBe(1);
    expect(fake.calls.filter((c) => c.startsWith('W2')).length).toBe(1);
    expect(fake.calls.filter((c) => c.startsWith('G1')).length).toBe(1);
    expect(fake.calls.filter((c) => c.startsWith('G7')).length).toBe(2);
    clock.now = new Date('2026-03-09T11:01:00Z');
    await port.session('a', '2026-03-09');
    expect(fake.calls.filter((c) => c.startsWith('W3')).length).toBe(2);
    // K3 is kept 24 h.
    await port.nonTeachingDays(2026);
    clock.now = new Date('2026-03-10T10:59:00Z');
    await port.nonTeachingDays(2026);
    expect(fake.calls.filter((c) => c.startsWith('K3')).length).toBe(1);
  });

  it('when a read fails, then the failure is not cached', async () => {
    const clock = { now: new Date('2026-03-09T11:00:00Z') };
    const fake = fakeSchedules();
    const port = cachedSchedules(fake, () => clock.now);
    fake.down = true;
    await expect(port.assignedGroups('x', 'd')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    fake.down = false;
    await expect(port.assignedGroups('x', 'd')).resolves.toEqual([]);
  });

  it('when people are looked up, then only ids not held for 60 s go to users', async () => {
    const clock = { now: new Date('2026-03-09T11:00:00Z') };
    const fake = fakeUsers();
    const a = fake.add({ role: 'aprendiz' });
    const b = fake.add({ role: 'aprendiz' });
    let asked: string[][] = [];
    const port = cachedUsers({ lookup: async (ids) => (asked.push(ids), fake.lookup(ids)) }, () => clock.now);
    expect((await port.lookup([a.id])).map((p) => p.id)).toEqual([a.id]);
    expect((await port.lookup([a.id, b.id, 'unknown'])).map((p) => p.id)).toEqual([a.id, b.id]);
    expect(asked).toEqual([[a.id], [b.id, 'unknown']]);
    await port.lookup(['unknown']);
    expect(asked).toHaveLength(2);
    clock.now = new Date('2026-03-09T11:01:00Z');
    asked = [];
    fake.down = true;
    await expect(port.lookup([a.id])).rejects.toEqual(errors.unavailable({ service: 'users' }));
  });
});
