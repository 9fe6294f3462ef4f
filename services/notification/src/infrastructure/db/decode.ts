/**
 * Rows read with raw SQL (`db.execute`, `row_to_json`) turned into the rows Drizzle's select() returns,
 * through each column's own driver mapping (instants → Date, arrays, jsonb), without the per-field checks
 * of Drizzle's result mapping, which cost a hot path's batch of 100 rows about as much as its query (R65).
 */
import { getTableColumns, type Table } from 'drizzle-orm';

export function rowDecoder<T extends Table>(table: T): (raw: Record<string, unknown>) => T['$inferSelect'] {
  const columns = Object.entries(getTableColumns(table)).map(([key, column]) => ({ key, name: column.name, column }));
  return (raw) => {
    const out: Record<string, unknown> = {};
    for (const { key, name, column } of columns) {
      const value = raw[name];
      out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return out as T['$inferSelect'];
  };
}
