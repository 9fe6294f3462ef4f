// A benchmark's life: what must be undone even when the run is cut short (a PostgreSQL database, a server
// process), a hard time limit and the signals that stop it, all in one place.
export function runGuard({ name, hardLimitMs }) {
  const cleanups = new Set();
  async function abort(why) {
    console.error(`${name} bench: ${why}, stopping`);
    for (const c of [...cleanups].reverse()) await c().catch(() => undefined);
    process.exit(1);
  }
  const guard = setTimeout(() => void abort(`over ${hardLimitMs / 1000} s`), hardLimitMs);
  guard.unref();
  process.once('SIGINT', () => void abort('SIGINT'));
  process.once('SIGTERM', () => void abort('SIGTERM'));
  return { cleanups, abort };
}

/** `fn(item, index)` over items with at most `n` in flight. */
export async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  }));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const range = (n) => Array.from({ length: n }, (_, i) => i);

const pct = (sorted, p) => (sorted.length === 0 ? null : +sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(1));
/** Count, p50/p95/p99 and max of latencies in milliseconds (nearest-rank percentiles). */
export function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return { count: s.length, p50_ms: pct(s, 50), p95_ms: pct(s, 95), p99_ms: pct(s, 99), max_ms: s.length ? +s[s.length - 1].toFixed(1) : null };
}
