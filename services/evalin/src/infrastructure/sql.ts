/** Rows of a raw `db.execute` on both drivers (node-postgres gives `{ rows }`, PGlite the same; some an array). */
export const rowsOf = <T = Record<string, unknown>>(result: unknown) => ((result as { rows?: unknown[] }).rows ?? (result as unknown[])) as T[];
