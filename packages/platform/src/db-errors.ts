/**
 * PostgreSQL unique violations (SQLSTATE 23505) turned into the caller's 409. A check-then-insert races a
 * concurrent request that took the same key in between; the unique index catches it and the loser must get
 * the same coded conflict as the check, not a 500. Errors come from `pg` and from PGlite (both carry `code`
 * and `constraint`), usually wrapped by Drizzle (DrizzleQueryError keeps the driver error as `cause`).
 */
import { AppError, errors } from './errors.ts';

export const UNIQUE_VIOLATION = '23505';

export interface UniqueViolation {
  /** The violated constraint or unique index, e.g. `users_email_live_uq`. */
  constraint: string | undefined;
  table: string | undefined;
  /** Postgres' own detail (`Key (email)=(…) already exists.`): holds the value, so never send or log it. */
  detail: string | undefined;
}

interface PgErrorLike {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  detail?: unknown;
  cause?: unknown;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The unique violation inside `err` (itself or anywhere down its `cause` chain), else undefined. */
export function uniqueViolation(err: unknown): UniqueViolation | undefined {
  const seen = new Set<unknown>();
  for (let e = err as PgErrorLike | undefined; e && typeof e === 'object' && !seen.has(e); e = e.cause as PgErrorLike | undefined) {
    seen.add(e);
    if (e.code === UNIQUE_VIOLATION) return { constraint: str(e.constraint), table: str(e.table), detail: str(e.detail) };
  }
  return undefined;
}

/** Whether `err` is a unique violation, of one of `constraints` when given. */
export function isUniqueViolation(err: unknown, constraints?: string | readonly string[]): boolean {
  const v = uniqueViolation(err);
  if (!v) return false;
  if (constraints === undefined) return true;
  const names = typeof constraints === 'string' ? [constraints] : constraints;
  return v.constraint !== undefined && names.includes(v.constraint);
}

/**
 * How a violation becomes the caller's error: a conflict code for any unique violation, or one error
 * factory per constraint name (violations of other constraints are rethrown unchanged).
 */
export type UniqueMapping = string | { code: string; message?: string } | Record<string, () => AppError>;

function isCodeMapping(m: UniqueMapping): m is string | { code: string; message?: string } {
  return typeof m === 'string' || typeof (m as { code?: unknown }).code === 'string';
}

/** The AppError `err` maps to under `mapping`, or undefined when it is not a (mapped) unique violation. */
export function conflictFromUnique(err: unknown, mapping: UniqueMapping): AppError | undefined {
  const v = uniqueViolation(err);
  if (!v) return undefined;
  if (typeof mapping === 'string') return errors.conflict(mapping);
  if (isCodeMapping(mapping)) return errors.conflict(mapping.code, mapping.message);
  const factory = v.constraint === undefined ? undefined : (mapping as Record<string, () => AppError>)[v.constraint];
  return factory?.();
}

/**
 * Runs `work` and rethrows a unique violation as the mapped conflict; any other error passes unchanged.
 *   await onUniqueViolation(() => db.insert(users).values(row), { users_email_live_uq: userErrors.emailExists });
 *   await onUniqueViolation(() => db.insert(campuses).values(row), 'CAMPUS_CODE_EXISTS');
 */
export async function onUniqueViolation<T>(work: () => Promise<T>, mapping: UniqueMapping): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw conflictFromUnique(err, mapping) ?? err;
  }
}
