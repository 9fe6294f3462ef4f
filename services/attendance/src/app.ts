/**
 * buildApp: the only place that wires the attendance service together — repositories, the schedules and
 * users clients (cached per §7), use cases, route plugins, the auto-close job and (through the platform)
 * the outbox relay.
 */
import { fileURLToPath } from 'node:url';
import { parseIpList } from '@sicora/platform/client-ip';
import { createScheduler } from '@sicora/platform/jobs';
import { createRateCounter } from '@sicora/platform/rate-limit';
import type { App } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import type { AttendanceConfig } from './config.ts';
import { createAccess } from './application/access.ts';
import { autoCloseJob } from './application/autoclose.job.ts';
import { cachedSchedules, cachedUsers } from './application/cache.ts';
import { createClassesService } from './application/classes.service.ts';
import type { Deps } from './application/context.ts';
import { createDeadlines } from './application/deadlines.ts';
import type { SchedulesPort, UsersPort } from './application/ports.ts';
import { createQrService } from './application/qr.service.ts';
import { createRateLimiter } from './application/rate-limit.ts';
import { createRecordsService } from './application/records.service.ts';
import { createRollsService } from './application/rolls.service.ts';
import { createSettingsService } from './application/settings.service.ts';
import { createSummaryService } from './application/summary.service.ts';
import { outbox } from './infrastructure/db/schema.ts';
import { createRepositories, createUnitOfWork } from './infrastructure/repositories.ts';
import { createSchedulesClient } from './infrastructure/schedules.client.ts';
import { createUsersClient } from './infrastructure/users.client.ts';
import { qrRoutes } from './http/qr.routes.ts';
import { recordsRoutes } from './http/records.routes.ts';
import { rollsRoutes } from './http/rolls.routes.ts';
import { settingsRoutes } from './http/settings.routes.ts';
import { summaryRoutes } from './http/summary.routes.ts';
import { alertsNightlyJob, createAlertEvaluation } from './application/alerts.evaluation.ts';
import { missingRollsDigestJob, rollReminderJob } from './application/missing-rolls.job.ts';
import { purgeJob } from './application/purge.job.ts';
import { justificationsOverdueJob } from './application/justifications-overdue.job.ts';
import { countedScans, countedUnitOfWork, timedJobs } from './application/metrics.ts';
import { createAttendanceMetrics } from './infrastructure/metrics.ts';
import { debouncedEvaluationJob } from './application/evaluation.job.ts';
import { createAlertsService } from './application/alerts.service.ts';
import { alertsRoutes } from './http/alerts.routes.ts';
import { createJustificationsService } from './application/justifications.service.ts';
import { justificationsRoutes } from './http/justifications.routes.ts';
import { createReportsService } from './application/reports.service.ts';
import { reportsRoutes } from './http/reports.routes.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface AttendanceOverrides extends ServiceOverrides {
  /** The schedules service port (tests fake it here; fakes are not cached). */
  schedules?: SchedulesPort;
  /** The users service port (tests fake it here). */
  users?: UsersPort;
  /** false: no scheduler (job tests drive their own). */
  jobs?: boolean;
}

const TAGS = [
  { name: 'platform', description: 'Health, metrics and documentation' },
  { name: 'classes', description: 'Mis clases del día' },
  { name: 'rolls', description: 'Toma de asistencia por lista' },
  { name: 'qr', description: 'Código QR rotativo del aprendiz y escaneo' },
  { name: 'records', description: 'Registros de asistencia e historial de cambios' },
  { name: 'settings', description: 'Configuración de asistencia' },
  { name: 'justifications', description: 'Justificaciones, avisos previos y sus soportes' },
  { name: 'alerts', description: 'Alertas de seguimiento' },
  { name: 'reports', description: 'Reportes y archivos CSV' },
];

export async function buildApp(config: AttendanceConfig, overrides: AttendanceOverrides = {}): Promise<App> {
  const { app, database, clientOf } = await createServiceApp({
    config,
    overrides,
    migrationsFolder: MIGRATIONS_FOLDER,
    description: 'Rolls, rotating QR, justifications, alerts and reports.',
    tags: TAGS,
    // §7: notifications leave through the outbox, relayed with this service's own token.
    outbox: { table: outbox, enabled: config.settings.ATTENDANCE_OUTBOX_RELAY },
  });
  const now = overrides.now ?? (() => new Date());

  const schedules = overrides.schedules ?? cachedSchedules(createSchedulesClient(clientOf('schedules')), now);
  const users = overrides.users ?? cachedUsers(createUsersClient(clientOf('users')), now);

  // §7's metrics: records written and rolls closed are counted at the unit of work, after commit.
  const metrics = createAttendanceMetrics(app.metrics.registry, database);
  const deps: Deps = {
    repos: createRepositories(database.db),
    withTransaction: countedUnitOfWork(createUnitOfWork(database.db), metrics),
    schedules,
    users,
    now,
    timeZone: config.timezone,
  };
  const settings = createSettingsService(deps);
  // §3.7: the settings row with the R47 defaults at first start.
  await settings.ensure();
  const access = createAccess(deps);
  const deadlines = createDeadlines(deps, settings);

  await app.register(settingsRoutes, { settings });
  await app.register(rollsRoutes, { rolls: createRollsService(deps, access, settings, deadlines), classes: createClassesService(deps, settings, deadlines) });
  await app.register(recordsRoutes, { records: createRecordsService(deps, access, settings, deadlines) });
  await app.register(summaryRoutes, { summary: createSummaryService(deps, access) });
  await app.register(reportsRoutes, { reports: createReportsService(deps, access) });
  await app.register(justificationsRoutes, { justifications: createJustificationsService(deps, access, settings) });
  const alertEvaluation = createAlertEvaluation(deps, settings, { database, log: app.log });
  await app.register(alertsRoutes, { alerts: createAlertsService(deps, access, settings, alertEvaluation) });
  const qrSecret = config.settings.ATTENDANCE_QR_SECRET;
  // R20: memory without REDIS_URL, Redis with it (every replica counts against the same windows).
  const counter = createRateCounter({ redisUrl: config.redisUrl, prefix: config.settings.ATTENDANCE_RATE_LIMIT_PREFIX, now, onError: (err) => app.log.warn({ err }, 'rate counter: redis error') });
  app.addHook('onClose', async () => counter.close());
  const limiter = createRateLimiter(counter, (err) => app.log.warn({ err }, 'R20: rate counter failed; the request is let through'));
  const qr = countedScans(createQrService({ ...deps, limiter, configuredKey: qrSecret ? Buffer.from(qrSecret, 'base64') : undefined }, access, settings), metrics);
  // R14: the key exists before the first request, created once across replicas.
  await qr.ensureKey();
  await app.register(qrRoutes, { qr, trusted: parseIpList(config.settings.TRUST_PROXY) });

  if (overrides.jobs !== false) {
    // R46, America/Bogota, each slot once across replicas (the platform scheduler's job_runs claim).
    const jobs = createScheduler({ database, schema: config.service, now, logger: app.log }, timedJobs([
      autoCloseJob(deps, settings),
      rollReminderJob(deps, settings),
      debouncedEvaluationJob(deps, alertEvaluation),
      alertsNightlyJob(alertEvaluation, config.timezone),
      missingRollsDigestJob(deps),
      purgeJob(deps),
      justificationsOverdueJob(deps, settings),
    ], metrics));
    await jobs.start();
    app.addHook('onClose', async () => jobs.stop());
  }
  return app;
}
