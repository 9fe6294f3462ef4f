/** Display names from users U12 (§7): degraded to "(no disponible)", never an error. */
import type { UsersPort } from './ports.ts';

export const UNAVAILABLE_NAME = '(no disponible)';

export async function namesOf(users: UsersPort, ids: Array<string | null | undefined>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
  const out = new Map<string, string>();
  if (wanted.length === 0) return out;
  try {
    for (const p of await users.lookup(wanted)) out.set(p.id, p.full_name ?? ([p.first_name, p.last_name].filter(Boolean).join(' ') || UNAVAILABLE_NAME));
  } catch {
    // §7: names degrade, the answer goes on.
  }
  return out;
}

export const nameIn = (names: Map<string, string>, id: string | null | undefined) => (id ? (names.get(id) ?? UNAVAILABLE_NAME) : null);
