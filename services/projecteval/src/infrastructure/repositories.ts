/**
 * Every repository of the service over one connection, and the unit of work: `withTransaction(work)`
 * runs `work` with the same repositories bound to one transaction.
 */
import type { Db } from '@sicora/platform/db';
import { createChangeRequestsRepo } from './change-requests.repo.ts';
import { createDeliverablesRepo } from './deliverables.repo.ts';
import { createDocumentsRepo } from './documents.repo.ts';
import { createEvaluationsRepo } from './evaluations.repo.ts';
import { createIdeasRepo } from './ideas.repo.ts';
import { createOutboxRepo } from './outbox.repo.ts';
import { createProjectsRepo } from './projects.repo.ts';
import { createRubricsRepo } from './rubrics.repo.ts';
import { createSessionsRepo } from './sessions.repo.ts';
import { createStakeholdersRepo } from './stakeholders.repo.ts';
import { createSubmissionsRepo } from './submissions.repo.ts';
import { createTeamsRepo } from './teams.repo.ts';

export function createRepositories(db: Db) {
  return {
    teams: createTeamsRepo(db),
    ideas: createIdeasRepo(db),
    projects: createProjectsRepo(db),
    stakeholders: createStakeholdersRepo(db),
    rubrics: createRubricsRepo(db),
    deliverables: createDeliverablesRepo(db),
    submissions: createSubmissionsRepo(db),
    sessions: createSessionsRepo(db),
    evaluations: createEvaluationsRepo(db),
    changeRequests: createChangeRequestsRepo(db),
    documents: createDocumentsRepo(db),
    outbox: createOutboxRepo(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

/** The unit of work over `db`: keep it short, remote calls happen before it starts (01-architecture §4). */
export function createUnitOfWork(db: Db) {
  return <T>(work: (tx: Repositories) => Promise<T>): Promise<T> => db.transaction((tx) => work(createRepositories(tx)));
}
