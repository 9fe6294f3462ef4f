/**
 * buildApp: the only place that wires the projecteval service together — repositories, the schedules
 * and users clients (cached per §7), the file store (§6), use cases, route plugins, the reminders job
 * (R48) and, through the platform, the outbox relay to notification.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createScheduler } from '@sicora/platform/jobs';
import type { App } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import type { ProjectevalConfig } from './config.ts';
import { createAccess } from './application/access.ts';
import { cachedSchedules, cachedUsers } from './application/cache.ts';
import type { Deps } from './application/context.ts';
import { createIdeasService } from './application/ideas.service.ts';
import type { SchedulesPort, UsersPort } from './application/ports.ts';
import { createTeamsService } from './application/teams.service.ts';
import { outbox } from './infrastructure/db/schema.ts';
import { createFileStore } from './infrastructure/files.store.ts';
import { createRepositories, createUnitOfWork } from './infrastructure/repositories.ts';
import { createSchedulesClient } from './infrastructure/schedules.client.ts';
import { createUsersClient } from './infrastructure/users.client.ts';
import { teamsRoutes } from './http/teams.routes.ts';
import { projectsRoutes } from './http/projects.routes.ts';
import { rubricsRoutes } from './http/rubrics.routes.ts';
import { submissionsRoutes } from './http/submissions.routes.ts';
import { sessionsRoutes } from './http/sessions.routes.ts';
import { governanceRoutes } from './http/governance.routes.ts';
import { reportsRoutes } from './http/reports.routes.ts';
import { createReportsService } from './application/reports.service.ts';
import { remindersJob } from './application/reminders.job.ts';
import { createChangeRequestsService } from './application/change-requests.service.ts';
import { createDocumentsService } from './application/documents.service.ts';
import { createSessionsService } from './application/sessions.service.ts';
import { createEvaluationsService } from './application/evaluations.service.ts';
import { createDeliverablesService } from './application/deliverables.service.ts';
import { createSubmissionsService } from './application/submissions.service.ts';
import { createUploads } from './application/uploads.ts';
import { createProjectsService } from './application/projects.service.ts';
import { createStakeholdersService } from './application/stakeholders.service.ts';
import { createRubricsService } from './application/rubrics.service.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface ProjectevalOverrides extends ServiceOverrides {
  schedules?: SchedulesPort;
  users?: UsersPort;
  /** §6 files root (tests use a temporary folder). */
  filesDir?: string;
  /** false: no scheduler (job tests drive their own). */
  jobs?: boolean;
}

const TAGS = [
  { name: 'platform', description: 'Health, metrics and documentation' },
  { name: 'teams', description: 'Equipos de proyecto y su conformación' },
  { name: 'ideas', description: 'Ideas de proyecto y su aprobación' },
  { name: 'projects', description: 'Proyectos, alcance y su historial' },
  { name: 'stakeholders', description: 'Aliados externos' },
  { name: 'rubrics', description: 'Rúbricas, criterios y bandas de calificación' },
  { name: 'deliverables', description: 'Entregables y fechas de entrega' },
  { name: 'submissions', description: 'Entregas, archivos y resultados' },
  { name: 'sessions', description: 'Sesiones de evaluación, jurados y agenda' },
  { name: 'evaluations', description: 'Evaluaciones de los jurados' },
  { name: 'change-requests', description: 'Solicitudes de cambio' },
  { name: 'documents', description: 'Documentos del proyecto y sus versiones' },
  { name: 'reports', description: 'Reportes y planilla de notas' },
];

export async function buildApp(config: ProjectevalConfig, overrides: ProjectevalOverrides = {}): Promise<App> {
  const { app, database, clientOf } = await createServiceApp({
    config,
    overrides,
    migrationsFolder: MIGRATIONS_FOLDER,
    description: 'Training projects: teams, ideas, projects, deliverables, juries, rubrics and grades.',
    tags: TAGS,
    // §7: notifications leave through the outbox, relayed with this service's own token.
    outbox: { table: outbox, enabled: config.settings.PROJECTEVAL_OUTBOX_RELAY },
  });
  const now = overrides.now ?? (() => new Date());

  const schedules = overrides.schedules ?? cachedSchedules(createSchedulesClient(clientOf('schedules')), now);
  const users = overrides.users ?? cachedUsers(createUsersClient(clientOf('users')), now);

  const filesDir = overrides.filesDir ?? config.settings.PROJECTEVAL_FILES_DIR ?? join(resolve(config.dataDir), 'projecteval', 'files');
  const deps: Deps = {
    repos: createRepositories(database.db),
    withTransaction: createUnitOfWork(database.db),
    schedules,
    users,
    files: createFileStore(filesDir, now),
    now,
    timeZone: config.timezone,
  };
  const access = createAccess(deps);
  await app.register(teamsRoutes, { teams: createTeamsService(deps, access), ideas: createIdeasService(deps, access) });
  await app.register(projectsRoutes, { projects: createProjectsService(deps, access), stakeholders: createStakeholdersService(deps) });
  await app.register(rubricsRoutes, { rubrics: createRubricsService(deps, access) });
  const submissions = createSubmissionsService(deps, access);
  const uploads = createUploads(deps);
  await app.register(submissionsRoutes, { deliverables: createDeliverablesService(deps, access), submissions, uploads });
  await app.register(sessionsRoutes, { sessions: createSessionsService(deps, access), evaluations: createEvaluationsService(deps, access) });
  await app.register(governanceRoutes, { changeRequests: createChangeRequestsService(deps, access), documents: createDocumentsService(deps, access), uploads });
  await app.register(reportsRoutes, { reports: createReportsService(deps, access) });

  if (overrides.jobs !== false) {
    // R48: hourly, each slot once across replicas (the platform scheduler's job_runs claim).
    const jobs = createScheduler({ database, schema: config.service, now, logger: app.log }, [remindersJob(deps)]);
    await jobs.start();
    app.addHook('onClose', async () => jobs.stop());
  }
  return app;
}
