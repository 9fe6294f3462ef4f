import { pgSchema, text, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conflictFromUnique, isUniqueViolation, onUniqueViolation, uniqueViolation } from '../src/db-errors.ts';
import { AppError, errors } from '../src/errors.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/db.ts';

const schema = pgSchema('db_errors_test');
const people = schema.table('people', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull(),
  doc: text('doc').notNull(),
});

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await tdb.query('CREATE SCHEMA db_errors_test');
  await tdb.query('CREATE TABLE db_errors_test.people (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text NOT NULL, doc text NOT NULL, CONSTRAINT people_email_uq UNIQUE (email))');
  // A partial unique index (like users' "live" rows): reported under the index name.
  await tdb.query('CREATE UNIQUE INDEX people_doc_uq ON db_errors_test.people (doc) WHERE doc <> \'\'');
  await tdb.db.insert(people).values({ email: 'ana@x.co', doc: '100' });
});

afterAll(async () => {
  await tdb.destroy();
});

/** The error a duplicate insert raises, through Drizzle (wrapped) and through raw SQL (the driver's own). */
async function duplicate(via: 'drizzle' | 'raw', row: { email: string; doc: string }): Promise<unknown> {
  const work = via === 'drizzle'
    ? tdb.db.insert(people).values(row)
    : tdb.query('INSERT INTO db_errors_test.people (email, doc) VALUES ($1, $2)', [row.email, row.doc]);
  return Promise.resolve(work).then(() => undefined, (e: unknown) => e);
}

describe(`unique violations on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  for (const via of ['drizzle', 'raw'] as const) {
    it(`when a ${via} insert repeats a unique key, then the violation and its constraint are recognised`, async () => {
      const byEmail = await duplicate(via, { email: 'ana@x.co', doc: '200' });
      expect(uniqueViolation(byEmail)).toMatchObject({ constraint: 'people_email_uq', table: 'people' });
      expect(isUniqueViolation(byEmail)).toBe(true);
      expect(isUniqueViolation(byEmail, 'people_email_uq')).toBe(true);
      expect(isUniqueViolation(byEmail, ['people_doc_uq'])).toBe(false);
      const byDoc = await duplicate(via, { email: 'other@x.co', doc: '100' });
      expect(uniqueViolation(byDoc)?.constraint).toBe('people_doc_uq');
    });
  }

  it('when another database error happens, then it is not a unique violation', async () => {
    const notNull = await tdb.query('INSERT INTO db_errors_test.people (email) VALUES ($1)', ['x@x.co']).then(() => undefined, (e: unknown) => e);
    expect(notNull).toBeDefined();
    expect(uniqueViolation(notNull)).toBeUndefined();
    expect(isUniqueViolation(new Error('boom'))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
    expect(isUniqueViolation('23505')).toBe(false);
  });

  it('when a violation is mapped by code, then it becomes a 409 with that code', async () => {
    const err = await onUniqueViolation(() => tdb.db.insert(people).values({ email: 'ana@x.co', doc: '300' }), 'EMAIL_ALREADY_EXISTS').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'EMAIL_ALREADY_EXISTS', kind: 'conflict', status: 409 });
    const withMessage = await onUniqueViolation(() => tdb.db.insert(people).values({ email: 'ana@x.co', doc: '301' }), { code: 'TAKEN', message: 'Ya existe' }).catch((e: unknown) => e);
    expect(withMessage).toMatchObject({ code: 'TAKEN', message: 'Ya existe' });
  });

  it('when a violation is mapped by constraint, then each constraint gets its own error and others pass unchanged', async () => {
    const mapping = {
      people_email_uq: () => errors.conflict('EMAIL_ALREADY_EXISTS', 'El correo ya está registrado'),
    };
    const byEmail = await onUniqueViolation(() => tdb.db.insert(people).values({ email: 'ana@x.co', doc: '400' }), mapping).catch((e: unknown) => e);
    expect(byEmail).toMatchObject({ code: 'EMAIL_ALREADY_EXISTS', status: 409 });
    const byDoc = await onUniqueViolation(() => tdb.db.insert(people).values({ email: 'new@x.co', doc: '100' }), mapping).catch((e: unknown) => e);
    expect(byDoc).not.toBeInstanceOf(AppError);
    expect(isUniqueViolation(byDoc, 'people_doc_uq')).toBe(true);
  });

  it('when the work succeeds or fails otherwise, then its result or error is returned as is', async () => {
    const rows = await onUniqueViolation(() => tdb.db.insert(people).values({ email: 'ok@x.co', doc: '500' }).returning(), 'X');
    expect(rows[0].email).toBe('ok@x.co');
    const boom = new Error('boom');
    await expect(onUniqueViolation(async () => { throw boom; }, 'X')).rejects.toBe(boom);
  });

  it('when a violation is rolled back inside a transaction, then the mapped conflict leaves nothing written', async () => {
    const err = await tdb.db
      .transaction(async (tx) => {
        await tx.insert(people).values({ email: 'tx@x.co', doc: '600' });
        await onUniqueViolation(() => tx.insert(people).values({ email: 'ana@x.co', doc: '601' }), 'EMAIL_ALREADY_EXISTS');
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EMAIL_ALREADY_EXISTS' });
    expect(await tdb.query("SELECT 1 FROM db_errors_test.people WHERE email = 'tx@x.co'")).toHaveLength(0);
  });
});

describe('error shapes', () => {
  it('when the violation sits deep in a cause chain or the chain loops, then it is found or the walk ends', () => {
    const inner = Object.assign(new Error('dup'), { code: '23505', constraint: 'c1' });
    const chain = new Error('outer', { cause: new Error('middle', { cause: inner }) });
    expect(uniqueViolation(chain)?.constraint).toBe('c1');
    const loop: { code?: string; cause?: unknown } = { code: '23503' };
    loop.cause = loop;
    expect(uniqueViolation(loop)).toBeUndefined();
    expect(conflictFromUnique(Object.assign(new Error('x'), { code: '23505' }), { c1: () => errors.conflict('C1') })).toBeUndefined();
  });
});
