/**
 * §7's caches of remote reads on the injected clock: schedules 5 min (G3, G8, G7), users 10 min. Failures
 * are never cached.
 */
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

export function cachedSchedules(port: SchedulesPort, now: () => Date, ttlMs = 5 * 60_000): SchedulesPort {
  const group = ttlCache<Awaited<ReturnType<SchedulesPort['group']>>>(ttlMs, now);
  const instructors = ttlCache<Awaited<ReturnType<SchedulesPort['instructors']>>>(ttlMs, now);
  const apprentices = ttlCache<Awaited<ReturnType<SchedulesPort['apprentices']>>>(ttlMs, now);
  return {
    group: (id) => group(id, () => port.group(id)),
    instructors: (id, from, to) => instructors(`${id}|${from}|${to}`, () => port.instructors(id, from, to)),
    apprentices: (id) => apprentices(id, () => port.apprentices(id)),
  };
}

export function cachedUsers(port: UsersPort, now: () => Date, ttlMs = 10 * 60_000): UsersPort {
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
