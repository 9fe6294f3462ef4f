/**
 * R18 through the platform's rate counter (memory, or Redis when REDIS_URL is set): the sliding minute,
 * the Bogota day, the headers of the tighter limit, and /status's count of the day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, seedKb, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  // 09 Mar 2026 15:00:00Z = 10:00 in Bogota (UTC−5), on a minute's start.
  h = await createHarness({ env: { AI_RATE_PER_MINUTE: '4', AI_RATE_PER_DAY: '8' } });
  seedKb(h.kb);
});
afterAll(async () => h.close());

const at = (iso: string) => (h.clock.now = new Date(iso));
const ask = (who: ReturnType<Harness['person']>, question = '¿Cómo justifico una inasistencia?') => h.inject('POST', '/api/v1/ai/ask', who, { question });

describe('R18 limits per user', () => {
  it('when 4 came in the last seconds of a minute, then half-way through the next only 2 more fit and the retry waits for the previous minute to weigh less', async () => {
    const a = h.person('aprendiz');
    at('2026-03-09T15:00:50Z');
    for (let i = 0; i < 4; i++) expect((await ask(a)).statusCode).toBe(200);
    const full = await ask(a);
    expect(full.statusCode).toBe(429);
    expect(full.json().error.details).toEqual({ limit: 4, window: 'minute' });
    expect(full.headers['retry-after']).toBe('10');
    at('2026-03-09T15:01:30Z');
    // estimate = 4 × 0.5 + current: 2 more, then refused until 4 × (1 − f) + 2 + 1 ≤ 4, i.e. f = 0.75 (15 s).
    const first = await ask(a);
    expect(first.statusCode).toBe(200);
    expect(first.headers).toMatchObject({ 'ratelimit-limit': '4', 'ratelimit-remaining': '1', 'ratelimit-reset': '30' });
    expect((await ask(a)).statusCode).toBe(200);
    const refused = await ask(a);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('15');
    at('2026-03-09T15:01:45Z');
    expect((await ask(a)).statusCode).toBe(200);
  });

  it('when a user used the 8 of the Bogota day, then the 9th is 429 until local midnight, the headers show the day, and /status counts them', async () => {
    const b = h.person('aprendiz');
    at('2026-03-09T15:10:00Z');
    for (let i = 0; i < 4; i++) expect((await ask(b)).statusCode).toBe(200);
    at('2026-03-09T15:15:00Z');
    for (let i = 0; i < 3; i++) expect((await ask(b)).statusCode).toBe(200);
    at('2026-03-09T15:20:00Z');
    const eighth = await ask(b);
    expect(eighth.statusCode).toBe(200);
    // 13 h 40 min to 00:00 in Bogota (05:00Z); the day has fewer left (0) than the minute (3).
    expect(eighth.headers).toMatchObject({ 'ratelimit-limit': '8', 'ratelimit-remaining': '0', 'ratelimit-reset': String(13 * 3600 + 40 * 60) });
    const ninth = await ask(b);
    expect(ninth.statusCode).toBe(429);
    expect(ninth.json().error.details).toEqual({ limit: 8, window: 'day' });
    expect(ninth.headers['retry-after']).toBe(String(13 * 3600 + 40 * 60));
    const status = (await h.inject('GET', '/api/v1/ai/status', b)).json().data;
    expect(status.limits).toEqual({ per_minute: 4, per_day: 8, used_today: 8, remaining_today: 0 });
    // 23:59 in Bogota is still the same day; 00:00 is a new one.
    at('2026-03-10T04:59:00Z');
    expect((await ask(b)).statusCode).toBe(429);
    at('2026-03-10T05:00:00Z');
    expect((await ask(b)).statusCode).toBe(200);
    expect((await h.inject('GET', '/api/v1/ai/status', b)).json().data.limits.used_today).toBe(1);
  });
});
