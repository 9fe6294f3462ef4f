/**
 * Every repository of the service over one connection, and the unit of work: `withTransaction(work)`
 * runs `work` with the same repositories bound to one transaction, so a use case writes several rows (and
 * the outbox row of its notification) atomically without touching Drizzle.
 */
import type { Db } from '@sicora/platform/db';
import { createNotesRepo } from './notes.repo.ts';

export function createRepositories(db: Db) {
  return {
    notes: createNotesRepo(db),
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
