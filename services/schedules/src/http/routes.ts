/** Registers every resource's routes with the use cases they need. */
import type { App } from '@sicora/platform/server';
import type { Deps } from '../application/context.ts';
import { createCampusesService } from '../application/campuses.service.ts';
import { createProgramsService } from '../application/programs.service.ts';
import { createVenuesService } from '../application/venues.service.ts';
import { createAccess } from '../application/access.ts';
import { createAssignmentsService } from '../application/assignments.service.ts';
import { createGroupsService } from '../application/groups.service.ts';
import { createNameResolver } from '../application/names.ts';
import { createSchedulesService } from '../application/schedules.service.ts';
import { copyRoutes, exceptionsRoutes, schedulesRoutes } from './schedules.routes.ts';
import { createCopyService } from '../application/copy.service.ts';
import { createExceptionsService } from '../application/exceptions.service.ts';
import { createCalendarService } from '../application/calendar.service.ts';
import { createSessionsService } from '../application/sessions.service.ts';
import { exportRoutes, sessionsRoutes } from './sessions.routes.ts';
import { createScheduleImportService } from '../application/schedule-import.service.ts';
import { createMasterImportService } from '../application/master-import.service.ts';
import { importsRoutes } from './imports.routes.ts';
import { groupsRoutes } from './groups.routes.ts';
import { campusesRoutes } from './campuses.routes.ts';
import { programsRoutes } from './programs.routes.ts';
import { venuesRoutes } from './venues.routes.ts';

export function registerRoutes(app: App, deps: Deps) {
  campusesRoutes(app, { campuses: createCampusesService(deps) });
  venuesRoutes(app, { venues: createVenuesService(deps) });
  programsRoutes(app, { programs: createProgramsService(deps) });
  const access = createAccess(deps);
  const names = createNameResolver(deps.users, deps.now);
  const groups = createGroupsService(deps, access, names);
  groupsRoutes(app, { groups, assignments: createAssignmentsService(deps, access, names, groups) });
  const schedules = createSchedulesService(deps, access, names);
  const sessions = createSessionsService(deps, access, names);
  sessionsRoutes(app, { sessions, calendar: createCalendarService(deps) });
  exportRoutes(app, { sessions, now: deps.now, timeZone: deps.timeZone });
  importsRoutes(app, { scheduleImport: createScheduleImportService(deps), masterImport: createMasterImportService(deps) });
  copyRoutes(app, { copy: createCopyService(deps) });
  schedulesRoutes(app, { schedules });
  exceptionsRoutes(app, { exceptions: createExceptionsService(deps, names) });
}
