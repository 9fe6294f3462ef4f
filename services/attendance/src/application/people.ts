/**
 * Names, documents and photos from users U12 (R45): when users cannot answer, reads go on with those
 * fields null and `meta.warnings: ["USERS_UNAVAILABLE"]`; writes go on with null names in event data.
 */
import { isAppError } from '@sicora/platform/errors';
import type { Person, UsersPort } from './ports.ts';

export interface PeopleResult {
  byId: Map<string, Person>;
  warnings: string[];
}

export async function lookupPeople(users: UsersPort, ids: Array<string | null | undefined>): Promise<PeopleResult> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
  if (wanted.length === 0) return { byId: new Map(), warnings: [] };
  try {
    const found = await users.lookup(wanted);
    return { byId: new Map(found.map((p) => [p.id, p])), warnings: [] };
  } catch (err) {
    if (isAppError(err) && err.kind === 'unavailable') return { byId: new Map(), warnings: ['USERS_UNAVAILABLE'] };
    throw err;
  }
}

export const nameOf = (people: PeopleResult, id: string | null | undefined) => (id ? (people.byId.get(id)?.full_name ?? null) : null);
export const firstNameOf = (people: PeopleResult, id: string | null | undefined) => (id ? (people.byId.get(id)?.first_name ?? null) : null);
