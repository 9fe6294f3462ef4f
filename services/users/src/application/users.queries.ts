/**
 * Reads: U1 list (and the B5 export rows), U3 one user, with visibility O3 and the `links` of §4.4.
 */
import type { AuthUser } from '@sicora/platform/auth';
import { errors } from '@sicora/platform/errors';
import type { Links } from '@sicora/platform/envelope';
import { normalizeRole } from '@sicora/platform/roles';
import { manageableRoles } from '../domain/permissions.ts';
import { USER_ROLES } from '../domain/identity.rules.ts';
import { SORTABLE, type SortField } from '../domain/user.input.ts';
import { userErrors } from '../domain/users.errors.ts';
import type { UserFilter, UsersDeps, UserWithLock } from './ports.ts';
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
  sort?: string;
}

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

  function filterOf(actor: AuthUser, q: ListQuery): UserFilter {
    const fields: Array<{ field: string; reason: string; message: string }> = [];
    let roles: string[] | undefined;
    if (q.role !== undefined) {
      roles = q.role.split(',').map((r) => r.trim()).filter(Boolean).map((r) => normalizeRole(r) ?? `!${r}`);
      if (roles.some((r) => !(USER_ROLES as readonly string[]).includes(r))) fields.push({ field: 'role', reason: 'enum', message: 'Rol no válido' });
    }
    const search = q.search?.trim();
    if (search !== undefined && search.length < 2) fields.push({ field: 'search', reason: 'min_length', message: 'La búsqueda requiere al menos 2 caracteres' });
    if (fields.length) throw errors.validation(fields);
    if (q.include_deleted && actor.role !== 'admin') throw errors.forbidden('Solo un administrador ve usuarios eliminados');
    return {
      roles, isActive: q.is_active, groupId: q.group_id, groupNumber: q.group_number, search: search?.toLowerCase(),
      mustChangePassword: q.must_change_password, locked: q.locked, includeDeleted: q.include_deleted === true, now: now(),
    };
  }

  function sortOf(sort: string | undefined): { field: SortField; direction: 'asc' | 'desc' } {
    if (!sort) return { field: 'created_at', direction: 'desc' };
    const desc = sort.startsWith('-');
    const field = (desc ? sort.slice(1) : sort) as SortField;
    if (!(SORTABLE as readonly string[]).includes(field)) {
      throw errors.validation([{ field: 'sort', reason: 'not_allowed', message: `Orden no permitido; use uno de: ${SORTABLE.join(', ')}` }]);
    }
    return { field, direction: desc ? 'desc' : 'asc' };
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
    async exportRows(actor: AuthUser, q: ListQuery) {
      const filter = filterOf(actor, q);
      const { rows, total } = await repos.users.list(filter, sortOf(q.sort), { offset: 0, limit: 50_001 });
      if (total > 50_000) throw userErrors.exportTooLarge();
      return rows;
    },
    async get(actor: AuthUser, id: string) {
      const u = await repos.users.get(id);
      if (!u || (u.deletedAt && actor.role !== 'admin')) throw userErrors.userNotFound();
      return { view: toUserView(u, { withDeleted: actor.role === 'admin', now: now() }), links: linksFor(actor, u) };
    },
  };
}
