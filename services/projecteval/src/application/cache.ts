/** §7's caches on the injected clock: G3/G7/G9 for 5 minutes, people for 10. Failures are never cached. */
import { ttlBatchLookup, ttlCache } from '@sicora/platform/ttl-cache';
import type { Person, SchedulesPort, UsersPort } from './ports.ts';

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
  return { lookup: ttlBatchLookup<Person>((ids) => port.lookup(ids), ttlMs, now) };
}
