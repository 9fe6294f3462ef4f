/**
 * The ai test harness: the app through `app.inject` on a real test database (PGlite, or PostgreSQL with
 * DATABASE_URL) with real migrations, tokens per role, the clock fixed by the test, the kb faked at its
 * port (audiences applied per token role, as kb V1 does), and the LLM either absent (embedded default) or
 * a local OpenAI-compatible server started by the test.
 */
import { randomUUID } from 'node:crypto';
import { createLocalVerifier } from '@sicora/platform/auth';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { createTestKeys, mintToken, type TestKeys } from '@sicora/platform/testing/keys';
import type { App } from '@sicora/platform/server';
import type { AttendancePort, EvalinPort, ProjectevalPort, SchedulesPort, UsersPort } from '../src/application/ports.ts';
import { buildApp, type AiOverrides } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { fakeKb, type FakeKb } from './fakes.ts';

export interface Who {
  id: string;
  role: string;
}

export interface Harness {
  app: App;
  db: TestDatabase;
  keys: TestKeys;
  kb: FakeKb;
  clock: { now: Date };
  person(role: string): Who;
  headers(who: Who, extra?: Record<string, string>): Promise<Record<string, string>>;
  inject(method: string, url: string, who: Who | string, payload?: unknown, headers?: Record<string, string>): Promise<import('light-my-request').Response>;
  outbox(type?: string): Promise<Array<{ idempotency_key: string; body: Record<string, unknown> }>>;
  close(): Promise<void>;
}

const unused = () => {
  throw new Error('not used by this test');
};

export const noServices = {
  schedules: { group: unused, assignedGroups: unused, activeGroups: unused, groupInstructors: unused } as SchedulesPort,
  users: { apprentices: unused, user: unused } as UsersPort,
  attendance: { summary: unused, groupCounts: unused, probe: async () => true } as AttendancePort,
  projecteval: { latestPublished: unused } as ProjectevalPort,
  evalin: { latestPeriod: unused, submittedCount: unused } as EvalinPort,
};

export async function createHarness(opts: { env?: Record<string, string>; overrides?: Partial<AiOverrides>; now?: string } = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const keys = await createTestKeys();
  // R18 runs on Redis too when CI sets REDIS_URL; a prefix per harness keeps the counts apart.
  const config = loadConfig({ LOG_LEVEL: process.env.TEST_LOG ?? 'silent', REDIS_URL: process.env.REDIS_URL || undefined, AI_RATE_LIMIT_PREFIX: `sicora:test:${randomUUID()}`, ...opts.env });
  const kb = fakeKb();
  const clock = { now: new Date(opts.now ?? '2026-03-09T15:00:00Z') };
  const app = await buildApp(config, {
    database: db,
    verifier: createLocalVerifier(keys.jwks, config.jwt),
    kb,
    ...noServices,
    now: () => clock.now,
    outboxRelay: false,
    jobs: false,
    ...opts.overrides,
  });
  await app.ready();
  const h: Harness = {
    app,
    db,
    keys,
    kb,
    clock,
    person: (role) => ({ id: randomUUID(), role }),
    async headers(who, extra = {}) {
      return { authorization: `Bearer ${await mintToken(keys, { role: who.role, sub: who.id })}`, ...extra };
    },
    async inject(method, url, who, payload, headers = {}) {
      const p = typeof who === 'string' ? h.person(who) : who;
      return app.inject({ method: method as 'GET', url, headers: await h.headers(p, headers), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    },
    async outbox(type) {
      const rows = await db.query<{ idempotency_key: string; body: Record<string, unknown> }>('SELECT idempotency_key, body FROM ai.outbox ORDER BY created_at, idempotency_key');
      return type ? rows.filter((r) => r.body.type === type) : rows;
    },
    async close() {
      await app.close();
      await db.destroy();
    },
  };
  return h;
}

export const HUMAN_ROLES = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz'] as const;

/** The demo-like kb of the assistant tests (kb.md §11 titles). */
export function seedKb(kb: FakeKb) {
  const justify = kb.add({
    title: 'Cómo justificar una inasistencia',
    kind: 'procedure',
    category: { slug: 'justificaciones', name: 'Justificación de inasistencias' },
    source_reference: 'Procedimiento de justificaciones (texto de demostración)',
    audience: ['aprendiz', 'instructor'],
    words: ['justific', 'dias', 'falta', 'inasistencia'],
    text: 'Tienes 3 días hábiles después de la sesión para justificar una inasistencia, adjuntando de 1 a 3 soportes en PDF, JPEG o PNG.',
    score: 0.7,
  });
  const qr = kb.add({
    title: '¿Cómo registro mi asistencia con el código QR?',
    kind: 'faq',
    summary: 'Muestra tu código QR personal al instructor; se regenera cada 15 segundos.',
    category: { slug: 'asistencia-qr', name: 'Registro con código QR' },
    source_reference: null,
    audience: ['aprendiz'],
    words: ['qr', 'codigo'],
    text: 'El código QR personal se regenera cada 15 segundos y solo el instructor lo escanea.',
    score: 0.8,
  });
  const rights = kb.add({
    title: 'Derechos del aprendiz',
    kind: 'regulation',
    category: { slug: 'derechos-deberes', name: 'Derechos y deberes' },
    source_reference: 'Reglamento del Aprendiz, capítulo 3 (texto de demostración)',
    words: ['derecho'],
    text: 'Son derechos del aprendiz recibir formación de calidad, ser escuchado en descargos y conocer el reglamento.',
    score: 0.55,
  });
  const review = kb.add({
    title: 'Revisión de justificaciones por el instructor',
    kind: 'procedure',
    category: { slug: 'justificaciones', name: 'Justificación de inasistencias' },
    audience: ['instructor', 'coordinador'],
    words: ['revis'],
    text: 'El instructor revisa las justificaciones pendientes de su ficha y las aprueba o rechaza con un motivo.',
    score: 0.65,
  });
  return { justify, qr, rights, review };
}
