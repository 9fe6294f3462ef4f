/**
 * §7's short caches of remote reads (W2, W3, G1 for 60 s; U12 for 60 s), on the injected clock so tests
 * move time instead of sleeping. Failures are never cached. Entries expire lazily; the map is pruned when
 * it grows, so a long-running process keeps at most a few thousand answers.
 */
import type { Person, SchedulesPort, UsersPort } from './ports.ts';

const MAX_ENTRIES = 5000;

export function ttlCache<T>(ttlMs: number, now: () => Date) {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return async (key: string, load: () => Promise<T>): Promise<T> => {
    const t = now().getTime();
    const hit = entries.get(key);
    if (hit && t - hit.at < ttlMs) return hit.value;
    if (entries.size >= MAX_ENTRIES) {
      for (const [k, e] of entries) if (t - e.at >= ttlMs) entries.delete(k);
      if (entries.size >= MAX_ENTRIES) entries.clear();
    }
    const value = load();
    entries.set(key, { at: t, value });
    value.catch(() => entries.delete(key));
    return value;
  };
}

/** W3, W2 and G1 cached 60 s (§7, O2); G7 is read fresh every time (R4). */
export function cachedSchedules(port: SchedulesPort, now: () => Date, ttlMs = 60_000): SchedulesPort {
  const session = ttlCache<Awaited<ReturnType<SchedulesPort['session']>>>(ttlMs, now);
  const sessions = ttlCache<Awaited<ReturnType<SchedulesPort['sessions']>>>(ttlMs, now);
  const groups = ttlCache<string[]>(ttlMs, now);
  // §7: K3 for the session's year and the next, cached 24 h.
  const holidays = ttlCache<string[]>(24 * 60 * 60_000, now);
  return {
    session: (id, date) => session(`${id}|${date}`, () => port.session(id, date)),
    sessions: (q) => sessions(JSON.stringify([q.date, q.from, q.to, q.instructor_id, q.group_id]), () => port.sessions(q)),
    apprentices: (groupId) => port.apprentices(groupId),
    nonTeachingDays: (year) => holidays(String(year), () => port.nonTeachingDays(year)),
    assignedGroups: (id, date) => groups(`${id}|${date}`, () => port.assignedGroups(id, date)),
    // Alert recipients: a nightly run asks once per ficha, a debounced one rarely twice; not cached.
    groupInstructors: (groupId, date) => port.groupInstructors(groupId, date),
    // Report headers (RP2, RP4): read once per report, not cached.
    group: (groupId) => port.group(groupId),
  };
}

/** R45: people cached 60 s per id; one U12 call for the ids not held. */
export function cachedUsers(port: UsersPort, now: () => Date, ttlMs = 60_000): UsersPort {
  const held = new Map<string, { at: number; person: Person | null }>();
  return {
    async lookup(ids) {
      const t = now().getTime();
      const fresh = (id: string) => {
        const e = held.get(id);
        return e !== undefined && t - e.at < ttlMs;
      };
      const missing = [...new Set(ids)].filter((id) => !fresh(id));
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
