/**
 * buildApp: the only place that wires the ai service together — repositories, the kb and LLM ports, the
 * ports to the services the risk side reads, use cases, route plugins, probes, jobs and (through the
 * platform) the outbox relay to notification.
 */
import { fileURLToPath } from 'node:url';
import { createServiceClient } from '@sicora/platform/http-client';
import { createRateCounter } from '@sicora/platform/rate-limit';
import type { App } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import type { AiConfig } from './config.ts';
import { createAnswerer } from './application/answer.ts';
import type { AiOptions, Deps } from './application/context.ts';
import { createConversationsService } from './application/conversations.service.ts';
import type { AttendancePort, EvalinPort, KbPort, LlmPort, ProjectevalPort, SchedulesPort, UsersPort } from './application/ports.ts';
import { createQuestionsService } from './application/questions.service.ts';
import { createRateLimiter } from './application/rate-limit.ts';
import { createProbes, createStatusService } from './application/status.service.ts';
import { outbox } from './infrastructure/db/schema.ts';
import { createKbClient } from './infrastructure/kb.client.ts';
import { createLlmClient } from './infrastructure/llm.client.ts';
import { createAiMetrics } from './infrastructure/metrics.ts';
import { createRepositories, createUnitOfWork } from './infrastructure/repositories.ts';
import { createAttendanceClient, createEvalinClient, createProjectevalClient, createSchedulesClient, createUsersClient } from './infrastructure/services.client.ts';
import { assistantRoutes } from './http/assistant.routes.ts';
import { healthRoutes } from './http/health.routes.ts';
import { riskRoutes } from './http/risk.routes.ts';
import { registerRisk } from './risk.wiring.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface AiOverrides extends ServiceOverrides {
  kb?: KbPort;
  llm?: LlmPort;
  schedules?: SchedulesPort;
  users?: UsersPort;
  attendance?: AttendancePort;
  projecteval?: ProjectevalPort;
  evalin?: EvalinPort;
  /** R16's timeouts, shortened by tests. */
  llmTimeouts?: Partial<AiOptions['llmTimeouts']>;
  /** false: no scheduler and no probe timer (tests drive them). */
  jobs?: boolean;
}

const TAGS = [
  { name: 'platform', description: 'Health, metrics and documentation' },
  { name: 'assistant', description: 'Asistente académico: conversaciones, preguntas y calificaciones' },
  { name: 'risk', description: 'Riesgo de deserción: reportes, evaluaciones, análisis y configuración' },
  { name: 'alerts', description: 'Alertas de riesgo de deserción' },
  { name: 'analytics', description: 'Analítica de uso del asistente y del riesgo' },
];

export async function buildApp(config: AiConfig, overrides: AiOverrides = {}): Promise<App> {
  const { app, database, serviceToken } = await createServiceApp({
    config,
    overrides,
    migrationsFolder: MIGRATIONS_FOLDER,
    description: 'Academic assistant and dropout-risk prediction.',
    tags: TAGS,
    healthRoutes: false,
    outbox: { table: outbox, enabled: config.settings.AI_OUTBOX_RELAY },
  });
  const now = overrides.now ?? (() => new Date());
  const s = config.settings;
  const client = (target: 'kb' | 'schedules' | 'users' | 'attendance' | 'projecteval' | 'evalin', timeoutMs: number, retries: number) => {
    const c = createServiceClient({ target, baseUrl: config.serviceUrls[target], tokenProvider: serviceToken, timeoutMs, retries, breaker: { volumeThreshold: 5, errorThresholdPercentage: 49.99, resetTimeoutMs: 30_000, rollingCountTimeoutMs: 60_000, rollingCountBuckets: 10 } });
    app.addHook('onClose', async () => c.close());
    return c;
  };
  const options: AiOptions = {
    ratePerMinute: s.AI_RATE_PER_MINUTE,
    ratePerDay: s.AI_RATE_PER_DAY,
    llmMaxConcurrency: s.AI_LLM_MAX_CONCURRENCY,
    minPassageScore: s.AI_MIN_PASSAGE_SCORE,
    llmTimeouts: { connectMs: 5000, firstTokenMs: 30_000, totalMs: 90_000, slotWaitMs: 10_000, retryDelayMs: 1000, ...overrides.llmTimeouts },
  };
  let llm = overrides.llm;
  if (!llm) {
    const l = createLlmClient({ baseUrl: s.LLM_BASE_URL, model: s.LLM_MODEL, apiKey: s.LLM_API_KEY, timeouts: options.llmTimeouts });
    app.addHook('onClose', async () => l.close());
    llm = l;
  }
  const deps: Deps = {
    repos: createRepositories(database.db),
    withTransaction: createUnitOfWork(database.db),
    kb: overrides.kb ?? createKbClient(client('kb', 8000, 1)),
    llm,
    schedules: overrides.schedules ?? createSchedulesClient(client('schedules', 10_000, 2)),
    users: overrides.users ?? createUsersClient(client('users', 10_000, 2)),
    attendance: overrides.attendance ?? createAttendanceClient(client('attendance', 10_000, 2)),
    projecteval: overrides.projecteval ?? createProjectevalClient(client('projecteval', 10_000, 2)),
    evalin: overrides.evalin ?? createEvalinClient(client('evalin', 10_000, 2)),
    now,
    timeZone: config.timezone,
    options,
  };
  const metrics = createAiMetrics(app.metrics.registry, database);
  // R18: memory without REDIS_URL, Redis with it (every replica counts against the same windows).
  const counter = createRateCounter({ redisUrl: config.redisUrl, prefix: config.settings.AI_RATE_LIMIT_PREFIX, now, onError: (err) => app.log.warn({ err }, 'rate counter: redis error') });
  app.addHook('onClose', async () => counter.close());
  const limiter = createRateLimiter({ counter, perMinute: options.ratePerMinute, perDay: options.ratePerDay, now, timeZone: config.timezone, onError: (err) => app.log.warn({ err }, 'R18: rate counter failed; the question is let through') });
  const probes = createProbes(deps);
  const status = createStatusService(deps, probes, limiter);
  const conversations = createConversationsService(deps);
  const questions = createQuestionsService(deps, createAnswerer(deps), limiter, metrics);

  await app.register(healthRoutes, { status, version: '0.1.0' });
  await app.register(assistantRoutes, { conversations, questions, status, limiter });
  const jobs = await registerRisk(app, { deps, database, config, metrics, conversations, startJobs: overrides.jobs !== false });
  await app.register(riskRoutes, jobs.routes);

  if (overrides.jobs !== false) {
    // R37: probes at start (not awaited) and every 60 s.
    app.addHook('onReady', async () => {
      void probes.run();
    });
    const timer = setInterval(() => void probes.run(), 60_000);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  app.decorate('aiProbes', probes);
  app.decorate('aiJobs', jobs);
  return app;
}
