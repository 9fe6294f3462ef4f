/**
 * A fixed-window in-memory limiter (R14). One instance per process; with several replicas each
 * enforces its own share, which the README records.
 */
export interface RateLimiter {
  /** Counts one hit; returns the seconds to wait when over the limit, else 0. */
  hit(key: string): number;
}

export function createRateLimiter(opts: { limit: number; windowMs: number; now: () => number }): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = opts.now();
  return {
    hit(key) {
      const now = opts.now();
      if (now - lastSweep > opts.windowMs) {
        for (const [k, w] of windows) if (now - w.start >= opts.windowMs) windows.delete(k);
        lastSweep = now;
      }
      let w = windows.get(key);
      if (!w || now - w.start >= opts.windowMs) {
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      return w.count > opts.limit ? Math.max(1, Math.ceil((w.start + opts.windowMs - now) / 1000)) : 0;
    },
  };
}
