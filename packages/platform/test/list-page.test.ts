import { asc, eq, getTableColumns, gte, sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { integer, pgSchema, text } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/db.ts';
import { countTotal, listPage, withTotal } from '../src/list-page.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/db.ts';

const schema = pgSchema('list_page_test');
const items = schema.table('items', { id: integer('id').primaryKey(), name: text('name').notNull(), kind: text('kind').notNull() });
const kinds = schema.table('kinds', { code: text('code').primaryKey(), label: text('label').notNull() });

let tdb: TestDatabase;
let db: Db;
/** Every statement the helper sends, logged by Drizzle. */
let sent: string[];

beforeAll(async () => {
  tdb = await createTestDatabase();
  await tdb.query('CREATE SCHEMA list_page_test');
  await tdb.query('CREATE TABLE list_page_test.kinds (code text PRIMARY KEY, label text NOT NULL)');
  await tdb.query('CREATE TABLE list_page_test.items (id integer PRIMARY KEY, name text NOT NULL, kind text NOT NULL REFERENCES list_page_test.kinds)');
  await tdb.query("INSERT INTO list_page_test.kinds VALUES ('a', 'Kind A'), ('b', 'Kind B')");
  // 25 items: ids 1…25, every third of kind b (8 of them).
  await tdb.query("INSERT INTO list_page_test.items SELECT i, 'item ' || lpad(i::text, 2, '0'), CASE WHEN i % 3 = 0 THEN 'b' ELSE 'a' END FROM generate_series(1, 25) i");
  const logger = { logQuery: (query: string) => void sent.push(query) };
  db = (tdb.kind === 'pglite' ? drizzlePglite({ client: tdb.pglite!, logger }) : drizzlePg({ client: tdb.pool!, logger })) as unknown as Db;
});

beforeEach(() => {
  sent = [];
});

afterAll(async () => {
  await tdb.destroy();
});

type Total = 'window' | 'subquery';

/** The list's page through the helper, its total from the window or from the count query as a subquery. */
function page(where: SQL | undefined, limit: number | undefined, offset: number, total: Total = 'window') {
  const counted = db.select({ n: sql<number>`count(*)::int` }).from(items).where(where);
  const selection = total === 'window' ? withTotal(getTableColumns(items)) : withTotal(getTableColumns(items), countTotal(counted));
  const q = db.select(selection).from(items).where(where).orderBy(asc(items.id)).offset(offset).$dynamic();
  return listPage(limit === undefined ? q : q.limit(limit), offset, async () => (await counted)[0].n);
}

describe.each<Total>(['window', 'subquery'])('listPage: a page and its total in one query (%s)', (total) => {
  const totalSql = total === 'window' ? /count\(\*\) over \(\)/ : /\(\(?select count\(\*\)/i;
  it('when the page is in range, then one query returns its rows, without a total key, and the total of the whole list', async () => {
    const result = await page(undefined, 10, 10, total);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(totalSql);
    expect(result.total).toBe(25);
    expect(result.rows).toHaveLength(10);
    expect(result.rows.map((r) => r.id)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    for (const row of result.rows) expect(Object.keys(row).sort()).toEqual(['id', 'kind', 'name']);
    // The rows are exactly what the plain page query returns.
    expect(result.rows).toEqual(await db.select().from(items).orderBy(asc(items.id)).limit(10).offset(10));
  });

  it('when the page is the last, partial one, then its rows and the total still come from one query', async () => {
    const result = await page(undefined, 10, 20, total);
    expect(sent).toHaveLength(1);
    expect(result).toEqual({ total: 25, rows: [21, 22, 23, 24, 25].map((id) => expect.objectContaining({ id })) });
  });

  it('when a filter applies, then the total counts the matching rows, not the table', async () => {
    const result = await page(eq(items.kind, 'b'), 3, 3, total);
    expect(sent).toHaveLength(1);
    expect(result.total).toBe(8);
    expect(result.rows.map((r) => r.id)).toEqual([12, 15, 18]);
  });

  it('when the page is past the end, then no rows come back and the count query gives the total', async () => {
    const result = await page(undefined, 10, 30, total);
    expect(sent).toHaveLength(2);
    expect(sent[1]).not.toMatch(totalSql);
    expect(result).toEqual({ rows: [], total: 25 });
    expect(await page(eq(items.kind, 'b'), 5, 10, total)).toEqual({ rows: [], total: 8 });
  });

  it('when the page is past the end of a list that matches nothing, then the total is 0', async () => {
    expect(await page(gte(items.id, 1000), 10, 10, total)).toEqual({ rows: [], total: 0 });
    expect(sent).toHaveLength(2);
  });

  it('when the first page is empty, then the total is 0 without a second query', async () => {
    let counted = false;
    const none = gte(items.id, 1000);
    const selection = total === 'window' ? withTotal(getTableColumns(items)) : withTotal(getTableColumns(items), countTotal(db.select({ n: sql`count(*)` }).from(items).where(none)));
    const result = await listPage(db.select(selection).from(items).where(none).limit(10).offset(0), 0, async () => {
      counted = true;
      return -1;
    });
    expect(result).toEqual({ rows: [], total: 0 });
    expect(counted).toBe(false);
    expect(sent).toHaveLength(1);
  });

  it('when there is no limit, then every match comes back with its total', async () => {
    const result = await page(eq(items.kind, 'a'), undefined, 0, total);
    expect(sent).toHaveLength(1);
    expect(result.total).toBe(17);
    expect(result.rows).toHaveLength(17);
  });

  it('when the selection nests a table and a join, then the nested objects are kept and only total is dropped', async () => {
    const nested = { item: items, kind: { code: kinds.code, label: kinds.label } };
    const selection = total === 'window' ? withTotal(nested) : withTotal(nested, countTotal(db.select({ n: sql`count(*)` }).from(items)));
    const result = await listPage(
      db.select(selection).from(items)
        .innerJoin(kinds, eq(kinds.code, items.kind)).orderBy(asc(items.id)).limit(2).offset(2),
      2,
      () => Promise.reject(new Error('not called')),
    );
    expect(sent).toHaveLength(1);
    expect(result).toEqual({
      total: 25,
      rows: [
        { item: { id: 3, name: 'item 03', kind: 'b' }, kind: { code: 'b', label: 'Kind B' } },
        { item: { id: 4, name: 'item 04', kind: 'a' }, kind: { code: 'a', label: 'Kind A' } },
      ],
    });
  });
});

describe('withTotal', () => {
  it('when a selection already has a total key, then it does not compile (the total would overwrite it)', () => {
    // @ts-expect-error a `total` of the caller's own would be lost
    const selection = withTotal({ id: items.id, total: items.name });
    expect(Object.keys(selection)).toEqual(['id', 'total']);
  });
});
