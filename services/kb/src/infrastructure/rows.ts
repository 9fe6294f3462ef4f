/** Raw query results differ by driver (PGlite reads instants as text, node-postgres as Date). */
export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value).replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
}

export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];
}

/** PostgreSQL text[] read raw comes back as an array from both drivers; keep a guard for `{a,b}` text. */
export function textArray(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[];
  if (typeof value === 'string' && value.startsWith('{')) return value.slice(1, -1).split(',').filter(Boolean).map((s) => s.replace(/^"|"$/g, ''));
  return [];
}

/**
 * A JS list as ONE array parameter (`${pgArray(ids)}::uuid[]`): Drizzle spreads a bare array into
 * `($1, $2, …)`, a record, so lists travel as an array literal with every element quoted.
 */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
