import { eq } from 'drizzle-orm';
import { getTableConfig, pgSchema, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTimestamps, createdAt, outboxTable, seedRunsTable, timestamptz } from '../src/tables.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/db.ts';

const schema = pgSchema('tables_test');
const events = schema.table('events', {
  name: text('name').primaryKey(),
  happenedAt: timestamptz('happened_at'),
  ...auditTimestamps(),
});

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await tdb.query('CREATE SCHEMA tables_test');
  await tdb.query(`CREATE TABLE tables_test.events (
    name text PRIMARY KEY, happened_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL, updated_at timestamp with time zone DEFAULT now() NOT NULL)`);
});

afterAll(async () => {
  await tdb.destroy();
});

describe('timestamptz convention', () => {
  it('when the helpers declare columns, then each is timestamptz in date mode, with now() where it is a creation time', () => {
    const columns = Object.fromEntries(getTableConfig(events).columns.map((c) => [c.name, c]));
    for (const name of ['happened_at', 'created_at', 'updated_at']) {
      expect(columns[name].getSQLType(), name).toBe('timestamp with time zone');
      expect(columns[name].columnType, name).toBe('PgTimestamp');
    }
    expect(columns.happened_at.notNull).toBe(false);
    expect(columns.happened_at.hasDefault).toBe(false);
    expect(columns.created_at.notNull).toBe(true);
    expect(columns.created_at.hasDefault).toBe(true);
    expect(getTableConfig(schema.table('t', { seen: createdAt('first_seen_at') })).columns[0].name).toBe('first_seen_at');
  });

  it('when the platform tables are declared, then their instants follow the same convention', () => {
    for (const table of [outboxTable(schema), seedRunsTable(schema)]) {
      for (const c of getTableConfig(table).columns.filter((col) => col.name.endsWith('_at'))) {
        expect(c.getSQLType(), c.name).toBe('timestamp with time zone');
        expect(c.columnType, c.name).toBe('PgTimestamp');
      }
    }
  });

  it('when a Date is written and read back, then the same instant comes back as a Date, whatever the session zone', async () => {
    const at = new Date('2026-03-02T04:30:00.123Z'); // 23:30 of the day before in Bogotá
    await tdb.db.insert(events).values({ name: 'a', happenedAt: at });
    const [row] = await tdb.db.select().from(events).where(eq(events.name, 'a'));
    expect(row.happenedAt).toBeInstanceOf(Date);
    expect(row.happenedAt!.toISOString()).toBe('2026-03-02T04:30:00.123Z');
    expect(row.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(row.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    const [{ text }] = await tdb.query<{ text: string }>("SELECT to_char(happened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS text FROM tables_test.events WHERE name = 'a'");
    expect(text).toBe('2026-03-02 04:30:00.123');
  });
});
