import { afterEach, describe, expect, it } from 'vitest';
import { BreakerOpenError, CountedFailure, createBreaker, isBreakerRefusal, isBreakerTimeout, type Breaker, type BreakerOptions, type BreakerState } from '../src/breaker.ts';

const start = Date.parse('2026-03-03T15:00:00Z');
let clock = start;
const open: Breaker[] = [];

afterEach(() => {
  open.splice(0).forEach((b) => b.shutdown());
  clock = start;
});

function breaker(opts: BreakerOptions = {}) {
  const changes: BreakerState[] = [];
  const b = createBreaker('test', { now: () => new Date(clock), onStateChange: (s) => changes.push(s), ...opts });
  open.push(b);
  return { b, changes };
}

const ok = () => Promise.resolve('ok');
const counted = () => Promise.reject(new CountedFailure('down'));
const settle = (b: Breaker, action: () => Promise<unknown>) => b.run(action).catch((err: unknown) => err);

describe('opening', () => {
  it('when the failure rate is exactly the threshold, then the breaker stays closed; just above it, it opens (opossum opens strictly above)', async () => {
    const half = breaker({ volumeThreshold: 4, errorThresholdPercentage: 50 }).b;
    for (const action of [ok, ok, counted, counted]) await settle(half, action);
    expect(half.state()).toBe('closed');
    const { b, changes } = breaker({ volumeThreshold: 4, errorThresholdPercentage: 49.99 });
    for (const action of [ok, ok, counted, counted]) await settle(b, action);
    expect(b.state()).toBe('open');
    expect(changes).toEqual(['open']);
    expect(b.stats()).toMatchObject({ state: 'open', openedAt: new Date(start), downSince: new Date(start), failureRatio: 0.5, windowRequests: 4 });
  });

  it('when fewer calls than the volume threshold fail, then the breaker stays closed', async () => {
    const { b } = breaker({ volumeThreshold: 5 });
    for (let i = 0; i < 4; i++) await settle(b, counted);
    expect(b.stats()).toMatchObject({ state: 'closed', failureRatio: 1, windowRequests: 4 });
  });

  it('when an action throws an error that does not count, then it passes through and counts as a success', async () => {
    const { b } = breaker({ volumeThreshold: 1 });
    await expect(b.run(() => Promise.reject(new Error('404 is an answer')))).rejects.toThrow('404 is an answer');
    expect(b.stats()).toMatchObject({ state: 'closed', failureRatio: 0, windowRequests: 1 });
  });

  it('when isFailure is given, then it decides what counts', async () => {
    const { b } = breaker({ volumeThreshold: 2, isFailure: (err) => (err as { counted?: boolean }).counted === true });
    await settle(b, () => Promise.reject(Object.assign(new Error('503'), { counted: true })));
    await settle(b, () => Promise.reject(Object.assign(new Error('503'), { counted: true })));
    expect(b.state()).toBe('open');
  });

  it('when failures leave the rolling window on the clock, then they no longer count', async () => {
    const { b } = breaker({ volumeThreshold: 3, rollingCountTimeoutMs: 10_000, rollingCountBuckets: 10 });
    await settle(b, counted);
    await settle(b, counted);
    clock += 10_000;
    expect(b.stats().windowRequests).toBe(0);
    await settle(b, counted);
    expect(b.state()).toBe('closed');
  });
});

describe('open and half-open', () => {
  async function opened(opts: BreakerOptions = {}) {
    const made = breaker({ volumeThreshold: 2, resetTimeoutMs: 60_000, ...opts });
    await settle(made.b, counted);
    await settle(made.b, counted);
    expect(made.b.state()).toBe('open');
    return made;
  }

  it('when open, then calls are refused without running and without counting, with the time until half-open', async () => {
    const { b } = await opened();
    let ran = false;
    expect(await b.run(async () => (ran = true))).toBeUndefined();
    expect(ran).toBe(false);
    expect(b.stats().windowRequests).toBe(2);
    clock += 20_500;
    expect(b.admit()).toEqual({ admitted: false, retryAt: new Date(start + 60_000), retryAfterSeconds: 40 });
    expect(b.retryAt()).toEqual(new Date(start + 60_000));
    const refusal = await b.fire(ok).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(BreakerOpenError);
    expect(isBreakerRefusal(refusal)).toBe(true);
    expect((refusal as BreakerOpenError).retryAt).toEqual(new Date(start + 60_000));
  });

  it('when the clock reaches the reset time, then one trial goes through, others are refused meanwhile, and its success closes the breaker', async () => {
    const { b, changes } = await opened();
    clock = start + 60_000;
    expect(b.state()).toBe('half_open');
    expect(b.admit()).toEqual({ admitted: true });
    let release!: (v: string) => void;
    const trial = b.run(() => new Promise<string>((r) => (release = r)));
    expect(b.state()).toBe('half_open');
    expect(await b.run(ok)).toBeUndefined();
    expect(b.admit()).toMatchObject({ admitted: false, retryAfterSeconds: 1 });
    release('fine');
    expect(await trial).toEqual({ value: 'fine' });
    expect(b.stats()).toMatchObject({ state: 'closed', openedAt: null, downSince: null });
    expect(changes).toEqual(['open', 'half_open', 'closed']);
  });

  it('when the trial fails, then the breaker opens for a full reset period and downSince keeps the first opening', async () => {
    const { b, changes } = await opened();
    clock = start + 60_000;
    await settle(b, counted);
    expect(b.stats()).toMatchObject({ state: 'open', openedAt: new Date(start + 60_000), downSince: new Date(start) });
    expect(b.retryAt()).toEqual(new Date(start + 120_000));
    clock = start + 120_000;
    expect(await b.run(ok)).toEqual({ value: 'ok' });
    expect(changes).toEqual(['open', 'half_open', 'open', 'half_open', 'closed']);
  });

  it('when the trial ends with an error that does not count, then the target answered and the breaker closes', async () => {
    const { b } = await opened();
    clock = start + 60_000;
    await expect(b.run(() => Promise.reject(new Error('422')))).rejects.toThrow('422');
    expect(b.stats()).toMatchObject({ state: 'closed', downSince: null });
  });

  it('when resetStatsOnClose is set, then a close starts from an empty window', async () => {
    const { b } = await opened({ resetStatsOnClose: true, rollingCountTimeoutMs: 600_000 });
    clock = start + 60_000;
    await b.run(ok);
    expect(b.stats()).toMatchObject({ state: 'closed', windowRequests: 0, failureRatio: 0 });
  });

  it('when a readiness probe succeeds, then it closes the breaker only once it is half-open', async () => {
    const { b } = await opened();
    b.probeSucceeded();
    expect(b.state()).toBe('open');
    clock = start + 60_000;
    b.probeSucceeded();
    expect(b.state()).toBe('closed');
  });

  it('when the breaker is reset, then it is closed with empty statistics', async () => {
    const { b, changes } = await opened();
    b.reset();
    expect(b.stats()).toMatchObject({ state: 'closed', windowRequests: 0, openedAt: null });
    expect(changes).toEqual(['open', 'closed']);
  });

  it('on real time, when the reset timeout passes, then onStateChange hears of half-open without any call', async () => {
    const changes: BreakerState[] = [];
    const b = createBreaker('real', { volumeThreshold: 1, resetTimeoutMs: 30, onStateChange: (s) => changes.push(s) });
    open.push(b);
    await settle(b, counted);
    await expect.poll(() => changes, { interval: 10 }).toEqual(['open', 'half_open']);
  });
});

describe('timeouts', () => {
  it('when timeoutMs is set and actions hang, then each call fails with an opossum timeout, which counts', async () => {
    const { b } = breaker({ volumeThreshold: 2, timeoutMs: 20, isFailure: () => false });
    const hang = () => settle(b, () => new Promise<never>(() => undefined));
    const first = await hang();
    expect(isBreakerTimeout(first)).toBe(true);
    expect(isBreakerTimeout(new Error('x'))).toBe(false);
    await hang();
    expect(b.state()).toBe('open');
  });
});

describe('forced states', () => {
  it('when forced open, then every call is refused; forced closed, then every call runs uncounted; cleared, the breaker is itself again', async () => {
    const { b } = breaker({ volumeThreshold: 1, resetTimeoutMs: 30_000 });
    b.force('open');
    expect(await b.run(ok)).toBeUndefined();
    expect(b.admit()).toMatchObject({ admitted: false, retryAfterSeconds: 30 });
    expect(b.stats()).toMatchObject({ state: 'closed', forced: 'open' });
    b.force('closed');
    for (let i = 0; i < 3; i++) await settle(b, counted);
    expect(await b.run(ok)).toEqual({ value: 'ok' });
    expect(b.admit()).toEqual({ admitted: true });
    expect(b.stats()).toMatchObject({ state: 'closed', forced: 'closed', windowRequests: 0 });
    b.force(null);
    await settle(b, counted);
    expect(b.stats()).toMatchObject({ state: 'open', forced: null });
  });
});

describe('backward compatibility', () => {
  it('when the state listener is passed as the third argument, then it hears the changes', async () => {
    const changes: BreakerState[] = [];
    const b = createBreaker('compat', { volumeThreshold: 1 }, (s) => changes.push(s));
    open.push(b);
    await settle(b, counted);
    expect(changes).toEqual(['open']);
  });
});
