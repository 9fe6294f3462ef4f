/**
 * PGlite type parsers set once per client (issue 11): Drizzle's queries no longer carry their parser set
 * (PGlite copied its whole table for each one), and every caller still reads the values it read before —
 * Drizzle its text dates, numerics and intervals, raw queries PGlite's own `Date`s.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { PGlite, QueryOptions } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { bigint, boolean, date, integer, interval, jsonb, numeric, pgEnum, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fromPglite, openPglite, type Database, type Db } from '../src/db.ts';
import { SNAPSHOT_ENV } from '../src/testing/db.ts';

const schema = pgSchema('parsers_probe');
const mood = pgEnum('probe_mood', ['calm', 'busy']);
const rows = schema.table('rows', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  at: timestamp('at', { withTimezone: true, precision: 6 }).notNull(),
  atText: timestamp('at_text', { withTimezone: true, mode: 'string' }).notNull(),
  local: timestamp('local').notNull(),
  day: date('day').notNull(),
  dayDate: date('day_date', { mode: 'date' }).notNull(),
  amount: numeric('amount', { precision: 12, scale: 4 }).notNull(),
  data: jsonb('data').notNull(),
  tags: text('tags').array().notNull(),
  counts: integer('counts').array().notNull(),
  times: timestamp('times', { withTimezone: true }).array().notNull(),
  big: bigint('big', { mode: 'number' }).notNull(),
  huge: bigint('huge', { mode: 'bigint' }).notNull(),
  ok: boolean('ok').notNull(),
  span: interval('span').notNull(),
  mood: mood('mood').notNull(),
});

const ID = '0b0e5a3c-6f5e-4a57-9a59-2f3cbb9c2e11';
let client: PGlite;
let database: Database;
/** Drizzle as the platform wires it. */
let db: Db;
/** Drizzle straight on the client, passing its parsers with each query: the values before this change. */
let reference: Db;

beforeAll(async () => {
  const snapshot = process.env[SNAPSHOT_ENV];
  const loadDataDir = snapshot && existsSync(snapshot) ? new Blob([readFileSync(snapshot)]) : undefined;
  client = await openPglite(undefined, loadDataDir ? { loadDataDir } : {});
  database = fromPglite(client);
  db = database.db;
  reference = drizzle({ client }) as unknown as Db;
  await client.exec(`
    CREATE SCHEMA parsers_probe;
    CREATE TYPE probe_mood AS ENUM ('calm', 'busy');
    CREATE TABLE parsers_probe.rows (id uuid PRIMARY KEY, name text NOT NULL, at timestamptz(6) NOT NULL, at_text timestamptz NOT NULL,
      local timestamp NOT NULL, day date NOT NULL, day_date date NOT NULL, amount numeric(12,4) NOT NULL, data jsonb NOT NULL,
      tags text[] NOT NULL, counts integer[] NOT NULL, times timestamptz[] NOT NULL, big bigint NOT NULL, huge bigint NOT NULL,
      ok boolean NOT NULL, span interval NOT NULL, mood probe_mood NOT NULL);`);
  await db.insert(rows).values({
    id: ID, name: 'Sede Norte', at: new Date('2026-03-01T12:34:56.789Z'), atText: '2026-03-01 07:34:56.123456-05', local: new Date('2026-03-01T08:00:00Z'),
    day: '2026-03-01', dayDate: new Date('2026-03-02T00:00:00Z'), amount: '12345678.1234', data: { a: [1, 'dos'], b: null }, tags: ['x', 'y, z'],
    counts: [1, 2, 3], times: [new Date('2026-01-01T00:00:00Z')], big: 9_007_199_254_740_000, huge: 9_223_372_036_854_775_000n, ok: true,
    span: '1 day 02:03:04', mood: 'busy',
  });
});

afterAll(async () => {
  await client?.close();
});

/** Selects that cover what services read: whole rows, SQL expressions Drizzle returns as the driver gives them. */
async function readAll(d: Db) {
  const executed = (await d.execute(sql`SELECT array_agg(ok) AS oks, array_agg(at) AS ats, array_agg(day) AS days, array_agg(amount) AS amounts,
      array_agg(span) AS spans, array_agg(mood) AS moods, sum(counts[1])::bigint AS total, now() - at AS age_type,
      jsonb_agg(data) AS datas, (array_agg(times))[1] AS times FROM parsers_probe.rows GROUP BY at`)) as unknown as { rows: Array<Record<string, unknown>> };
  return {
    row: await d.select().from(rows).where(eq(rows.id, ID)),
    picked: await d.select({ at: rows.at, day: rows.day, amount: rows.amount, n: sql<number>`count(*) over ()`, last: sql`max(${rows.at}) over ()` }).from(rows),
    execute: executed.rows.map((r) => ({ ...r, age_type: typeof r.age_type })),
    tx: await d.transaction(async (tx) => tx.select({ at: rows.at, local: rows.local, span: rows.span }).from(rows)),
  };
}

describe('PGlite type parsers set once', () => {
  it('when Drizzle reads through the platform, then every value has the type and content Drizzle read with parsers passed per query', async () => {
    const [mine, before] = [await readAll(db), await readAll(reference)];
    expect(mine).toEqual(before);
    const [row] = mine.row;
    expect(row.at).toEqual(new Date('2026-03-01T12:34:56.789Z'));
    expect(row).toMatchObject({ atText: '2026-03-01 12:34:56.123456+00', day: '2026-03-01', amount: '12345678.1234', span: '1 day 02:03:04', huge: 9_223_372_036_854_775_000n, tags: ['x', 'y, z'] });
    // As before: Drizzle's own array types (date[], interval[]) as text, an enum created after start as text, the rest parsed.
    expect(mine.execute[0]).toMatchObject({ oks: [true], days: '{2026-03-01}', amounts: '{12345678.1234}', spans: '{"1 day 02:03:04"}', moods: '{busy}', total: 1 });
  });

  it('when Drizzle queries, then PGlite gets no parser set with them; raw queries keep PGlite\'s own parsing (Date, arrays of Date)', async () => {
    const spy = vi.spyOn(client, 'query');
    try {
      await db.select().from(rows);
      await db.transaction(async (tx) => tx.select().from(rows));
      const calls = spy.mock.calls.map((c) => (c[2] as QueryOptions | undefined)?.parsers);
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every((p) => p === undefined)).toBe(true);
    } finally {
      spy.mockRestore();
    }
    const [raw] = await database.query<{ at: unknown; day: unknown; times: unknown; amount: unknown }>('SELECT at, day, times, amount FROM parsers_probe.rows');
    expect(raw.at).toBeInstanceOf(Date);
    expect(raw.day).toBeInstanceOf(Date);
    expect(raw.times).toEqual([new Date('2026-01-01T00:00:00Z')]);
    expect(raw).toEqual((await client.query('SELECT at, day, times, amount FROM parsers_probe.rows')).rows[0]);
  });

  it('when Drizzle and raw queries run interleaved, then each reads its own types', async () => {
    const runs = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2 === 0
          ? db.select({ at: rows.atText, day: rows.day }).from(rows).then(([r]) => typeof r.at === 'string' && typeof r.day === 'string')
          : database.query<{ at: unknown; day: unknown }>('SELECT at_text AS at, day FROM parsers_probe.rows').then(([r]) => r.at instanceof Date && r.day instanceof Date),
      ),
    );
    expect(runs.every(Boolean)).toBe(true);
  });

  it('when the client is wrapped in a Proxy and handed to fromPglite again (a test\'s outage switch), then both handles keep their types', async () => {
    const proxied = new Proxy(client, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const second = fromPglite(proxied, { shared: true });
    const [[a], [b]] = await Promise.all([second.db.select({ day: rows.day }).from(rows), db.select({ day: rows.day }).from(rows)]);
    expect([a.day, b.day]).toEqual(['2026-03-01', '2026-03-01']);
    expect((await second.query<{ day: unknown }>('SELECT day FROM parsers_probe.rows'))[0].day).toBeInstanceOf(Date);
  });
});
