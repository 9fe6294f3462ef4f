/**
 * Every repository of the service over one connection, and the unit of work: `withTransaction(work)`
 * runs `work` with the same repositories bound to one transaction.
 */
import type { Db } from '@sicora/platform/db';
import { createAlertsRepo } from './alerts.repo.ts';
import { createDevicesRepo } from './devices.repo.ts';
import { createJustificationsRepo } from './justifications.repo.ts';
import { createOutboxRepo } from './outbox.repo.ts';
import { createQrRepo } from './qr.repo.ts';
import { createRecordsRepo } from './records.repo.ts';
import { createRollsRepo } from './rolls.repo.ts';
import { createSettingsRepo } from './settings.repo.ts';
import { createEvaluationsRepo } from './evaluations.repo.ts';
import { createEvidenceRepo } from './evidence.repo.ts';
import { createNoticesRepo } from './notices.repo.ts';
import { createReportsRepo } from './reports.repo.ts';

export function createRepositories(db: Db) {
  return {
    rolls: createRollsRepo(db),
    records: createRecordsRepo(db),
    justifications: createJustificationsRepo(db),
    devices: createDevicesRepo(db),
    qr: createQrRepo(db),
    settings: createSettingsRepo(db),
    outbox: createOutboxRepo(db),
    alerts: createAlertsRepo(db),
    notices: createNoticesRepo(db),
    evidence: createEvidenceRepo(db),
    evaluations: createEvaluationsRepo(db),
    reports: createReportsRepo(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

/**
 * The unit of work over `db`. Keep the work short and local (01-architecture §4): on PGlite every other
 * query waits for it, so remote calls happen before it starts.
 */
export function createUnitOfWork(db: Db) {
  return <T>(work: (tx: Repositories) => Promise<T>): Promise<T> => db.transaction((tx) => work(createRepositories(tx)));
}
