/**
 * buildApp: the only place that wires the schedules service together — repositories, the users client,
 * use cases, route plugins, the holiday job and (through the platform) the outbox relay.
 */
import { fileURLToPath } from 'node:url';
import { createScheduler } from '@sicora/platform/jobs';
import type { App } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import { registerUploads } from '@sicora/platform/uploads';
import type { SchedulesConfig } from './config.ts';
import { createAccess } from './application/access.ts';
import { createAssignmentsService } from './application/assignments.service.ts';
import { createCalendarService } from './application/calendar.service.ts';
import { createCampusesService } from './application/campuses.service.ts';
import type { Deps } from './application/context.ts';
import { createCopyService } from './application/copy.service.ts';
import { createExceptionsService } from './application/exceptions.service.ts';
import { createExportService } from './application/export.service.ts';
import { createGroupsService } from './application/groups.service.ts';
import { holidaysJob } from './application/holidays.job.ts';
import { createMasterImportService } from './application/master-import.service.ts';
import { createNameResolver } from './application/names.ts';
import type { UsersPort } from './application/ports.ts';
import { createProgramsService } from './application/programs.service.ts';
import { createScheduleImportService } from './application/schedule-import.service.ts';
import { createSchedulesService } from './application/schedules.service.ts';
import { createSessionsService } from './application/sessions.service.ts';
import { createVenuesService } from './application/venues.service.ts';
import { outbox } from './infrastructure/db/schema.ts';
import { createRepositories, createUnitOfWork } from './infrastructure/repositories.ts';
import { createUsersClient } from './infrastructure/users.client.ts';
import { calendarRoutes } from './http/calendar.routes.ts';
import { campusesRoutes } from './http/campuses.routes.ts';
import { copyRoutes } from './http/copy.routes.ts';
import { exceptionsRoutes } from './http/exceptions.routes.ts';
import { exportRoutes } from './http/export.routes.ts';
import { groupsRoutes } from './http/groups.routes.ts';
import { importsRoutes } from './http/imports.routes.ts';
import { programsRoutes } from './http/programs.routes.ts';
import { schedulesRoutes } from './http/schedules.routes.ts';
import { sessionsRoutes } from './http/sessions.routes.ts';
import { venuesRoutes } from './http/venues.routes.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface SchedulesOverrides extends ServiceOverrides {
  /** The users service port (tests fake it here). */
  users?: UsersPort;
}

const TAGS = [
  { name: 'platform', description: 'Health, metrics and documentation' },
  { name: 'campuses', description: 'Sedes' },
  { name: 'venues', description: 'Ambientes' },
  { name: 'programs', description: 'Programas de formación' },
  { name: 'groups', description: 'Fichas, aprendices e instructores asignados' },
  { name: 'schedules', description: 'Horarios semanales, cambios y conflictos' },
  { name: 'sessions', description: 'Clases concretas y vistas de horario' },
  { name: 'calendar', description: 'Jornadas, bloques y días no hábiles' },
  { name: 'imports', description: 'Cargas CSV y plantillas' },
];

export async function buildApp(config: SchedulesConfig, overrides: SchedulesOverrides = {}): Promise<App> {
  const { app, database, clientOf } = await createServiceApp({
    config,
    overrides,
    migrationsFolder: MIGRATIONS_FOLDER,
    description: 'Campuses, venues, programs, fichas and weekly schedules.',
    tags: TAGS,
    // R28: notifications leave through the outbox, relayed with this service's own token.
    outbox: { table: outbox, enabled: config.settings.SCHEDULES_OUTBOX_RELAY },
  });
  // CSV imports (§6.1): one file part of at most SCHEDULES_CSV_MAX_BYTES; registered at the root so every
  // route plugin sees it.
  await registerUploads(app, { maxBytes: config.settings.SCHEDULES_CSV_MAX_BYTES });

  const users = overrides.users ?? createUsersClient(clientOf('users'));
  const deps: Deps = {
    repos: createRepositories(database.db),
    withTransaction: createUnitOfWork(database.db),
    users,
    now: overrides.now ?? (() => new Date()),
    timeZone: config.timezone,
  };

  const access = createAccess(deps);
  const names = createNameResolver(deps.users, deps.now);
  const groups = createGroupsService(deps, access, names);
  const sessions = createSessionsService(deps, access, names);
  await app.register(campusesRoutes, { campuses: createCampusesService(deps) });
  await app.register(venuesRoutes, { venues: createVenuesService(deps) });
  await app.register(programsRoutes, { programs: createProgramsService(deps) });
  await app.register(groupsRoutes, { groups, assignments: createAssignmentsService(deps, access, names, groups) });
  await app.register(sessionsRoutes, { sessions });
  await app.register(calendarRoutes, { calendar: createCalendarService(deps) });
  await app.register(exportRoutes, { exporter: createExportService(deps, sessions) });
  await app.register(importsRoutes, { scheduleImport: createScheduleImportService(deps), masterImport: createMasterImportService(deps), maxBytes: config.settings.SCHEDULES_CSV_MAX_BYTES });
  await app.register(copyRoutes, { copy: createCopyService(deps) });
  await app.register(schedulesRoutes, { schedules: createSchedulesService(deps, access, names) });
  await app.register(exceptionsRoutes, { exceptions: createExceptionsService(deps, names) });

  // R25 at every start (awaited: reads right after start see this year's holidays) and each 1 December.
  const jobs = createScheduler({ database, schema: config.service, now: deps.now, logger: app.log }, [holidaysJob(deps)]);
  await jobs.start();
  await jobs.idle();
  app.addHook('onClose', async () => jobs.stop());
  return app;
}
