/**
 * Queries over `users.users` (with each account's lock from `login_throttle`), returning plain rows.
 */
import { and, asc, count, desc, eq, gt, gte, inArray, isNull, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { onUniqueViolation } from '@sicora/platform/db-errors';
import { countTotal, listPage, withTotal } from '@sicora/platform/list-page';
import { fold } from '../domain/identity.rules.ts';
import type { SortField } from '../domain/user.input.ts';
import { userErrors } from '../domain/users.errors.ts';
import { loginThrottle, users, type NewUser, type UserRow } from './db/schema.ts';

export type { NewUser, UserRow };
export type UserWithLock = UserRow & { lockedUntil: Date | null };
export type UserPatch = Partial<NewUser>;

export interface UserFilter {
  roles?: string[];
  isActive?: boolean;
  groupId?: string;
  groupNumber?: string;
  search?: string;
  mustChangePassword?: boolean;
  locked?: boolean;
  includeDeleted?: boolean;
  now: Date;
}

const throttleKey = sql`'user:' || ${users.id}::text`;
const selection = { user: users, lockedUntil: loginThrottle.lockedUntil };
const flatten = (r: { user: UserRow; lockedUntil: Date | null }): UserWithLock => ({ ...r.user, lockedUntil: r.lockedUntil });

/** A concurrent request that took the same e-mail or document after our check: the same 409 as the check. */
const LIVE_UNIQUE = { users_email_live_uq: userErrors.emailExists, users_document_live_uq: userErrors.documentExists };

const SORT_COLUMNS = {
  last_name: users.lastName, first_name: users.firstName, email: users.email, document_number: users.documentNumber,
  role: users.role, created_at: users.createdAt, last_login_at: users.lastLoginAt,
} as const;

export interface UserSort {
  field: SortField;
  direction: 'asc' | 'desc';
}

/** Where a B5 batch ended: the last row's sort column (as text, null when unset) and id. */
export interface ExportCursor {
  value: string | null;
  id: string;
}
export type ExportRow = UserRow & { sortKey: string | null };

/** U1's order: the sort column (nulls first ascending, last descending), then the id, so it is total. */
function orderOf(sort: UserSort): [SQL, SQL] {
  const column = SORT_COLUMNS[sort.field];
  const dir = sort.direction === 'desc' ? desc : asc;
  const nulls = sort.direction === 'desc' ? sql`nulls last` : sql`nulls first`;
  return [sql`${dir(column)} ${nulls}`, dir(users.id)];
}

/** The rows strictly after `after` in `orderOf`'s order (the cursor's text is cast by PostgreSQL to the column's type). */
function keysetAfter(column: (typeof SORT_COLUMNS)[SortField], direction: 'asc' | 'desc', after: ExportCursor): SQL {
  const idAfter = direction === 'asc' ? sql`${users.id} > ${after.id}` : sql`${users.id} < ${after.id}`;
  if (direction === 'asc') {
    // nulls first: after a null come the other nulls (by id), then every non-null value
    return after.value === null
      ? sql`((${column} is null and ${idAfter}) or ${column} is not null)`
      : sql`(${column} > ${after.value} or (${column} = ${after.value} and ${idAfter}))`;
  }
  // nulls last: after a value come smaller values, equal ones by id, then every null
  return after.value === null
    ? sql`(${column} is null and ${idAfter})`
    : sql`(${column} < ${after.value} or (${column} = ${after.value} and ${idAfter}) or ${column} is null)`;
}

function whereOf(f: UserFilter): SQL | undefined {
  const conds: SQL[] = [];
  if (!f.includeDeleted) conds.push(isNull(users.deletedAt));
  if (f.roles?.length) conds.push(inArray(users.role, f.roles as UserRow['role'][]));
  if (f.isActive !== undefined) conds.push(eq(users.isActive, f.isActive));
  if (f.groupId) conds.push(eq(users.groupId, f.groupId));
  if (f.groupNumber) conds.push(eq(users.groupNumber, f.groupNumber));
  if (f.mustChangePassword !== undefined) conds.push(eq(users.mustChangePassword, f.mustChangePassword));
  if (f.search) {
    // Substring of names or e-mail (accent-free search text), or a prefix of the document number (R32).
    const escaped = f.search.replace(/[\\%_]/g, (c) => `\\${c}`);
    conds.push(sql`(${users.searchText} like ${`%${fold(escaped)}%`} or ${users.documentNumber} like ${`${escaped.toUpperCase()}%`})`);
  }
  const lockedNow = sql`exists (select 1 from ${loginThrottle} where ${loginThrottle.key} = ${throttleKey} and ${loginThrottle.lockedUntil} > ${f.now})`;
  if (f.locked === true) conds.push(lockedNow);
  if (f.locked === false) conds.push(sql`not ${lockedNow}`);
  return conds.length ? and(...conds) : undefined;
}

export function createUsersRepo(db: Db) {
  const withLock = () => db.select(selection).from(users).leftJoin(loginThrottle, eq(loginThrottle.key, throttleKey));

  return {
    async get(id: string): Promise<UserWithLock | undefined> {
      const rows = await withLock().where(eq(users.id, id));
      return rows[0] ? flatten(rows[0]) : undefined;
    },

    async getMany(ids: string[]): Promise<UserWithLock[]> {
      if (ids.length === 0) return [];
      return (await withLock().where(inArray(users.id, ids))).map(flatten);
    },

    async findLive(by: { email?: string; documentNumber?: string }): Promise<UserRow | undefined> {
      const cond = by.email !== undefined ? eq(users.email, by.email) : eq(users.documentNumber, by.documentNumber ?? '');
      return (await db.select().from(users).where(and(cond, isNull(users.deletedAt))))[0];
    },

    async liveByEmails(emails: string[]): Promise<UserWithLock[]> {
      if (emails.length === 0) return [];
      return (await withLock().where(and(inArray(users.email, emails), isNull(users.deletedAt)))).map(flatten);
    },

    async liveByDocuments(docs: string[]): Promise<UserWithLock[]> {
      if (docs.length === 0) return [];
      return (await withLock().where(and(inArray(users.documentNumber, docs), isNull(users.deletedAt)))).map(flatten);
    },

    /** Chunked multi-row insert: one statement holds at most 65 535 parameters. */
    async insertMany(values: NewUser[]): Promise<UserRow[]> {
      const out: UserRow[] = [];
      for (let i = 0; i < values.length; i += 1000) {
        out.push(...(await onUniqueViolation(() => db.insert(users).values(values.slice(i, i + 1000)).returning(), LIVE_UNIQUE)));
      }
      return out;
    },

    /** Seeds and the bootstrap admin: rows whose id, e-mail or document is taken are left alone. */
    async insertIfAbsent(values: NewUser[]): Promise<void> {
      if (values.length > 0) await db.insert(users).values(values).onConflictDoNothing();
    },

    async update(id: string, patch: UserPatch): Promise<UserRow> {
      const [row] = await onUniqueViolation(() => db.update(users).set(patch).where(eq(users.id, id)).returning(), LIVE_UNIQUE);
      return row;
    },

    async count(): Promise<number> {
      const [{ n }] = await db.select({ n: count() }).from(users);
      return Number(n);
    },

    async countActiveApprentices(groupId: string, excludeIds: string[] = []): Promise<number> {
      const conds = [eq(users.groupId, groupId), eq(users.role, 'aprendiz'), eq(users.isActive, true), isNull(users.deletedAt)];
      if (excludeIds.length) conds.push(notInArray(users.id, excludeIds));
      const [{ n }] = await db.select({ n: count() }).from(users).where(and(...conds));
      return Number(n);
    },

    /** R4: serialises capacity checks of one ficha until the surrounding transaction ends. */
    async lockGroup(groupId: string): Promise<void> {
      await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`sicora:users:group:${groupId}`}))`);
    },

    /** What R19 checks on every request of a person. */
    async accessState(id: string): Promise<Pick<UserRow, 'isActive' | 'deletedAt' | 'tokensValidAfter'> | undefined> {
      const [row] = await db
        .select({ isActive: users.isActive, deletedAt: users.deletedAt, tokensValidAfter: users.tokensValidAfter })
        .from(users)
        .where(eq(users.id, id));
      return row;
    },

    /** K4: accounts whose `tokens_valid_after` moved since `since`. */
    async validityChangedSince(since: Date): Promise<Array<{ userId: string; tokensValidAfter: Date }>> {
      return db.select({ userId: users.id, tokensValidAfter: users.tokensValidAfter }).from(users)
        // Accounts never changed since their creation have no earlier tokens to refuse: left out of the feed.
        .where(and(gte(users.tokensValidAfter, since), gt(users.tokensValidAfter, users.createdAt)));
    },

    /** The number of users a filter matches (U1's total, B5's cap checked before streaming). */
    async countMatching(f: UserFilter): Promise<number> {
      const [{ total }] = await db.select({ total: count() }).from(users).where(whereOf(f));
      return Number(total);
    },

    /**
     * B5: the next `limit` users after `after` in U1's order, read by keyset on (sort column, id), never
     * OFFSET. `sortKey` is the sort column as PostgreSQL prints it (a timestamp keeps its microseconds,
     * which a JS Date would lose), so the next read compares against the exact stored value.
     */
    async exportPage(f: UserFilter, sort: UserSort, after: ExportCursor | undefined, limit: number): Promise<ExportRow[]> {
      const column = SORT_COLUMNS[sort.field];
      const where = after ? and(whereOf(f), keysetAfter(column, sort.direction, after)) : whereOf(f);
      return db.select({ user: users, sortKey: sql<string | null>`${column}::text` }).from(users)
        .where(where).orderBy(...orderOf(sort)).limit(limit)
        .then((rows) => rows.map((r) => ({ ...r.user, sortKey: r.sortKey })));
    },

    async list(
      f: UserFilter,
      sort: UserSort,
      page?: { offset: number; limit: number },
    ): Promise<{ rows: UserWithLock[]; total: number }> {
      const where = whereOf(f);
      // The total is the count query as a subquery, not a window: a window would read every match in full.
      const counted = db.select({ total: count() }).from(users).where(where);
      let q = db.select(withTotal(selection, countTotal(counted))).from(users).leftJoin(loginThrottle, eq(loginThrottle.key, throttleKey))
        .where(where).orderBy(...orderOf(sort)).$dynamic();
      if (page) q = q.offset(page.offset).limit(page.limit);
      const { rows, total } = await listPage(q, page?.offset ?? 0, async () => Number((await counted)[0].total));
      return { rows: rows.map(flatten), total };
    },
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;
