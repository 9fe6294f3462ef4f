/**
 * Display names from users (§7): one U12 lookup per answer; when users cannot answer, names are
 * "(no disponible)" and the answer carries the USERS_UNAVAILABLE warning instead of failing.
 */
import type { Deps } from './context.ts';
import type { Person } from './ports.ts';

export const UNAVAILABLE_NAME = '(no disponible)';

export interface Names {
  name(id: string | null | undefined): string | null;
  person(id: string): Person | undefined;
  warnings: string[];
}

export function fullName(p: Pick<Person, 'first_name' | 'last_name' | 'full_name'>): string {
  return p.full_name ?? [p.first_name, p.last_name].filter(Boolean).join(' ');
}

export async function names(deps: Pick<Deps, 'users'>, ids: Array<string | null | undefined>): Promise<Names> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  let people: Person[] = [];
  const warnings: string[] = [];
  if (wanted.length) {
    try {
      people = await deps.users.lookup(wanted);
    } catch {
      warnings.push('USERS_UNAVAILABLE');
    }
  }
  const byId = new Map(people.map((p) => [p.id, p]));
  return {
    name: (id) => (id ? (byId.has(id) ? fullName(byId.get(id)!) : UNAVAILABLE_NAME) : null),
    person: (id) => byId.get(id),
    warnings,
  };
}

/** R3/R23: the ids that are active instructors (a failure of users is 503, the check cannot degrade). */
export async function activeInstructors(deps: Pick<Deps, 'users'>, ids: string[]): Promise<Set<string>> {
  const found = await deps.users.lookup(ids);
  return new Set(found.filter((p) => p.role === 'instructor' && p.is_active).map((p) => p.id));
}
