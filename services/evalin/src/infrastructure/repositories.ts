/**
 * Every repository of the service over one connection, and the unit of work: `withTransaction(work)`
 * runs `work` with the same repositories bound to one transaction.
 */
import type { Db } from '@sicora/platform/db';
import { createConfigRepo } from './config.repo.ts';
import { createEvaluationsRepo } from './evaluations.repo.ts';
import { createOutboxRepo } from './outbox.repo.ts';
import { createPeriodsRepo } from './periods.repo.ts';
import { createQuestionnairesRepo } from './questionnaires.repo.ts';
import { createQuestionsRepo } from './questions.repo.ts';
import { createRemindersRepo } from './reminders.repo.ts';
import { createResponsesRepo } from './responses.repo.ts';
import { createSubmissionsRepo } from './submissions.repo.ts';
import { seedRuns } from './db/schema.ts';
import { eq } from 'drizzle-orm';

export function createRepositories(db: Db) {
  return {
    questions: createQuestionsRepo(db),
    questionnaires: createQuestionnairesRepo(db),
    periods: createPeriodsRepo(db),
    evaluations: createEvaluationsRepo(db),
    responses: createResponsesRepo(db),
    submissions: createSubmissionsRepo(db),
    reminders: createRemindersRepo(db),
    config: createConfigRepo(db),
    outbox: createOutboxRepo(db),
    seeds: {
      async done(name: string) {
        return (await db.select().from(seedRuns).where(eq(seedRuns.name, name))).length > 0;
      },
      async record(name: string) {
        await db.insert(seedRuns).values({ name }).onConflictDoNothing();
      },
    },
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

/** The unit of work over `db`: short, local; remote calls happen before it starts (01-architecture §4). */
export function createUnitOfWork(db: Db) {
  return <T>(work: (tx: Repositories) => Promise<T>): Promise<T> => db.transaction((tx) => work(createRepositories(tx)));
}
