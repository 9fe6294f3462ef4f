/**
 * The kb test harness: the app on a real test database (PGlite, or PostgreSQL with DATABASE_URL) with
 * real migrations, tokens per role (with a stable `sub` per named person), the clock fixed by the test,
 * and the outbox left for the test to read (no relay, no scheduler).
 */
import { randomUUID } from 'node:crypto';
import { createLocalVerifier } from '@sicora/platform/auth';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { createTestKeys, mintToken, type TestKeys } from '@sicora/platform/testing/keys';
import type { App } from '@sicora/platform/server';
import { buildApp, type KbOverrides } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

export interface Person {
  id: string;
  role: string;
  name: string;
}

export const ROLES = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz', 'service'] as const;

export interface Harness {
  app: App;
  db: TestDatabase;
  keys: TestKeys;
  clock: { now: Date };
  /** Whether this back end has pgvector (PGlite always; PostgreSQL only where installed). */
  vector: boolean;
  admin: Person;
  coordinador: Person;
  administrativo: Person;
  instructor: Person;
  instructor2: Person;
  aprendiz: Person;
  service: Person;
  person(role: string): Person;
  headers(who: Person | string): Promise<Record<string, string>>;
  inject(method: string, url: string, who: Person | string, payload?: unknown): Promise<import('light-my-request').Response>;
  /** POST a category as admin; returns its id. */
  category(slug: string, name?: string, parentId?: string | null): Promise<string>;
  /** POST an item as admin (published unless told); returns the response data. */
  item(o?: Record<string, unknown>, who?: Person): Promise<Record<string, unknown> & { id: string; slug: string; version: number }>;
  outbox(type?: string): Promise<Array<{ idempotency_key: string; body: Record<string, unknown> }>>;
  close(): Promise<void>;
}

export async function createHarness(o: { now?: string; env?: Record<string, string>; overrides?: KbOverrides } = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const keys = await createTestKeys();
  const config = loadConfig({ LOG_LEVEL: process.env.TEST_LOG ?? 'silent', ...o.env });
  const clock = { now: new Date(o.now ?? '2026-03-09T15:00:00Z') };
  const app = await buildApp(config, { database: db, verifier: createLocalVerifier(keys.jwks, config.jwt), now: () => clock.now, outboxRelay: false, jobs: false, ...o.overrides });
  await app.ready();
  const vector = (await db.query("SELECT 1 FROM pg_extension WHERE extname = 'vector'")).length > 0;
  const person = (role: string): Person => ({ id: randomUUID(), role, name: `Persona ${role}` });
  let n = 0;
  const h: Harness = {
    app,
    db,
    keys,
    clock,
    vector,
    admin: person('admin'),
    coordinador: person('coordinador'),
    administrativo: person('administrativo'),
    instructor: person('instructor'),
    instructor2: person('instructor'),
    aprendiz: person('aprendiz'),
    service: { id: randomUUID(), role: 'service', name: 'ai' },
    person,
    async headers(who) {
      const p = typeof who === 'string' ? person(who) : who;
      return { authorization: `Bearer ${await mintToken(keys, { sub: p.id, role: p.role, name: p.name })}` };
    },
    async inject(method, url, who, payload) {
      return app.inject({ method: method as 'GET', url, headers: await h.headers(who), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    },
    async category(slug, name, parentId = null) {
      const res = await h.inject('POST', '/api/v1/kb/categories', h.admin, { slug, name: name ?? slug, parent_id: parentId });
      if (res.statusCode !== 201) throw new Error(`category ${slug}: ${res.statusCode} ${res.body}`);
      return res.json().data.id as string;
    },
    async item(over = {}, who = h.admin) {
      n++;
      let categoryId = over.category_id as string | undefined;
      if (!categoryId) {
        const found = await db.query<{ id: string }>("SELECT id FROM kb.categories WHERE slug = 'general'");
        categoryId = found[0]?.id ?? (await h.category('general', 'General'));
      }
      const body = { kind: 'article', title: `Artículo de prueba ${n}`, content: `Contenido de prueba número ${n} con suficiente texto para pasar la validación.`, status: 'published', tags: ['prueba'], ...over, category_id: categoryId };
      const res = await h.inject('POST', '/api/v1/kb/items', who, body);
      if (res.statusCode !== 201) throw new Error(`item: ${res.statusCode} ${res.body}`);
      return res.json().data;
    },
    async outbox(type) {
      const rows = await db.query<{ idempotency_key: string; body: Record<string, unknown> }>('SELECT idempotency_key, body FROM kb.outbox ORDER BY created_at, idempotency_key');
      return type ? rows.filter((r) => r.body.type === type) : rows;
    },
    async close() {
      await app.close();
      await db.destroy();
    },
  };
  return h;
}
