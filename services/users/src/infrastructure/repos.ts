/**
 * The repositories the use cases receive, as one unit of work: `repos.users.get(…)` runs on its own;
 * `repos.transaction(async (tx) => …)` hands the same repositories bound to one transaction, so a change,
 * its security event and its notification request commit or roll back together.
 */
import type { Database, Db } from '@sicora/platform/db';
import { createAuthStateRepo } from './auth-state.repo.ts';
import { createClientsRepo } from './clients.repo.ts';
import { createEventsRepo } from './events.repo.ts';
import { createNotificationsRepo } from './notifications.repo.ts';
import { createSeedRunsRepo } from './seed-runs.repo.ts';
import { createSessionsRepo } from './sessions.repo.ts';
import { createUsersRepo } from './users.repo.ts';

export function createRepos(db: Db) {
  return {
    users: createUsersRepo(db),
    sessions: createSessionsRepo(db),
    authState: createAuthStateRepo(db),
    clients: createClientsRepo(db),
    events: createEventsRepo(db),
    notifications: createNotificationsRepo(db),
    seedRuns: createSeedRunsRepo(db),
  };
}

export type Repos = ReturnType<typeof createRepos>;

export interface UnitOfWork extends Repos {
  transaction<T>(work: (tx: Repos) => Promise<T>): Promise<T>;
}

export function createUnitOfWork(database: Pick<Database, 'db'>): UnitOfWork {
  return { ...createRepos(database.db), transaction: (work) => database.db.transaction((tx) => work(createRepos(tx))) };
}
