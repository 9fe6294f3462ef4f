/**
 * buildApp: the only place that wires the evalin service together — repositories, the schedules and
 * users clients (cached per §7), use cases, route plugins, the period clock and reminder jobs, and
 * (through the platform) the outbox relay to notification.
 */
import { fileURLToPath } from 'node:url';
import { createScheduler } from '@sicora/platform/jobs';
import type { App } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import { registerUploads } from '@sicora/platform/uploads';
import type { EvalinConfig } from './config.ts';
import { cachedSchedules, cachedUsers } from './application/cache.ts';
import { createConfigService } from './application/config.service.ts';
import type { Deps } from './application/context.ts';
import type { SchedulesPort, UsersPort } from './application/ports.ts';
import { createQuestionnairesService } from './application/questionnaires.service.ts';
import { createQuestionsService } from './application/questions.service.ts';
import { clockJob } from './application/clock.job.ts';
import { createCommentsService } from './application/comments.service.ts';
import { createEvaluationsService } from './application/evaluations.service.ts';
import { createPeriodsService } from './application/periods.service.ts';
import { createRemindersService } from './application/reminders.service.ts';
import { remindersJob } from './application/reminders.job.ts';
import { createReportsService } from './application/reports.service.ts';
import { LIMITS } from './domain/config.ts';
import { outbox } from './infrastructure/db/schema.ts';
import { createRepositories, createUnitOfWork } from './infrastructure/repositories.ts';
import { createSchedulesClient } from './infrastructure/schedules.client.ts';
import { createUsersClient } from './infrastructure/users.client.ts';
import { configRoutes } from './http/config.routes.ts';
import { questionnairesRoutes } from './http/questionnaires.routes.ts';
import { questionsRoutes } from './http/questions.routes.ts';
import { evaluationsRoutes } from './http/evaluations.routes.ts';
import { periodsRoutes } from './http/periods.routes.ts';
import { reportsRoutes } from './http/reports.routes.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface EvalinOverrides extends ServiceOverrides {
  /** The schedules port (tests fake it here; fakes are not cached). */
  schedules?: SchedulesPort;
  /** The users port (tests fake it here). */
  users?: UsersPort;
  /** false: no scheduler (job tests drive their own). */
  jobs?: boolean;
}

const TAGS = [
  { name: 'platform', description: 'Health, metrics and documentation' },
  { name: 'questions', description: 'Banco de preguntas y carga masiva' },
  { name: 'questionnaires', description: 'Cuestionarios' },
  { name: 'periods', description: 'Períodos de evaluación' },
  { name: 'evaluations', description: 'Evaluaciones de los aprendices' },
  { name: 'reports', description: 'Resultados, participación y exportaciones' },
  { name: 'comments', description: 'Moderación de comentarios' },
  { name: 'reminders', description: 'Recordatorios' },
  { name: 'config', description: 'Configuración del módulo' },
];

export async function buildApp(config: EvalinConfig, overrides: EvalinOverrides = {}): Promise<App> {
  const { app, database, clientOf } = await createServiceApp({
    config,
    overrides,
    migrationsFolder: MIGRATIONS_FOLDER,
    description: 'Evaluation of instructors by apprentices.',
    tags: TAGS,
    // §7: every event leaves through the outbox, relayed with this service's own token (R44).
    outbox: { table: outbox, enabled: config.settings.EVALIN_OUTBOX_RELAY },
  });
  const now = overrides.now ?? (() => new Date());

  const schedules = overrides.schedules ?? cachedSchedules(createSchedulesClient(clientOf('schedules')), now);
  const users = overrides.users ?? cachedUsers(createUsersClient(clientOf('users')), now);

  const deps: Deps = { repos: createRepositories(database.db), withTransaction: createUnitOfWork(database.db), schedules, users, now, timeZone: config.timezone };
  const settings = createConfigService(deps);
  // §3 Config: the row with the R45 defaults at first start (version 1).
  await settings.ensure();

  await registerUploads(app, { maxBytes: LIMITS.bulk_upload_max_bytes, fields: 4 });
  await app.register(configRoutes, { config: settings });
  await app.register(questionsRoutes, { questions: createQuestionsService(deps), maxBytes: LIMITS.bulk_upload_max_bytes, maxRows: async () => LIMITS.bulk_upload_max_rows });
  await app.register(questionnairesRoutes, { questionnaires: createQuestionnairesService(deps) });
  const periods = createPeriodsService(deps, settings);
  const reports = createReportsService(deps, settings, periods);
  const reminders = createRemindersService(deps, settings);
  await app.register(periodsRoutes, { periods, publishTargets: (p) => reports.publishTargets(p) });
  await app.register(evaluationsRoutes, { evaluations: createEvaluationsService(deps, settings) });
  await app.register(reportsRoutes, { reports, comments: createCommentsService(deps, settings), reminders });

  if (overrides.jobs !== false) {
    // R17 every minute and R40 at 08:00, America/Bogota, each slot once across replicas.
    const jobs = createScheduler({ database, schema: config.service, now, logger: app.log }, [clockJob(deps, settings, periods, app.log), remindersJob(deps, reminders)]);
    await jobs.start();
    app.addHook('onClose', async () => jobs.stop());
  }
  return app;
}
