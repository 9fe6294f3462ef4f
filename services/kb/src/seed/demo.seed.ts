/**
 * kb.md §11 demo data, written only to kb tables (no other service is called), with fixed `5eed…` ids,
 * inserted only when absent, completion recorded in seed_runs. Items go through the repositories' write
 * path (R5 slugs, R6 version rows, R8 passages, R9 vectors), so search works on them at once.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '@sicora/platform/db';
import { slugify } from '../domain/text.ts';
import { seedRuns } from '../infrastructure/db/schema.ts';
import { createRepositories, createUnitOfWork } from '../infrastructure/repositories.ts';
import { DEMO_CATEGORIES } from './demo.categories.ts';
import { DEMO_ITEMS } from './demo.items.ts';

export const DEMO_SEED = 'kb-demo';
export const AUTHOR_NAME = 'Coordinación Académica';

export const categoryId = (n: number) => `5eed0060-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const itemId = (n: number) => `5eed0061-0000-4000-8000-${String(n).padStart(12, '0')}`;
const logId = (n: number) => `5eed0062-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** B1's seeded groups. */
export const DEMO_SYNONYMS = [
  ['aprendiz', 'estudiante', 'alumno'],
  ['inasistencia', 'falta', 'ausencia'],
  ['instructor', 'profesor', 'docente'],
  ['ficha', 'grupo', 'curso'],
  ['justificacion', 'excusa', 'soporte'],
];

const WITH_RESULTS = [
  'cómo justificar una inasistencia', 'código QR', 'reglamento del aprendiz', 'derechos del aprendiz', 'cambiar contraseña',
  'recurso de reposición', 'horario de la ficha', 'evaluar instructores', 'faltas graves', 'comité de evaluación',
  'plan de mejoramiento', 'retiro voluntario', 'cuenta bloqueada', 'deberes del aprendiz', 'asistencia QR',
];
const ZERO = ['certificado de notas', 'certificado de notas', 'certificado de notas', 'carnet estudiantil', 'carnet estudiantil', 'cambio de jornada', 'cambio de jornada', 'wifi de la sede', 'subsidio de transporte', 'contrato de aprendizaje'];
const LOG_ROLES = ['aprendiz', 'aprendiz', 'aprendiz', 'instructor', 'coordinador', 'administrativo'];

export async function seedKbDemo(database: Database, now: Date = new Date()): Promise<void> {
  const db = database.db;
  const [done] = await db.select().from(seedRuns).where(eq(seedRuns.name, DEMO_SEED));
  if (done) return;
  const repos = createRepositories(db);
  const tx = createUnitOfWork(db);

  const slugToId = new Map<string, string>();
  for (const [i, [slug, name, parent, sort, description]] of DEMO_CATEGORIES.entries()) {
    const id = categoryId(i + 1);
    slugToId.set(slug, id);
    if (await repos.categories.findById(id)) continue;
    await repos.categories.insert({ id, slug, name, description, parentId: parent ? slugToId.get(parent)! : null, sortOrder: sort, isActive: true, createdAt: now, updatedAt: now });
  }

  for (const d of DEMO_ITEMS) {
    const id = itemId(d.n);
    if (await repos.items.findById(id)) continue;
    const at = new Date(now.getTime() - (40 - d.n) * 86_400_000);
    await tx(async (r) => {
      const first = d.previous;
      const published = d.status === 'published' || d.status === 'archived';
      const item = await r.items.insert({
        id,
        slug: slugify(d.title),
        kind: d.kind,
        title: first?.title ?? d.title,
        summary: d.summary,
        content: first?.content ?? d.content,
        sourceReference: d.source,
        categoryId: slugToId.get(d.category)!,
        tags: d.tags,
        audience: d.audience,
        status: d.status,
        authorId: null,
        authorName: AUTHOR_NAME,
        origin: 'seed',
        createdAt: at,
        updatedAt: at,
        publishedAt: published ? at : null,
        archivedAt: d.status === 'archived' ? at : null,
        popularity: 0.3,
      });
      let current = item;
      if (first) {
        // R6: version 1 kept as a snapshot, then the current text as version 2.
        await r.items.insertVersion({ itemId: id, versionNumber: 1, kind: item.kind, title: item.title, summary: item.summary, content: item.content, sourceReference: item.sourceReference, categoryId: item.categoryId, tags: item.tags, audience: item.audience, changedBy: null, changeNote: 'Versión inicial', createdAt: at });
        current = await r.items.update(id, { title: d.title, content: d.content, version: 2, updatedAt: new Date(at.getTime() + 86_400_000) });
      }
      await r.items.writeSearchData(current);
      if (d.status !== 'draft') await r.items.insertStatusChange({ itemId: id, fromStatus: 'draft', toStatus: d.status === 'archived' ? 'published' : d.status, actorId: null, createdAt: at });
      if (d.status === 'archived') await r.items.insertStatusChange({ itemId: id, fromStatus: 'published', toStatus: 'archived', actorId: null, createdAt: at });
    });
  }

  if ((await repos.search.synonyms()).length === 0) await repos.search.replaceSynonyms(DEMO_SYNONYMS, null, now);
  await repos.search.ensureSettings(now);

  // 40 search_logs rows over the last 30 days: 30 with results, 10 without (6 distinct queries).
  const existingLogs = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM kb.search_logs WHERE id::text LIKE $1', ['5eed0062-%']);
  if (Number(existingLogs[0]?.n ?? 0) === 0) {
    for (let n = 1; n <= 40; n++) {
      const zero = n > 30;
      const q = zero ? ZERO[n - 31]! : WITH_RESULTS[(n - 1) % WITH_RESULTS.length]!;
      await repos.search.log({
        id: logId(n),
        source: n % 5 === 0 ? 'passages' : 'search',
        queryText: q,
        normalizedQuery: q.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase(),
        userId: null,
        role: LOG_ROLES[n % LOG_ROLES.length]!,
        modeRequested: 'auto',
        modeUsed: 'fulltext',
        filters: {},
        resultsCount: zero ? 0 : 1 + (n % 6),
        topItemId: zero ? null : itemId(1 + (n % 23)),
        latencyMs: 5 + (n % 20),
        createdAt: new Date(now.getTime() - ((n * 17) % 30) * 86_400_000 - n * 60_000),
      });
    }
  }
  await db.insert(seedRuns).values({ name: DEMO_SEED }).onConflictDoNothing();
}
