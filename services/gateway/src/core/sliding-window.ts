/**
 * Sliding-window counter arithmetic (gateway.md R22–R24), shared by the memory store and the Redis
 * Lua script's caller: estimate = previous·(1 − f) + current, allowed when estimate + 1 ≤ limit.
 */
export interface WindowPosition {
  index: number;
  /** Elapsed fraction of the current window, 0 ≤ f < 1. */
  fraction: number;
  /** Seconds to the end of the current window. */
  resetSeconds: number;
}

export function windowPosition(nowMs: number, windowSeconds: number): WindowPosition {
  const w = windowSeconds * 1000;
  const index = Math.floor(nowMs / w);
  const elapsed = nowMs - index * w;
  return { index, fraction: elapsed / w, resetSeconds: Math.max(1, Math.ceil((w - elapsed) / 1000)) };
}

export function estimate(previous: number, current: number, fraction: number): number {
  return previous * (1 - fraction) + current;
}

export interface LimitVerdict {
  allowed: boolean;
  limit: number;
  windowSeconds: number;
  remaining: number;
  resetSeconds: number;
  retryAfterSeconds: number;
}

/**
 * Seconds until, with no further traffic, estimate + 1 ≤ limit: the previous window's share decays
 * linearly; once the window rolls over the current count becomes the decaying one.
 */
export function retryAfterSeconds(previous: number, current: number, fraction: number, limit: number, windowSeconds: number): number {
  const need = limit - 1;
  if (estimate(previous, current, fraction) <= need) return 1;
  const w = windowSeconds;
  if (current <= need && previous > 0) {
    // previous·(1 − f') + current ≤ need → f' ≥ 1 − (need − current)/previous, within this window.
    const f = 1 - (need - current) / previous;
    return Math.max(1, Math.ceil((f - fraction) * w));
  }
  // Next window: current becomes previous: current·(1 − g) ≤ need.
  const g = current > 0 ? Math.max(0, 1 - need / current) : 0;
  return Math.max(1, Math.ceil((1 - fraction) * w + g * w));
}

export function verdict(previous: number, current: number, pos: WindowPosition, limit: number, windowSeconds: number): LimitVerdict {
  const est = estimate(previous, current, pos.fraction);
  const allowed = est + 1 <= limit + 1e-9;
  return {
    allowed,
    limit,
    windowSeconds,
    remaining: Math.max(0, Math.floor(limit - est - 1 + 1e-9)),
    resetSeconds: pos.resetSeconds,
    retryAfterSeconds: allowed ? 0 : retryAfterSeconds(previous, current, pos.fraction, limit, windowSeconds),
  };
}
