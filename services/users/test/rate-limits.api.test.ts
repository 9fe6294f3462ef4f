import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { startUsers, T0, type Harness } from './harness.ts';

const HOUR = 3_600_000;

describe('R14 fixed windows on the service clock', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startUsers();
  });
  afterAll(async () => {
    await h.close();
  });

  const forgot = (ip: string) =>
    h.app.inject({ method: 'POST', url: '/api/v1/auth/forgot-password', payload: { identifier: 'nadie@x.co' }, headers: { 'x-forwarded-for': ip } });

  it('when an IP sends 21 forgot-password requests in one hour window, then the 21st is 429 with Retry-After up to the window end; the next window counts afresh', async () => {
    h.setNow(new Date(T0.getTime() + 15_000));
    for (let i = 0; i < 20; i++) expectOk(await forgot('190.24.8.1'));
    const refused = await forgot('190.24.8.1');
    expectError(refused, 429, 'RATE_LIMITED');
    expect(refused.headers['retry-after']).toBe(String(3600 - 15));
    expect(refused.headers['x-ratelimit-limit']).toBeUndefined();
    h.advance(HOUR);
    expectOk(await forgot('190.24.8.1'));
  });
});

describe('R14 with Redis unreachable', () => {
  it('when the counter store does not answer, then the request is let through and a warning names the limit', async () => {
    const lines: Array<{ level: number; msg: string; limiter?: string }> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const h = await startUsers({ env: { REDIS_URL: 'redis://127.0.0.1:1' }, overrides: { logger } });
    try {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: 'nadie@x.co', password: 'x' } });
      expectError(res, 401, 'INVALID_CREDENTIALS');
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'rate limit store unavailable; request let through', limiter: 'login' }));
    } finally {
      await h.close();
    }
  });
});
