import { describe, expect, it } from 'vitest';
import { ttlBatchLookup, ttlCache } from '../src/ttl-cache.ts';

function clock() {
  let t = Date.parse('2026-12-07T12:00:00Z');
  return { now: () => new Date(t), move: (ms: number) => (t += ms) };
}

describe('ttlCache', () => {
  it('when a key is read twice within its time, then one load; after it, a new load', async () => {
    const c = clock();
    const cache = ttlCache<number>(60_000, c.now);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache('a', load)).toBe(1);
    c.move(59_999);
    expect(await cache('a', load)).toBe(1);
    c.move(1);
    expect(await cache('a', load)).toBe(2);
  });

  it('when a load fails, then nothing is held and the next call loads again', async () => {
    const cache = ttlCache<number>(60_000, clock().now);
    await expect(cache('a', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache('a', async () => 7)).toBe(7);
  });

  it('when the map is full, then expired entries go first and fresh ones stay', async () => {
    const c = clock();
    const cache = ttlCache<string>(1_000, c.now, 2);
    await cache('old', async () => 'old-1');
    c.move(1_000);
    await cache('fresh', async () => 'fresh-1');
    await cache('third', async () => 'third-1');
    expect(await cache('fresh', async () => 'fresh-2')).toBe('fresh-1');
  });
});

describe('ttlBatchLookup', () => {
  it('when ids repeat within the time, then only the ids not held are asked, and an absent id is not asked again', async () => {
    const c = clock();
    const asked: string[][] = [];
    const lookup = ttlBatchLookup<{ id: string }>(async (ids) => {
      asked.push(ids);
      return ids.filter((id) => id !== 'gone').map((id) => ({ id }));
    }, 60_000, c.now);
    expect((await lookup(['a', 'b', 'a', 'gone'])).map((p) => p.id)).toEqual(['a', 'b']);
    expect((await lookup(['b', 'c', 'gone'])).map((p) => p.id)).toEqual(['b', 'c']);
    expect(asked).toEqual([['a', 'b', 'gone'], ['c']]);
    c.move(60_000);
    await lookup(['a']);
    expect(asked.at(-1)).toEqual(['a']);
  });
});
