/**
 * §7's caches of remote reads on the injected clock: schedules 5 min (G3, G8, G7), users 10 min. Failures
 * are never cached.
 */
import { ttlBatchLookup, ttlCache } from '@sicora/platform/ttl-cache';
import type { Person, SchedulesPort, UsersPort } from './ports.ts';

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
  return { lookup: ttlBatchLookup<Person>((ids) => port.lookup(ids), ttlMs, now) };
}
