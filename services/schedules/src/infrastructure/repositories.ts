/**
 * Every repository of the service over one connection, and the unit of work: `withTransaction(work)`
 * runs `work` with the same repositories bound to one transaction, so a use case writes several tables
 * and its outbox row atomically without touching Drizzle.
 */
import type { Db } from '@sicora/platform/db';
import { createAssignmentsRepo } from './assignments.repo.ts';
import { createCampusesRepo } from './campuses.repo.ts';
import { createEntriesRepo } from './entries.repo.ts';
import { createExceptionsRepo } from './exceptions.repo.ts';
import { createGroupsRepo } from './groups.repo.ts';
import { createNonTeachingDaysRepo } from './non-teaching-days.repo.ts';
import { createOutboxRepo } from './outbox.repo.ts';
import { createProgramsRepo } from './programs.repo.ts';
import { createVenuesRepo } from './venues.repo.ts';

export function createRepositories(db: Db) {
  return {
    campuses: createCampusesRepo(db),
    venues: createVenuesRepo(db),
    programs: createProgramsRepo(db),
    groups: createGroupsRepo(db),
    assignments: createAssignmentsRepo(db),
    entries: createEntriesRepo(db),
    exceptions: createExceptionsRepo(db),
    nonTeachingDays: createNonTeachingDaysRepo(db),
    outbox: createOutboxRepo(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

/**
 * The unit of work over `db`. Keep the work short and local (01-architecture §4): on PGlite every other
 * query waits for it, so remote calls and look-ups happen before it starts.
 */
export function createUnitOfWork(db: Db) {
  return <T>(work: (tx: Repositories) => Promise<T>): Promise<T> => db.transaction((tx) => work(createRepositories(tx)));
}
