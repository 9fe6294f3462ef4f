/**
 * Every repository of the service over one connection, and the unit of work: `withTransaction(work)`
 * runs `work` with the same repositories bound to one transaction.
 */
import type { Db } from '@sicora/platform/db';
import { createConversationsRepo } from './conversations.repo.ts';
import { createOutboxRepo } from './outbox.repo.ts';
import { createRiskRepo } from './risk.repo.ts';
import { createUsageRepo } from './usage.repo.ts';

export function createRepositories(db: Db) {
  return {
    conversations: createConversationsRepo(db),
    usage: createUsageRepo(db),
    risk: createRiskRepo(db),
    outbox: createOutboxRepo(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

/** The unit of work over `db`; remote calls happen before it starts (01-architecture §4). */
export function createUnitOfWork(db: Db) {
  return <T>(work: (tx: Repositories) => Promise<T>): Promise<T> => db.transaction((tx) => work(createRepositories(tx)));
}
