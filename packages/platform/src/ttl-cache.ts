/**
 * Short caches of other services' answers (each service's §7 says which and for how long), on the injected
 * clock so tests move time instead of sleeping. Failures are never cached: a rejected load is forgotten, so
 * the next caller asks again. Entries expire lazily; past `maxEntries` the expired ones are pruned, and if
 * that is not enough the map starts over, so a long-running process keeps at most a few thousand answers.
 */
const MAX_ENTRIES = 5000;

/** A keyed cache of one read: concurrent callers of a key share one load. */
export function ttlCache<T>(ttlMs: number, now: () => Date, maxEntries = MAX_ENTRIES) {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return async (key: string, load: () => Promise<T>): Promise<T> => {
    const t = now().getTime();
    const hit = entries.get(key);
    if (hit && t - hit.at < ttlMs) return hit.value;
    if (entries.size >= maxEntries) {
      for (const [k, e] of entries) if (t - e.at >= ttlMs) entries.delete(k);
      if (entries.size >= maxEntries) entries.clear();
    }
    const value = load();
    entries.set(key, { at: t, value });
    value.catch(() => entries.delete(key));
    return value;
  };
}

/**
 * A cache of a batch lookup by id (users' U12 in every service): one call for the ids not held, and an id
 * the lookup did not return is held as absent for the same time (a deleted person is not asked again on
 * every row of a report).
 */
export function ttlBatchLookup<T extends { id: string }>(lookup: (ids: string[]) => Promise<T[]>, ttlMs: number, now: () => Date, maxEntries = MAX_ENTRIES) {
  const held = new Map<string, { at: number; item: T | null }>();
  return async (ids: string[]): Promise<T[]> => {
    const t = now().getTime();
    const unique = [...new Set(ids)];
    const missing = unique.filter((id) => {
      const e = held.get(id);
      return !(e && t - e.at < ttlMs);
    });
    if (missing.length > 0) {
      const found = await lookup(missing);
      if (held.size > maxEntries) held.clear();
      for (const id of missing) held.set(id, { at: t, item: null });
      for (const item of found) held.set(item.id, { at: t, item });
    }
    return unique.map((id) => held.get(id)?.item).filter((item): item is T => item != null);
  };
}
