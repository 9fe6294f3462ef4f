/**
 * Queries over `users.users` (with each account's lock from `login_throttle`), returning plain rows.
 */
import { and, asc, count, desc, eq, inArray, isNull, notInArray, sql, type SQL } from 'drizzle-orm';
import { fold } from '../domain/identity.rules.ts';
import { userErrors } from '../domain/users.errors.ts';
import type { Db } from '@sicora/platform/db';
import { loginThrottle, users, type UserRow } from './db/schema.ts';

export type UserWithLock = UserRow & { lockedUntil: Date | null };
export type NewUser = typeof users.$inferInsert;

const throttleKey = sql`'user:' || ${users.id}::text`;
const selection = { user: users, lockedUntil: loginThrottle.lockedUntil };
const flatten = (r: { user: UserRow; lockedUntil: Date | null }): UserWithLock => ({ ...r.user, lockedUntil: r.lockedUntil });

export async function getUser(db: Db, id: string): Promise<UserWithLock | undefined> {
  const rows = await db.select(selection).from(users).leftJoin(loginThrottle, eq(loginThrottle.key, throttleKey)).where(eq(users.id, id));
  return rows[0] ? flatten(rows[0]) : undefined;
}

export async function getUsers(db: Db, ids: string[]): Promise<UserWithLock[]> {
  if (ids.length === 0) return [];
  const rows = await db.select(selection).from(users).leftJoin(loginThrottle, eq(loginThrottle.key, throttleKey)).where(inArray(users.id, ids));
  return rows.map(flatten);
}

export async function findLive(db: Db, by: { email?: string; documentNumber?: string }): Promise<UserRow | undefined> {
  const cond = by.email !== undefined ? eq(users.email, by.email) : eq(users.documentNumber, by.documentNumber ?? '');
  const rows = await db.select().from(users).where(and(cond, isNull(users.deletedAt)));
  return rows[0];
}

export async function liveByEmails(db: Db, emails: string[]): Promise<UserWithLock[]> {
  if (emails.length === 0) return [];
  const rows = await db.select(selection).from(users).leftJoin(loginThrottle, eq(loginThrottle.key, throttleKey))
    .where(and(inArray(users.email, emails), isNull(users.deletedAt)));
  return rows.map(flatten);
}

export async function liveByDocuments(db: Db, docs: string[]): Promise<UserWithLock[]> {
  if (docs.length === 0) return [];
  const rows = await db.select(selection).from(users).leftJoin(loginThrottle, eq(loginThrottle.key, throttleKey))
    .where(and(inArray(users.documentNumber, docs), isNull(users.deletedAt)));
  return rows.map(flatten);
}

/** A concurrent request that took the same e-mail or document after our check: the same 409 as the check. */
async function uniqueAs409<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
    const pgErr = e.code === '23505' ? e : e.cause?.code === '23505' ? e.cause : undefined;
    if (pgErr?.constraint === 'users_email_live_uq') throw userErrors.emailExists();
    if (pgErr?.constraint === 'users_document_live_uq') throw userErrors.documentExists();
    throw err;
  }
}

/** Chunked multi-row insert: one statement holds at most 65 535 parameters. */
export async function insertUsers(db: Db, values: NewUser[]): Promise<UserRow[]> {
  const out: UserRow[] = [];
  for (let i = 0; i < values.length; i += 1000) {
    out.push(...(await uniqueAs409(() => db.insert(users).values(values.slice(i, i + 1000)).returning())));
  }
  return out;
}

export async function updateUser(db: Db, id: string, patch: Partial<NewUser>): Promise<UserRow> {
  const [row] = await uniqueAs409(() => db.update(users).set(patch).where(eq(users.id, id)).returning());
  return row;
}

export async function countActiveApprentices(db: Db, groupId: string, excludeIds: string[] = []): Promise<number> {
  const conds = [eq(users.groupId, groupId), eq(users.role, 'aprendiz'), eq(users.isActive, true), isNull(users.deletedAt)];
  if (excludeIds.length) conds.push(notInArray(users.id, excludeIds));
  const [{ n }] = await db.select({ n: count() }).from(users).where(and(...conds));
  return Number(n);
}

export const SORTABLE = ['last_name', 'first_name', 'email', 'document_number', 'role', 'created_at', 'last_login_at'] as const;
export type SortField = (typeof SORTABLE)[number];
const SORT_COLUMNS = {
  last_name: users.lastName, first_name: users.firstName, email: users.email, document_number: users.documentNumber,
  role: users.role, created_at: users.createdAt, last_login_at: users.lastLoginAt,
} as const;

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

export async function listUsers(
  db: Db,
  f: UserFilter,
  sort: { field: SortField; direction: 'asc' | 'desc' },
  page?: { offset: number; limit: number },
): Promise<{ rows: UserWithLock[]; total: number }> {
  const where = whereOf(f);
  const column = SORT_COLUMNS[sort.field];
  const dir = sort.direction === 'desc' ? desc : asc;
  const nulls = sort.direction === 'desc' ? sql`nulls last` : sql`nulls first`;
  let q = db.select(selection).from(users).leftJoin(loginThrottle, eq(loginThrottle.key, throttleKey)).where(where)
    .orderBy(sql`${dir(column)} ${nulls}`, dir(users.id)).$dynamic();
  if (page) q = q.offset(page.offset).limit(page.limit);
  const rows = (await q).map(flatten);
  const [{ total }] = await db.select({ total: count() }).from(users).where(where);
  return { rows, total: Number(total) };
}

