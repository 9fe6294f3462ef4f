/**
 * Reads: U1 list (and the B5 export rows), U3 one user, with visibility O3 and the `links` of §4.4.
 */
import type { AuthUser } from '@sicora/platform/auth';
import { keysetBatches } from '@sicora/platform/csv-export';
import { errors } from '@sicora/platform/errors';
import type { Links } from '@sicora/platform/envelope';
import { normalizeRole } from '@sicora/platform/roles';
import { manageableRoles } from '../domain/permissions.ts';
import type { UserRole } from '../domain/identity.rules.ts';
import type { SortField, SortInput } from '../domain/user.input.ts';
import { userErrors } from '../domain/users.errors.ts';
import type { ExportCursor, ExportRow, UserFilter, UserSort, UsersDeps, UserWithLock } from './ports.ts';
import { toUserView } from './user.view.ts';

export interface ListQuery {
  role?: string;
  is_active?: boolean;
  group_id?: string;
  group_number?: string;
  search?: string;
  must_change_password?: boolean;
  locked?: boolean;
  include_deleted?: boolean;
  sort?: SortInput;
}

/** B5's cap (§6.3). */
export const EXPORT_MAX_ROWS = 50_000;
/**
 * Rows per keyset read. Without an index on the chosen sort column each read scans and top-N sorts the
 * matching rows whatever its size (about 0.3 s for 50 000 rows on PGlite), so fewer, larger reads finish
 * sooner without holding any one read longer; 5 000 rows are a few MB in memory.
 */
const EXPORT_BATCH = 5000;

export function linksFor(actor: AuthUser, u: UserWithLock): Links {
  const self = `/api/v1/users/${u.id}`;
  const links: Links = { self: { href: self, method: 'GET' } };
  const manages = actor.sub !== u.id && manageableRoles(actor.role).includes(u.role) && !u.deletedAt;
  if (manages) links.update = { href: self, method: 'PATCH' };
  if (manages && (actor.role === 'admin' || actor.role === 'coordinador')) {
    links[u.isActive ? 'deactivate' : 'activate'] = { href: `${self}/${u.isActive ? 'deactivate' : 'activate'}`, method: 'POST' };
    links.reset_password = { href: `${self}/reset-password`, method: 'POST' };
  }
  if (actor.role === 'admin' && actor.sub !== u.id) {
    links[u.deletedAt ? 'restore' : 'delete'] = u.deletedAt ? { href: `${self}/restore`, method: 'POST' } : { href: self, method: 'DELETE' };
  }
  return links;
}

export function createUserQueries(deps: UsersDeps) {
  const { repos, now } = deps;

  /** The request schema has checked each filter (role list, search length, sort field); what is left is who may see deleted users. */
  function filterOf(actor: AuthUser, q: ListQuery): UserFilter {
    if (q.include_deleted && actor.role !== 'admin') throw errors.forbidden('Solo un administrador ve usuarios eliminados');
    const roles = q.role?.split(',').map((r) => normalizeRole(r)).filter((r): r is UserRole => r !== undefined && r !== 'service');
    return {
      roles, isActive: q.is_active, groupId: q.group_id, groupNumber: q.group_number, search: q.search?.trim().toLowerCase(),
      mustChangePassword: q.must_change_password, locked: q.locked, includeDeleted: q.include_deleted === true, now: now(),
    };
  }

  function sortOf(sort: SortInput | undefined): UserSort {
    if (!sort) return { field: 'created_at', direction: 'desc' };
    return sort.startsWith('-') ? { field: sort.slice(1) as SortField, direction: 'desc' } : { field: sort as SortField, direction: 'asc' };
  }

  return {
    async list(actor: AuthUser, q: ListQuery, page: { offset: number; limit: number }) {
      const filter = filterOf(actor, q);
      const { rows, total } = await repos.users.list(filter, sortOf(q.sort), page);
      const at = filter.now;
      return {
        items: rows.map((u) => ({ ...toUserView(u, { withDeleted: actor.role === 'admin', now: at }), links: { self: { href: `/api/v1/users/${u.id}`, method: 'GET' } } })),
        total,
      };
    },
    /**
     * B5: the filters are checked and the rows counted first, so a refusal (422, 403) is still a JSON
     * error; then the rows come a keyset batch at a time, in U1's order. A row added between the count and
     * the last batch cannot push the file past the cap.
     */
    async exportBatches(actor: AuthUser, q: ListQuery): Promise<AsyncIterable<ExportRow[]>> {
      const filter = filterOf(actor, q);
      const sort = sortOf(q.sort);
      if (await repos.users.countMatching(filter) > EXPORT_MAX_ROWS) throw userErrors.exportTooLarge();
      const batches = keysetBatches<ExportRow, ExportCursor>(
        (after, limit) => repos.users.exportPage(filter, sort, after, limit),
        (row) => ({ value: row.sortKey, id: row.id }),
        deps.exportBatchSize ?? EXPORT_BATCH,
      );
      return (async function* capped() {
        let left = EXPORT_MAX_ROWS;
        for await (const batch of batches) {
          yield batch.slice(0, left);
          left -= batch.length;
          if (left <= 0) return;
        }
      })();
    },
    async get(actor: AuthUser, id: string) {
      const u = await repos.users.get(id);
      if (!u || (u.deletedAt && actor.role !== 'admin')) throw userErrors.userNotFound();
      return { view: toUserView(u, { withDeleted: actor.role === 'admin', now: now() }), links: linksFor(actor, u) };
    },
  };
}
