/**
 * buildApp: the only place that wires the kb service together — repositories, the semantic port
 * (pgvector + embeddings provider, R12), use cases, route plugins, the nightly jobs and (through the
 * platform) the outbox relay to the notification service.
 */
import { fileURLToPath } from 'node:url';
import { createScheduler } from '@sicora/platform/jobs';
import type { App } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import type { KbConfig } from './config.ts';
import type { Deps } from './application/context.ts';
import { createItemsService } from './application/items.service.ts';
import { createWorkflowService } from './application/items.workflow.ts';
import { createRelatedService } from './application/related.service.ts';
import { createCategoriesService } from './application/categories.service.ts';
import { createFeedbackService } from './application/feedback.service.ts';
import { createSearchService, type SearchService } from './application/search.service.ts';
import { createSynonymsService } from './application/synonyms.service.ts';
import { createRateLimiter } from './application/rate-limit.ts';
import { staticSemantic, type SemanticPort } from './application/semantic.ts';
import { maintenanceJobs } from './application/maintenance.job.ts';
import { outbox } from './infrastructure/db/schema.ts';
import { createRepositories, createUnitOfWork } from './infrastructure/repositories.ts';
import { createKbMetrics } from './infrastructure/metrics.ts';
import { ensureVector } from './infrastructure/vector.ts';
import { createEmbeddingsProvider } from './infrastructure/embeddings.client.ts';
import { createEmbeddingsRepo } from './infrastructure/embeddings.repo.ts';
import { createSemanticService } from './application/semantic.service.ts';
import { itemsRoutes } from './http/items.routes.ts';
import { categoriesRoutes } from './http/categories.routes.ts';
import { feedbackRoutes } from './http/feedback.routes.ts';
import { searchRoutes } from './http/search.routes.ts';
import { registerKbHealth } from './http/health.routes.ts';
import { adminRoutes } from './http/admin.routes.ts';
import { backupRoutes } from './http/backup.routes.ts';
import { createAdminService } from './application/admin.service.ts';
import { createBackupService } from './application/backup.service.ts';
import multipart from '@fastify/multipart';
import { importsRoutes } from './http/imports.routes.ts';
import { createImportsService } from './application/imports.service.ts';
import { extractPdf, type Extraction } from './infrastructure/pdf-extract.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface KbOverrides extends ServiceOverrides {
  /** false: no scheduler (job tests drive their own). */
  jobs?: boolean;
  /** Tests replace the semantic port. */
  semantic?: SemanticPort;
  /** Tests replace the PDF text extractor (the worker thread otherwise). */
  extractPdf?: (bytes: Buffer) => Promise<Extraction>;
}

const TAGS = [
  { name: 'platform', description: 'Health, metrics and documentation' },
  { name: 'items', description: 'Artículos, preguntas frecuentes, guías, procedimientos y reglamento' },
  { name: 'feedback', description: 'Opiniones y calificaciones' },
  { name: 'categories', description: 'Categorías, etiquetas y sinónimos' },
  { name: 'search', description: 'Búsqueda, pasajes para el asistente y sugerencias' },
  { name: 'imports', description: 'Importación de PDF a borradores' },
  { name: 'admin', description: 'Métricas, registros de búsqueda, reportes, ajustes, respaldo' },
];

export async function buildApp(config: KbConfig, overrides: KbOverrides = {}): Promise<App> {
  const { app, database } = await createServiceApp({
    config,
    overrides,
    migrationsFolder: MIGRATIONS_FOLDER,
    description: 'Knowledge base: content for every role, Spanish full-text and hybrid search, feedback, PDF import and backup.',
    tags: TAGS,
    healthRoutes: false,
    outbox: { table: outbox, enabled: config.settings.KB_OUTBOX_RELAY },
  });
  const now = overrides.now ?? (() => new Date());
  const vector = await ensureVector(database);
  const ref: { semantic?: SemanticPort; search?: SearchService } = {};
  const metrics = createKbMetrics(app.metrics.registry, () => ref.semantic?.status().available ?? false);
  const deps: Deps = { repos: createRepositories(database.db), withTransaction: createUnitOfWork(database.db), now, timeZone: config.timezone, onContentChanged: (id) => {
      ref.search?.ctx.invalidateContent();
      ref.semantic?.enqueue?.(id);
    } };
  const { EMBEDDINGS_MODEL: model, LLM_BASE_URL: baseUrl, LLM_API_KEY: apiKey } = config.settings;
  let semantic: SemanticPort;
  if (overrides.semantic) semantic = overrides.semantic;
  else if (model && baseUrl) {
    const service = createSemanticService({
      deps,
      provider: createEmbeddingsProvider({ baseUrl, model, apiKey }),
      embeddings: createEmbeddingsRepo(database.db),
      model,
      vector,
      withTransaction: (fn) => database.db.transaction((tx) => fn(createEmbeddingsRepo(tx as unknown as typeof database.db))),
      counted: metrics.embedding,
      log: app.log,
    });
    // R14: probed in the background at start (never awaited by start-up or readiness), then every 60 s.
    app.addHook('onReady', async () => void service.probe());
    app.addHook('onClose', async () => {
      service.stop();
      await service.idle();
    });
    semantic = service;
  } else semantic = staticSemantic(vector, model ?? null);
  ref.semantic = semantic;
  registerKbHealth(app, semantic);

  await deps.repos.search.ensureSettings(now());
  const items = createItemsService(deps);
  const search = createSearchService(deps, semantic, metrics);
  ref.search = search;
  const limiter = createRateLimiter(now);
  await app.register(itemsRoutes, { items, workflow: createWorkflowService(deps, items), related: createRelatedService(deps, semantic), timeZone: config.timezone });
  await app.register(feedbackRoutes, { feedback: createFeedbackService(deps) });
  await app.register(categoriesRoutes, { categories: createCategoriesService(deps), synonyms: createSynonymsService(deps, () => search.ctx.invalidateSynonyms()) });
  await app.register(searchRoutes, { search, limiter });
  // One multipart parser for PDF uploads and JSON imports; each route caps its own file size.
  await app.register(multipart, { limits: { fileSize: config.settings.KB_PDF_MAX_MB * 1024 * 1024, files: 1, fields: 20, parts: 21 } });
  await app.register(adminRoutes, { admin: createAdminService(deps, semantic) });
  const maxPdf = config.settings.KB_PDF_MAX_MB * 1024 * 1024;
  const imports = createImportsService(deps, { extract: overrides.extractPdf ?? ((bytes) => extractPdf(bytes, { maxPages: 300 })), imported: metrics.imported, log: app.log });
  await app.register(importsRoutes, { imports, limiter, maxBytes: maxPdf });
  // Imports left queued by a stopped process are picked up at start and every minute (one at a time).
  app.addHook('onReady', async () => void imports.kick());
  app.addHook('onClose', async () => imports.idle());
  await app.register(backupRoutes, { backup: createBackupService(deps), limiter, timeZone: config.timezone, now });

  if (overrides.jobs !== false) {
    const jobs = createScheduler({ database, schema: config.service, now, logger: app.log }, [...maintenanceJobs(deps), { name: 'kb.pdf-imports', everyMs: 60_000, runOn: 'every-replica', run: () => imports.kick() }]);
    await jobs.start();
    app.addHook('onClose', async () => jobs.stop());
  }
  return app;
}
