import { describe, expect, it, vi } from 'vitest';
import { createSession, REFRESH_KEY, type RefreshOutcome } from '../src/lib/session.ts';
import { channelPair, fakeJwt, memoryStorage, sharedLocks } from './helpers.tsx';

const NOW = Date.parse('2026-03-02T13:00:00Z');
const token = (n: number, expInS = 3600) => fakeJwt({ sub: 'u1', role: 'aprendiz', name: 'Ana Alba', exp: NOW / 1000 + expInS, jti: `j${n}` });
const pair = (n: number) => ({ access_token: token(n), refresh_token: `r${n}` });

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('session: refresh queue, rotation, expiry', () => {
  it('when five requests need a refresh at once, then one refresh is made and all get the new token, stored at once', async () => {
    const storage = memoryStorage({ [REFRESH_KEY]: 'r0' });
    const answer = deferred<RefreshOutcome>();
    const refresh = vi.fn(() => answer.promise);
    const session = createSession({ storage, refresh, now: () => NOW });
    const waiting = Array.from({ length: 5 }, () => session.refresh());
    answer.resolve({ ok: true, pair: pair(1) });
    expect(await Promise.all(waiting)).toEqual(Array(5).fill(token(1)));
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledWith('r0');
    expect(storage.getItem(REFRESH_KEY)).toBe('r1');
    expect(session.getState().claims?.name).toBe('Ana Alba');
  });

  it('when two tabs refresh together, then the second uses the token the first rotated and announced, never presenting the rotated one', async () => {
    const storage = memoryStorage({ [REFRESH_KEY]: 'r0' });
    const [a, b] = channelPair();
    const locks = sharedLocks();
    const presented: string[] = [];
    let n = 0;
    const refresh = vi.fn(async (rt: string): Promise<RefreshOutcome> => {
      presented.push(rt);
      await new Promise((r) => setTimeout(r, 5));
      n += 1;
      return { ok: true, pair: pair(n) };
    });
    const tab1 = createSession({ storage, refresh, locks, channel: a, now: () => NOW });
    const tab2 = createSession({ storage, refresh, locks, channel: b, now: () => NOW });
    const [t1, t2] = await Promise.all([tab1.refresh(), tab2.refresh()]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(presented).toEqual(['r0']);
    expect(t1).toBe(token(1));
    expect(t2).toBe(token(1));
    expect(tab2.accessToken()).toBe(token(1));
  });

  it('when the refresh token is refused as reused, then the session ends in every tab with a Spanish message and the stored token is gone', async () => {
    const storage = memoryStorage({ [REFRESH_KEY]: 'r0' });
    const [a, b] = channelPair();
    const tab1 = createSession({ storage, refresh: async () => ({ ok: false, kind: 'rejected', code: 'REFRESH_TOKEN_REUSED' }), channel: a, now: () => NOW });
    const tab2 = createSession({ storage, refresh: vi.fn(), channel: b, now: () => NOW });
    tab1.establish(pair(1));
    expect(tab2.getState().claims?.sub).toBe('u1');
    expect(await tab1.refresh()).toBeNull();
    expect(storage.getItem(REFRESH_KEY)).toBeNull();
    expect(tab1.getState()).toEqual({ claims: null, notice: expect.stringContaining('se cerró por seguridad') });
    expect(tab2.getState().claims).toBeNull();
    expect(tab2.getState().notice).toContain('se cerró por seguridad');
  });

  it('when the refresh endpoint cannot be reached, then the session is kept and the caller gets no token', async () => {
    const storage = memoryStorage({ [REFRESH_KEY]: 'r0' });
    const session = createSession({ storage, refresh: async () => ({ ok: false, kind: 'unavailable' }), now: () => NOW });
    session.establish(pair(1));
    expect(await session.refresh()).toBeNull();
    expect(storage.getItem(REFRESH_KEY)).toBe('r1');
    expect(session.getState().claims).not.toBeNull();
  });

  it('when the access token is within 30 s of its expiry, then it counts as expiring; with an hour left it does not', () => {
    let now = NOW;
    const session = createSession({ storage: memoryStorage(), refresh: vi.fn(), now: () => now });
    expect(session.expiringSoon()).toBe(true);
    session.establish({ access_token: token(1, 3600), refresh_token: 'r1' });
    expect(session.expiringSoon()).toBe(false);
    now = NOW + (3600 - 29) * 1000;
    expect(session.expiringSoon()).toBe(true);
  });

  it('when another tab signs out, then this tab forgets its token too', () => {
    const storage = memoryStorage();
    const [a, b] = channelPair();
    const tab1 = createSession({ storage, refresh: vi.fn(), channel: a, now: () => NOW });
    const tab2 = createSession({ storage, refresh: vi.fn(), channel: b, now: () => NOW });
    tab1.establish(pair(1));
    tab1.end(null);
    expect(tab2.accessToken()).toBeNull();
    expect(tab2.getState().claims).toBeNull();
  });
});
