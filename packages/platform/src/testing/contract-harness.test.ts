/**
 * The contract harness catches what it is for (issue 10): a tiny planted app — not a service — with one
 * defect of each kind, and one well-behaved operation that must come out clean. Always runs, next to
 * the suite over the real services (test/contract).
 */
import { randomUUID } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalVerifier, currentUser, registerAuth, requireAuth, type TokenVerifier } from '@sicora/platform/auth';
import { loadServiceConfig } from '@sicora/platform/config';
import type { Database } from '@sicora/platform/db';
import type { ServiceManifest } from '@sicora/platform/manifest';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { PageQuery } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { createServer, type App } from '@sicora/platform/server';
import { Timestamp, Uuid } from '@sicora/platform/schemas';
import {
  createContractRun,
  DEFAULT_SEED,
  OBJECT_LEVEL,
  operationSeed,
  requestArbitrary,
  schemaArbitrary,
  schemaContext,
  type ContractRun,
  type ContractTarget,
  type InjectResponse,
  type OperationReport,
  type SchemaObject,
} from '@sicora/platform/testing/contract';
import { invalidCandidates, type JsonSchema } from '@sicora/platform/testing/contract-schema';
import { contractOperations } from '@sicora/platform/testing/contract-openapi';
import { findingsMarkdown } from '@sicora/platform/testing/contract-report';
import { ambientTables, describeError, rolePrincipals, roleToken, startManifestTarget, startPlatformStub, writeJournal } from '@sicora/platform/testing/contract-target';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { createTestKeys, type TestKeys } from '@sicora/platform/testing/keys';

const ADMIN_ONLY = ['admin'] as const;

/**
 * A guard hidden from the platform: the same checks as `guard`, but untagged, so createServer neither
 * moves it before validation nor documents its roles — how a service could still get the order wrong.
 */
function untagged(guard: ReturnType<typeof requireAuth>) {
  const run = guard as unknown as (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  return async (request: FastifyRequest, reply: FastifyReply) => run(request, reply);
}
const Item = Type.Object({ id: Uuid, name: Type.String() });

/** The planted app's one "table": what a refused request must never change. */
const notes: string[] = [];
/** The planted memos, each with its owner (the token's subject). */
const memos: Array<{ id: string; owner: string; text: string }> = [];

async function plantedServer(verifier: TokenVerifier): Promise<App> {
  const app = await createServer({
    name: 'planted',
    config: { logLevel: 'silent', corsOrigins: ['*'], bodyLimit: 1_048_576, publicBaseUrl: 'http://localhost' },
  });
  registerAuth(app, verifier, { readiness: false });
  return app;
}

async function plantedApp(keys: TestKeys): Promise<App> {
  const app = await plantedServer(createLocalVerifier(keys.jwks, { issuer: 'sicora', audience: 'sicora-api' }));

  // (i) An unbounded `page` (its own, not the platform's PageQuery, which has a maximum) going into
  // something that cannot hold the offset (as an int4 OFFSET).
  app.get(
    '/api/v1/planted/items',
    {
      schema: { 'x-roles': ['admin', 'coordinador'], querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1 })), page_size: PageQuery.page_size }), response: { 200: Envelope(Type.Array(Item)), ...errorResponses(401, 403, 422) } },
      preHandler: requireAuth({ roles: ['admin', 'coordinador'] }),
    },
    async (request) => {
      const { page = 1, page_size = 20 } = request.query as { page?: number; page_size?: number };
      const offset = (page - 1) * page_size;
      if (offset > 2_147_483_647) throw new Error(`value "${offset}" is out of range for type integer`);
      return ok(request, []);
    },
  );

  // (ii) x-roles says admin only, but the (untagged) guard checks no role.
  app.get(
    '/api/v1/planted/admin-only',
    { schema: { 'x-roles': [...ADMIN_ONLY], response: { 200: Envelope(Type.Object({ secret: Type.String() })), ...errorResponses(401, 403) } }, preHandler: untagged(requireAuth()) },
    async (request) => ok(request, { secret: 'x' }),
  );

  // (iii) A refusal that writes first: the note is stored, then the request is refused.
  app.post(
    '/api/v1/planted/notes',
    {
      schema: {
        'x-roles': [...ADMIN_ONLY],
        body: Type.Object({ text: Type.String({ maxLength: 50 }) }, { additionalProperties: false }),
        response: { 201: Envelope(Type.Object({ count: Type.Integer() })), ...errorResponses(400, 401, 403, 415, 422) },
      },
      preHandler: requireAuth({ roles: ADMIN_ONLY }),
    },
    async (request, reply) => {
      const { text } = request.body as { text: string };
      notes.push(text);
      if (text.length < 3) throw errors.validation([{ field: 'text', reason: 'too_short', message: 'Muy corto' }]);
      return reply.code(201).send(ok(request, { count: notes.length }));
    },
  );

  // (iv) Answers the document does not describe: a CSV documented as JSON, a 409 it does not list, and
  // a body its schema refuses (a number where it says a UUID).
  app.get(
    '/api/v1/planted/report',
    {
      schema: {
        'x-roles': [...ADMIN_ONLY],
        querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('odd')])) }),
        response: { 200: Envelope(Item), ...errorResponses(401, 403, 422) },
      },
      preHandler: requireAuth({ roles: ADMIN_ONLY }),
    },
    async (request, reply) => {
      const format = (request.query as { format?: string }).format;
      // Deliberately off the declared response types: `as never` gets past the type provider.
      if (format === 'csv') return reply.type('text/csv').send('id,name\n1,a\n' as never);
      if (format === 'odd') throw errors.conflict('ODD_STATE', 'Estado raro');
      // Serialised by hand: the response schema would otherwise coerce the id to a string.
      return reply.type('application/json').serializer(JSON.stringify).send(ok(request, { id: 12345, name: 'x' }) as never);
    },
  );

  // (v) Validation before authorization: the body is checked before the caller's role (an untagged
  // guard in preHandler, which the platform cannot move).
  app.post(
    '/api/v1/planted/validate-first',
    {
      schema: {
        'x-roles': [...ADMIN_ONLY],
        body: Type.Object({ when: Timestamp }, { additionalProperties: false }),
        response: { 200: Envelope(Type.Object({ ok: Type.Boolean() })), ...errorResponses(400, 401, 403, 415, 422) },
      },
      preHandler: untagged(requireAuth({ roles: ADMIN_ONLY })),
    },
    async (request) => ok(request, { ok: true }),
  );

  // (v) Object-level: each person's own memos. The list and the deletion keep to the caller; the read of
  // one memo forgets to (any person's memo by id), the defect a second person's ids must catch.
  const PERSONS = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz'] as const;
  const Memo = Type.Object({ id: Uuid, text: Type.String() });
  const MemoParams = Type.Object({ id: Uuid });
  app.post(
    '/api/v1/planted/memos',
    { schema: { body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 50 }) }, { additionalProperties: false }), response: { 201: Envelope(Memo) } }, onRequest: requireAuth({ roles: PERSONS }) },
    async (request, reply) => {
      const memo = { id: randomUUID(), owner: currentUser(request).sub, text: (request.body as { text: string }).text };
      memos.push(memo);
      return reply.code(201).send(ok(request, { id: memo.id, text: memo.text }));
    },
  );
  app.get(
    '/api/v1/planted/memos',
    { schema: { response: { 200: Envelope(Type.Array(Memo)) } }, onRequest: requireAuth({ roles: PERSONS }) },
    async (request) => ok(request, memos.filter((m) => m.owner === currentUser(request).sub).map(({ id, text }) => ({ id, text }))),
  );
  app.get(
    '/api/v1/planted/memos/:id',
    { schema: { params: MemoParams, response: { 200: Envelope(Memo), ...errorResponses(404) } }, onRequest: requireAuth({ roles: PERSONS }) },
    async (request) => {
      const memo = memos.find((m) => m.id === (request.params as { id: string }).id);
      if (!memo) throw errors.notFound('MEMO_NOT_FOUND', 'Nota no encontrada');
      return ok(request, { id: memo.id, text: memo.text });
    },
  );
  app.delete(
    '/api/v1/planted/memos/:id',
    { schema: { params: MemoParams, response: { 204: Type.Null(), ...errorResponses(404) } }, onRequest: requireAuth({ roles: PERSONS }) },
    async (request, reply) => {
      const at = memos.findIndex((m) => m.id === (request.params as { id: string }).id && m.owner === currentUser(request).sub);
      if (at < 0) throw errors.notFound('MEMO_NOT_FOUND', 'Nota no encontrada');
      memos.splice(at, 1);
      return reply.code(204).send(null);
    },
  );

  // The control: documented, guarded and bounded as the conventions ask. It must come out clean.
  app.get(
    '/api/v1/planted/things/:id',
    {
      schema: { 'x-roles': [...ADMIN_ONLY], params: Type.Object({ id: Uuid }), response: { 200: Envelope(Item), ...errorResponses(400, 401, 403, 404, 422) } },
      // Authorization first (00-conventions §2): the guard runs in onRequest, before validation.
      onRequest: requireAuth({ roles: ADMIN_ONLY }),
    },
    async () => {
      throw errors.notFound('THING_NOT_FOUND', 'Cosa no encontrada');
    },
  );
  await app.ready();
  return app;
}

let app: App;
let run: ContractRun;
const reports = new Map<string, OperationReport>();

beforeAll(async () => {
  const keys = await createTestKeys();
  app = await plantedApp(keys);
  const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as SchemaObject;
  const principal = { sub: '00000000-0000-4000-8000-000000000001' };
  const second = { sub: '00000000-0000-4000-8000-000000000002' };
  const target: ContractTarget = {
    name: 'planted',
    doc,
    inject: (o) => app.inject(o) as unknown as Promise<InjectResponse>,
    token: (role, person) => roleToken(keys, role, person === 2 ? second : principal),
    fingerprint: async () => ({ notes: String(notes.length) }),
  };
  run = createContractRun(target, { runs: 25, seed: DEFAULT_SEED });
  for (const op of run.operations) reports.set(op.id, await run.check(op));
  reports.set(OBJECT_LEVEL, await run.checkObjectLevel());
});

afterAll(async () => {
  await app?.close();
});

function kinds(id: string): string[] {
  return [...new Set(reports.get(id)?.findings.map((f) => f.kind))].sort();
}

describe('the contract harness on a planted app', () => {
  it('reads every planted operation from the document, with its x-roles', () => {
    expect(run.operations.map((o) => o.id).sort()).toEqual([
      'DELETE /api/v1/planted/memos/{id}',
      'GET /api/v1/planted/admin-only',
      'GET /api/v1/planted/items',
      'GET /api/v1/planted/memos',
      'GET /api/v1/planted/memos/{id}',
      'GET /api/v1/planted/report',
      'GET /api/v1/planted/things/{id}',
      'POST /api/v1/planted/memos',
      'POST /api/v1/planted/notes',
      'POST /api/v1/planted/validate-first',
    ]);
    expect(run.operations.find((o) => o.id === 'GET /api/v1/planted/items')?.roles).toEqual(['admin', 'coordinador']);
    expect(run.report().withoutRoles).toEqual([]);
  });

  it('when a page is unbounded and the offset overflows, then the fuzz reports the 500 with its input', () => {
    const f = reports.get('GET /api/v1/planted/items')!.findings.find((x) => x.kind === 'server-error');
    expect(f).toMatchObject({ status: 500, documentedValid: true });
    expect(f!.input).toMatch(/page=/);
    expect(kinds('GET /api/v1/planted/items')).toContain('server-error');
  });

  it('when x-roles says admin but the guard checks no role, then every other role is reported', () => {
    const report = reports.get('GET /api/v1/planted/admin-only')!;
    const refused = report.findings.filter((f) => f.kind === 'role-not-honoured').map((f) => f.principal).sort();
    expect(refused).toEqual(['administrativo', 'aprendiz', 'coordinador', 'instructor', 'service']);
    expect(report.matrix).toMatchObject({ admin: 200, instructor: 200, none: 401 });
  });

  it('when a refused request has written, then the database change is reported', () => {
    const f = reports.get('POST /api/v1/planted/notes')!.findings.find((x) => x.kind === 'db-changed-on-refusal');
    expect(f).toMatchObject({ status: 422, detail: '422 VALIDATION_ERROR changed notes' });
  });

  it('when answers stray from the document, then media type, status and schema mismatches are reported', () => {
    expect(kinds('GET /api/v1/planted/report')).toEqual(expect.arrayContaining(['content-type-mismatch', 'schema-mismatch', 'undocumented-status']));
    const schema = reports.get('GET /api/v1/planted/report')!.findings.find((f) => f.kind === 'schema-mismatch');
    expect(schema?.detail).toMatch(/\/data\/id must be string/);
  });

  it('when the body is validated before the role, then a refused caller getting 422 is reported', () => {
    const f = reports.get('POST /api/v1/planted/validate-first')!.findings.filter((x) => x.kind === 'validation-before-authorization');
    expect(f.map((x) => x.principal).sort()).toEqual(['coordinador', 'none']);
  });

  it('when an item read forgets its owner, then a second person reading the first one\'s memo is reported, and the scoped deletion is not', () => {
    const report = reports.get(OBJECT_LEVEL)!;
    const leaks = report.findings.filter((f) => f.kind === 'object-level-leak');
    expect(leaks.length).toBeGreaterThan(0);
    expect(new Set(leaks.map((f) => f.operation))).toEqual(new Set(['GET /api/v1/planted/memos/{id}']));
    expect(leaks[0]).toMatchObject({ status: 200 });
    expect(leaks[0].detail).toMatch(/another \w+ got 200 for id .* which only the first \w+'s \/api\/v1\/planted\/memos lists/);
    // The deletion was tried with the same ids and refused (404).
    expect(report.statuses['404']).toBeGreaterThan(0);
    // The memo operations themselves keep the contract.
    for (const id of ['POST /api/v1/planted/memos', 'GET /api/v1/planted/memos', 'GET /api/v1/planted/memos/{id}', 'DELETE /api/v1/planted/memos/{id}']) expect(kinds(id)).toEqual([]);
  });

  it('when an operation keeps the contract, then it has no finding', () => {
    const report = reports.get('GET /api/v1/planted/things/{id}')!;
    expect(report.findings).toEqual([]);
    expect(report.matrix).toEqual({ admin: 404, coordinador: 403, administrativo: 403, instructor: 403, aprendiz: 403, service: 403, none: 401 });
    expect(report.runs).toBeGreaterThanOrEqual(25);
  });

  it('when the seed is the same, then the generated requests are the same', () => {
    const op = run.operations.find((o) => o.id === 'GET /api/v1/planted/items')!;
    const ctx = schemaContext({});
    const seed = operationSeed(DEFAULT_SEED, op.id);
    expect(fc.sample(requestArbitrary(op, ctx), { seed, numRuns: 10 })).toEqual(fc.sample(requestArbitrary(op, ctx), { seed, numRuns: 10 }));
  });
});

// The generators themselves, property-tested: what they call valid, ajv accepts; what they call
// invalid, ajv refuses.
const ctx = schemaContext({});
const SCHEMAS: JsonSchema[] = [
  { type: 'string', format: 'uuid' },
  Timestamp as unknown as SchemaObject,
  { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  { type: 'string', format: 'email', maxLength: 254 },
  { type: 'string', pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*){1,3}$', maxLength: 100 },
  { type: 'string', minLength: 2, maxLength: 5 },
  { type: 'integer', minimum: 1, maximum: 100 },
  { type: 'integer', minimum: 1 },
  { type: 'number', exclusiveMinimum: 0, maximum: 1 },
  { anyOf: [{ type: 'string', enum: ['a'] }, { type: 'string', enum: ['b'] }, { type: 'null' }] },
  { type: 'array', items: { type: 'string', format: 'uuid' }, minItems: 1, maxItems: 3, uniqueItems: true },
  {
    type: 'object',
    required: ['name', 'tags'],
    additionalProperties: false,
    properties: { name: { type: 'string', minLength: 1, maxLength: 10 }, tags: { type: 'array', items: { type: 'string', maxLength: 3 } }, note: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
  },
  { type: 'object', additionalProperties: { type: 'integer', minimum: 0, maximum: 9 } },
];
const planted = fc.constantFrom(...SCHEMAS).chain((schema) => fc.tuple(fc.constant(schema), fc.constantFrom('valid' as const, 'boundary' as const)));

describe('the schema generators', () => {
  test.prop([planted.chain(([schema, mode]) => fc.tuple(fc.constant(schema), schemaArbitrary(schema, mode, ctx)))], { seed: DEFAULT_SEED, numRuns: 400 })(
    'when a value is generated as valid or boundary, then its schema accepts it',
    ([schema, value]) => {
      expect(ctx.errors(schema, value)).toEqual([]);
    },
  );

  test.prop([fc.constantFrom(...SCHEMAS)], { seed: DEFAULT_SEED, numRuns: 50 })('when values are built as invalid, then their schema refuses every one', (schema) => {
    const candidates = invalidCandidates(schema, ctx);
    expect(candidates.length).toBeGreaterThan(0);
    for (const v of candidates) expect(ctx.accepts(schema, v)).toBe(false);
  });

  it('when a document has platform routes, then they are left out', () => {
    const ops = contractOperations({ paths: { '/health': { get: {} }, '/health/ready': { get: {} }, '/metrics': { get: {} }, '/docs/json': { get: {} }, '/api/v1/x': { get: {} } } });
    expect(ops.map((o) => o.id)).toEqual(['GET /api/v1/x']);
  });
});

/**
 * A planted manifest (not a service of the catalogue): its app writes a row of its own schema and then
 * refuses the request, so the target built from a manifest must report the write through its journal.
 */
function plantedManifest(): ServiceManifest {
  return {
    name: 'planted',
    description: 'Planted for the contract self-test',
    migrationsFolder: '',
    loadConfig: (env) => loadServiceConfig('planted', Type.Object({}), env),
    async buildApp(_config, overrides) {
      const database = overrides!.database as Database;
      await database.query('CREATE SCHEMA IF NOT EXISTS planted');
      await database.query('CREATE TABLE IF NOT EXISTS planted.notes (id serial PRIMARY KEY, text text NOT NULL)');
      const app = await plantedServer(overrides!.verifier as TokenVerifier);
      app.post(
        '/api/v1/planted/db-notes',
        {
          schema: {
            'x-roles': ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz', 'service'],
            body: Type.Object({ text: Type.String({ maxLength: 20 }) }),
            response: { 201: Envelope(Type.Object({ id: Type.Integer() })), ...errorResponses(400, 401, 403, 415, 422) },
          },
          preHandler: requireAuth(),
        },
        async (request, reply) => {
          const { text } = request.body as { text: string };
          const [row] = await database.query<{ id: number }>('INSERT INTO planted.notes (text) VALUES ($1) RETURNING id', [text.split('\u0000').join('')]);
          if (text.length < 3) throw errors.validation([{ field: 'text', reason: 'too_short', message: 'Muy corto' }]);
          return reply.code(201).send(ok(request, { id: row.id }));
        },
      );
      app.get('/api/v1/planted/boom', { schema: { 'x-roles': ['public'], response: { 200: Envelope(Type.Object({})) } } }, async () => {
        throw new Error('planted failure', { cause: Object.assign(new Error('value out of range'), { code: '22003' }) });
      });
      return app;
    },
    localSeed: async ({ database }) => {
      await database.query("INSERT INTO planted.notes (text) VALUES ('seeded')");
    },
  };
}

describe('the contract harness on a database', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('when a target is built from a manifest, then a refused request that wrote is reported with its table and a 500 with its cause', async () => {
    const target = await startManifestTarget(plantedManifest(), { database: db, ambientWatchMs: 200 });
    try {
      expect(target.ambientTables).toEqual([]);
      const run = createContractRun(target, { runs: 10 });
      const notesReport = await run.check(run.operations.find((o) => o.id === 'POST /api/v1/planted/db-notes')!);
      expect(notesReport.findings.filter((f) => f.kind === 'db-changed-on-refusal').map((f) => f.detail)).toEqual(['422 VALIDATION_ERROR changed notes']);
      const boom = await run.check(run.operations.find((o) => o.id === 'GET /api/v1/planted/boom')!);
      expect(boom.findings.find((f) => f.kind === 'server-error')?.cause).toBe('Error: planted failure ← Error 22003: value out of range');
      const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM planted.notes WHERE text = 'seeded'");
      expect(n).toBe(1);
      const md = findingsMarkdown([run.report()], { command: 'self-test', seed: DEFAULT_SEED, runs: 10, backEnd: 'test' });
      expect(md).toContain('### POST /api/v1/planted/db-notes');
      expect(md).toContain('DB changed on refusal');
      expect(md).toContain('cause: Error: planted failure');
    } finally {
      await target.close();
    }
  });

  it('when rows are written, then the journal moves; when the write is rolled back, then it does not', async () => {
    await db.query('CREATE SCHEMA journal_probe');
    await db.query('CREATE TABLE journal_probe.t (id int PRIMARY KEY, v text)');
    const print = await writeJournal(db, 'journal_probe');
    const empty = await print();
    await db.query("INSERT INTO journal_probe.t VALUES (1, 'a')");
    const inserted = await print();
    expect(inserted.t).not.toEqual(empty.t);
    await db.query("UPDATE journal_probe.t SET v = 'b'");
    const updated = await print();
    expect(updated.t).not.toEqual(inserted.t);
    await db.query("DO $$ BEGIN INSERT INTO journal_probe.t VALUES (2, 'c'); RAISE EXCEPTION 'rolled back'; END $$").catch(() => undefined);
    expect(await print()).toEqual(updated);
  });

  it('when the identity owner has accounts, then each role is one of them; otherwise a random id', async () => {
    const before = await rolePrincipals(db);
    expect(before.admin.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(before.aprendiz).toMatchObject({ group_number: '2826503' });
    await db.query('CREATE SCHEMA IF NOT EXISTS users');
    await db.query(
      'CREATE TABLE users.users (id uuid PRIMARY KEY, role text, is_active boolean, deleted_at timestamptz, group_id uuid, group_number text, created_at timestamptz DEFAULT now())',
    );
    await db.query(
      "INSERT INTO users.users (id, role, is_active, group_id, group_number) VALUES ('5eed0001-0000-4000-8000-000000000001', 'admin', true, NULL, NULL), ('5eed0001-0000-4000-8000-000000000020', 'aprendiz', true, '5eed0005-0000-4000-8000-000000000001', '2901817')",
    );
    const after = await rolePrincipals(db);
    expect(after.admin.sub).toBe('5eed0001-0000-4000-8000-000000000001');
    expect(after.aprendiz).toEqual({ sub: '5eed0001-0000-4000-8000-000000000020', group_id: '5eed0005-0000-4000-8000-000000000001', group_number: '2901817' });
    await db.query('DROP SCHEMA users CASCADE');
  });
});

describe('the contract harness plumbing', () => {
  it('when the platform stub is asked, then it serves the JWKS and refuses the rest with 503', async () => {
    const keys = await createTestKeys();
    const stub = await startPlatformStub(keys);
    try {
      expect(await (await fetch(`${stub.url}/.well-known/jwks.json`)).json()).toEqual(keys.jwks);
      expect((await fetch(`${stub.url}/api/v1/users`)).status).toBe(503);
    } finally {
      await stub.close();
    }
  });

  it('when a table moves on its own, then it is ambient', async () => {
    let ticks = 0;
    const keys = await createTestKeys();
    const app = await plantedServer(createLocalVerifier(keys.jwks, { issuer: 'sicora', audience: 'sicora-api' }));
    await app.ready();
    try {
      const target: ContractTarget = {
        name: 'ticking',
        doc: {},
        inject: (o) => app.inject(o) as unknown as Promise<InjectResponse>,
        token: (role) => roleToken(keys, role, { sub: '00000000-0000-4000-8000-000000000002' }),
        fingerprint: async () => ({ log: String(ticks++), still: '0' }),
      };
      expect(await ambientTables(target, 200)).toEqual(['log']);
    } finally {
      await app.close();
    }
  });

  it('when an error has causes, then each is described with its code', () => {
    expect(describeError(new Error('outer\nsecond line', { cause: Object.assign(new Error('inner'), { code: '22021' }) }))).toBe('Error: outer ← Error 22021: inner');
  });
});
