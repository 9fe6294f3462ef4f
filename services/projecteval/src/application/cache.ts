/** §7's caches on the injected clock: G3/G7/G9 for 5 minutes, people for 10. Failures are never cached. */
import type { Person, SchedulesPort, UsersPort } from './ports.ts';

const MAX_ENTRIES = 5000;

export function ttlCache<T>(ttlMs: number, now: () => Date) {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return async (key: string, load: () => Promise<T>): Promise<T> => {
    const t = now().getTime();
    const hit = entries.get(key);
    if (hit && t - hit.at < ttlMs) return hit.value;
    if (entries.size >= MAX_ENTRIES) entries.clear();
    const value = load();
    entries.set(key, { at: t, value });
    value.catch(() => entries.delete(key));
    return value;
  };
}

export function cachedSchedules(port: SchedulesPort, now: () => Date, ttlMs = 300_000): SchedulesPort {
  const group = ttlCache<Awaited<ReturnType<SchedulesPort['group']>>>(ttlMs, now);
  const roster = ttlCache<Awaited<ReturnType<SchedulesPort['apprentices']>>>(ttlMs, now);
  const teaches = ttlCache<boolean | undefined>(ttlMs, now);
  return {
    group: (id) => group(id, () => port.group(id)),
    apprentices: (id) => roster(id, () => port.apprentices(id)),
    teaches: (g, i, d) => teaches(`${g}|${i}|${d}`, () => port.teaches(g, i, d)),
  };
}

export function cachedUsers(port: UsersPort, now: () => Date, ttlMs = 600_000): UsersPort {
  const held = new Map<string, { at: number; person: Person | null }>();
  return {
    async lookup(ids) {
      const t = now().getTime();
      const missing = [...new Set(ids)].filter((id) => {
        const e = held.get(id);
        return !(e && t - e.at < ttlMs);
      });
      if (missing.length > 0) {
        const found = await port.lookup(missing);
        if (held.size > MAX_ENTRIES) held.clear();
        for (const id of missing) held.set(id, { at: t, person: null });
        for (const p of found) held.set(p.id, { at: t, person: p });
      }
      return [...new Set(ids)].map((id) => held.get(id)?.person).filter((p): p is Person => p != null);
    },
  };
}
