/** Rows of a raw `sql` statement on either driver (PGlite and node-postgres both answer `{ rows }`). */
import type { SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';

export async function rowsOf<T>(db: Pick<Db, 'execute'>, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}
