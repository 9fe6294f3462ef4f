/**
 * §7's short caches of remote reads (W2, W3, G1 for 60 s; U12 for 60 s), on the injected clock so tests
 * move time instead of sleeping. Failures are never cached. Entries expire lazily; the map is pruned when
 * it grows, so a long-running process keeps at most a few thousand answers.
 */
import { ttlBatchLookup, ttlCache } from '@sicora/platform/ttl-cache';
import type { Person, SchedulesPort, UsersPort } from './ports.ts';

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
  return { lookup: ttlBatchLookup<Person>((ids) => port.lookup(ids), ttlMs, now) };
}
