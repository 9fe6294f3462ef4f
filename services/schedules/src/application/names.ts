/**
 * Instructor names for responses (R26): batched U12 lookups cached 60 s; when users cannot answer, reads
 * go on with null names and a USERS_UNAVAILABLE warning.
 */
import { isAppError } from '@sicora/platform/errors';
import type { CallAs, UserRecord, UsersPort } from './ports.ts';

const TTL_MS = 60_000;

export interface NameResolution {
  names: Map<string, string | null>;
  warnings: string[];
}

export function createNameResolver(users: UsersPort, now: () => Date) {
  const cache = new Map<string, { name: string | null; at: number }>();
  return {
    async resolve(ids: Iterable<string>, as: CallAs): Promise<NameResolution> {
      const names = new Map<string, string | null>();
      const missing: string[] = [];
      const t = now().getTime();
      for (const id of new Set(ids)) {
        const hit = cache.get(id);
        if (hit && t - hit.at < TTL_MS) names.set(id, hit.name);
        else missing.push(id);
      }
      if (missing.length === 0) return { names, warnings: [] };
      let found: UserRecord[];
      try {
        found = await users.lookup({ ids: missing }, as);
      } catch (err) {
        if (!isAppError(err) || err.status < 500) throw err;
        for (const id of missing) names.set(id, null);
        return { names, warnings: ['USERS_UNAVAILABLE'] };
      }
      const byId = new Map(found.map((u) => [u.id, u]));
      for (const id of missing) {
        const u = byId.get(id);
        const name = u ? (u.full_name ?? [u.first_name, u.last_name].filter(Boolean).join(' ')) : null;
        cache.set(id, { name, at: t });
        names.set(id, name);
      }
      return { names, warnings: [] };
    },
  };
}

export type NameResolver = ReturnType<typeof createNameResolver>;

/** R2: every id must be an active, non-deleted user with role instructor; users down → 503 (thrown). */
export async function invalidInstructors(users: UsersPort, ids: string[], as: CallAs): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Set();
  const found = await users.lookup({ ids: unique }, as);
  const ok = new Set(found.filter((u) => u.role === 'instructor' && u.is_active && !u.is_deleted).map((u) => u.id));
  return new Set(unique.filter((id) => !ok.has(id)));
}
