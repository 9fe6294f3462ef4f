/**
 * A service built from its manifest for the contract suite (docs/api-contract.md): its own schema on a
 * test database, tokens signed with test keys (verified locally; a stub at every `<SERVICE>_URL` serves
 * their JWKS, for a service such as the gateway that fetches keys itself, and answers 503 to anything
 * else, as a platform whose other services are down), the cause of each 5xx captured by request id, and
 * a journal of the rows its tables were written. Nothing here is specific to one service.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalVerifier } from '../auth.ts';
import type { Database } from '../db.ts';
import type { ServiceManifest } from '../manifest.ts';
import { ROLES, type Role } from '../roles.ts';
import type { App } from '../server.ts';
import { envPrefix, SERVICE_NAMES } from '../services.ts';
import { contractOperations, type ContractTarget, type InjectResponse } from './contract.ts';
import type { SchemaObject } from './contract-schema.ts';
import { createTestKeys, mintToken, type TestKeys } from './keys.ts';

export interface PlatformStub {
  url: string;
  close(): Promise<void>;
}

/** The rest of the platform as seen from one service: the JWKS of the test keys, 503 for everything else. */
export async function startPlatformStub(keys: TestKeys): Promise<PlatformStub> {
  const server: Server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' }).end(JSON.stringify(keys.jwks));
      return;
    }
    req.resume();
    res
      .writeHead(503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ success: false, error: { code: 'SERVICE_UNAVAILABLE', message: 'contract stub' }, meta: { timestamp: new Date().toISOString(), request_id: 'contract-stub' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Principal {
  sub: string;
  group_id?: string;
  group_number?: string;
}

/**
 * Who each role's token names. The users service accepts a token only for an active account of its own
 * (R19), so where this database holds the identity owner's accounts (`users.users`: the admin its
 * bootstrap made, the demo people of its seed) each role is one of them; elsewhere a random id. The
 * aprendiz carries a ficha either way, as real aprendiz tokens do (00-conventions §4).
 *
 * `rank` 2 gives the second person of each role, for the object-level cases (another person's ids): a
 * second aprendiz of the first one's ficha where the seed has one, since classmates are the people most
 * likely to be shown each other's data by mistake.
 */
export async function rolePrincipals(database: Database, rank: 1 | 2 = 1): Promise<Record<Role, Principal>> {
  const principals = {} as Record<Role, Principal>;
  let rows: Array<{ id: string; role: string; group_id: string | null; group_number: string | null; n: number }> = [];
  try {
    rows = await database.query(
      `SELECT id::text AS id, role, group_id::text AS group_id, group_number, n::int AS n FROM (
         SELECT u.*, row_number() OVER (PARTITION BY role ORDER BY created_at, id) AS n,
                first_value(group_id) OVER (PARTITION BY role ORDER BY created_at, id) AS first_group
         FROM users.users u WHERE is_active AND deleted_at IS NULL) ranked
       ORDER BY role, (group_id IS NOT DISTINCT FROM first_group) DESC, n`,
    );
  } catch {
    // No identity owner in this database: random subjects.
  }
  for (const role of ROLES) {
    const ofRole = rows.filter((r) => r.role === role);
    // The first account as created; the second: the next one, of the same ficha first.
    const row = rank === 1 ? ofRole.find((r) => r.n === 1) : ofRole.find((r) => r.n !== 1);
    const first = ofRole.find((r) => r.n === 1);
    principals[role] = { sub: row?.id ?? randomUUID() };
    if (role === 'aprendiz') {
      principals[role].group_id = row?.group_id ?? first?.group_id ?? SHARED_GROUP;
      principals[role].group_number = row?.group_number ?? first?.group_number ?? '2826503';
    }
  }
  return principals;
}

/** The ficha of random aprendiz principals: both persons of an object-level case share it. */
const SHARED_GROUP = randomUUID();

/** A fresh token for a role's principal. */
export function roleToken(keys: TestKeys, role: Role, principal: Principal): Promise<string> {
  return mintToken(keys, { ...principal, role, email: `${role}@contract.test`, name: `Contrato ${role}` });
}

/**
 * What the service has written, per table of its schema: a row trigger on each table counts the rows
 * every committed transaction inserted, updated or deleted (one counter row per transaction and table,
 * so concurrent writers never wait on each other; a rolled-back write leaves no count). Reading it is one
 * small query, and unlike row counts it sees an UPDATE.
 */
export async function writeJournal(database: Database, schema: string): Promise<() => Promise<Record<string, string>>> {
  const tables = (
    await database.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_\\_%' ORDER BY table_name",
      [schema],
    )
  ).map((t) => t.table_name);
  const q = (id: string) => `"${id.replace(/"/g, '""')}"`;
  await database.query('CREATE SCHEMA IF NOT EXISTS contract_audit');
  await database.query(
    'CREATE TABLE IF NOT EXISTS contract_audit.writes (schema_name text NOT NULL, table_name text NOT NULL, tx bigint NOT NULL, n bigint NOT NULL, PRIMARY KEY (schema_name, table_name, tx))',
  );
  await database.query(`CREATE OR REPLACE FUNCTION contract_audit.count_write() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO contract_audit.writes (schema_name, table_name, tx, n) VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, txid_current(), 1)
  ON CONFLICT (schema_name, table_name, tx) DO UPDATE SET n = contract_audit.writes.n + 1;
  RETURN NULL;
END $fn$`);
  for (const t of tables) {
    await database.query(`DROP TRIGGER IF EXISTS contract_count_write ON ${q(schema)}.${q(t)}`);
    await database.query(`CREATE TRIGGER contract_count_write AFTER INSERT OR UPDATE OR DELETE ON ${q(schema)}.${q(t)} FOR EACH ROW EXECUTE FUNCTION contract_audit.count_write()`);
  }
  return async () =>
    Object.fromEntries(
      (await database.query<{ t: string; f: string }>('SELECT table_name AS t, sum(n)::text AS f FROM contract_audit.writes WHERE schema_name = $1 GROUP BY table_name', [schema])).map((r) => [r.t, r.f]),
    );
}

export interface ManifestTarget extends ContractTarget {
  app: App;
  close(): Promise<void>;
}

export interface ManifestTargetOptions {
  database: Database;
  keys?: TestKeys;
  /** Extra environment for `loadConfig`. */
  env?: Record<string, string>;
  /** How long to watch for tables that move on their own (default 1.5 s). */
  ambientWatchMs?: number;
}

/** Builds a manifest's app for the contract suite and learns which of its tables change on their own. */
export async function startManifestTarget(manifest: ServiceManifest, opts: ManifestTargetOptions): Promise<ManifestTarget> {
  const keys = opts.keys ?? (await createTestKeys());
  const stub = await startPlatformStub(keys);
  const causes = new Map<string, string>();
  // A data directory of its own: the users bootstrap keeps generated keys and client secrets there.
  const dataDir = await mkdtemp(join(tmpdir(), `sicora-contract-${manifest.name}-`));
  const env: Record<string, string> = { LOG_LEVEL: 'silent', SICORA_DATA_DIR: dataDir, ...opts.env };
  for (const name of SERVICE_NAMES) env[`${envPrefix(name)}_URL`] ??= stub.url;
  let app: App | undefined;
  try {
    const config = manifest.loadConfig(env);
    app = await manifest.buildApp(config, {
      database: opts.database,
      verifier: createLocalVerifier(keys.jwks, config.jwt),
      // The suite checks answers, not background work: no relay, no daily jobs.
      outboxRelay: false,
      cleanupJob: false,
    });
    // The reason behind each 5xx, cause chain included (the database's own message sits in `cause`).
    app.addHook('onError', async (request, _reply, error) => {
      causes.set(request.id, describeError(error));
      if (causes.size > 5000) causes.delete(causes.keys().next().value as string);
    });
    await app.ready();
    await waitForKeys(app);
    // The demo data of the embedded start (step 4): rows to read, update and refuse to change.
    await manifest.localSeed?.({ env, database: opts.database });
  } catch (err) {
    await app?.close().catch(() => undefined);
    await stub.close();
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const built = app;
  const doc = (await built.inject({ method: 'GET', url: '/docs/json' })).json() as SchemaObject;
  const fingerprint = await writeJournal(opts.database, manifest.name);
  const principals = await rolePrincipals(opts.database);
  const seconds = await rolePrincipals(opts.database, 2);
  const target: ManifestTarget = {
    name: manifest.name,
    app: built,
    doc,
    inject: (o) => built.inject(o) as unknown as Promise<InjectResponse>,
    token: (role, person = 1) => roleToken(keys, role, (person === 2 ? seconds : principals)[role]),
    principalIds: [...Object.values(principals), ...Object.values(seconds)].map((p) => p.sub),
    fingerprint,
    errorFor: (id) => causes.get(id),
    async close() {
      try {
        await built.close();
      } finally {
        await stub.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
  // Only a service with operations to check needs to know (the watch costs 1.5 s).
  target.ambientTables = contractOperations(doc).length > 0 ? await ambientTables(target, opts.ambientWatchMs) : [];
  return target;
}

/** An error and its causes, first line of each message, with driver codes (`22021` for a NUL byte…). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && depth < 4; depth++) {
    const err = e as { name?: string; message?: string; code?: unknown; cause?: unknown };
    const first = String(err.message ?? e).split('\n')[0];
    parts.push(`${err.name ?? 'Error'}${err.code ? ` ${String(err.code)}` : ''}: ${first.length > 160 ? `${first.slice(0, 160)}…` : first}`);
    e = err.cause;
  }
  return parts.join(' ← ');
}

/** Waits (up to 5 s) until readiness no longer reports the JWKS check failing: the gateway loads keys after start. */
async function waitForKeys(app: App): Promise<void> {
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    const jwks = (res.json() as { checks?: Record<string, string> }).checks?.jwks;
    if (jwks === undefined || jwks === 'ok') return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Tables that change without any accepted request: by every request (a request log, which may be
 * written in batches a second later) or in the background. Learnt from requests to an unknown path, with
 * and without a token, then 1.5 s of watching.
 */
export async function ambientTables(target: ContractTarget, watchMs = 1500): Promise<string[]> {
  if (!target.fingerprint) return [];
  const before = await target.fingerprint();
  for (const auth of [undefined, await target.token('admin')]) {
    for (let i = 0; i < 2; i++) {
      const res = await target.inject({ method: 'GET', url: '/api/v1/contract-no-such-path', headers: auth ? { authorization: `Bearer ${auth}` } : {}, payloadAsStream: true } as never);
      res.stream().resume();
    }
  }
  const moved = new Set<string>();
  let last = before;
  for (let waited = 0; waited < watchMs; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await target.fingerprint();
    for (const t of Object.keys({ ...last, ...now })) if (last[t] !== now[t]) moved.add(t);
    last = now;
  }
  return [...moved].sort();
}
