/**
 * The gateway's scheduled jobs on the service clock: R47's retention at 03:30 America/Bogota, R39's incident
 * check at least every 10 s (sooner when the incident delay is shorter).
 */
import { describe, expect, it } from 'vitest';
import type { Database } from '@sicora/platform/db';
import { createScheduler } from '@sicora/platform/jobs';
import { createNotificationProducer } from '@sicora/platform/notify';
import { outbox } from '../src/infrastructure/db/schema.ts';
import { createIncidentNotifier } from '../src/infrastructure/incident-notifier.job.ts';
import { createRetentionJob } from '../src/infrastructure/retention.job.ts';

// Nothing here reaches the database: the scheduler only computes slots until a job is due.
const database = {} as Database;
const at = (iso: string) => () => new Date(iso);

const jobs = (now: () => Date, downAfterMs: number) =>
  createScheduler({ database, schema: 'gateway', now, timers: false }, [
    createRetentionJob({ database, logs: { purge: async () => 0 }, retentionDays: 30, timeZone: 'America/Bogota', now }),
    createIncidentNotifier({ database, registry: { rows: async () => [] }, notifications: createNotificationProducer({ service: 'gateway', table: outbox }), downAfterMs, publicBaseUrl: 'http://localhost:8000', now }),
  ]);

describe('gateway jobs', () => {
  it('when it is 07:00 in Bogotá, then the retention job next runs at 03:30 Bogotá the next day (08:30 UTC)', () => {
    expect(jobs(at('2026-03-02T12:00:00Z'), 180_000).nextRunAt('request-log-retention').toISOString()).toBe('2026-03-03T08:30:00.000Z');
  });

  it('when it is 23:30 in Bogotá (04:30 UTC the next day), then the retention job runs four hours later', () => {
    expect(jobs(at('2026-03-03T04:30:00Z'), 180_000).nextRunAt('request-log-retention').toISOString()).toBe('2026-03-03T08:30:00.000Z');
  });

  it('when the incident delay is 180 s, then incidents are checked every 10 s; with 500 ms, every 500 ms', () => {
    expect(jobs(at('2026-03-02T12:00:03Z'), 180_000).nextRunAt('incident-notifier').toISOString()).toBe('2026-03-02T12:00:10.000Z');
    expect(jobs(at('2026-03-02T12:00:03.200Z'), 500).nextRunAt('incident-notifier').toISOString()).toBe('2026-03-02T12:00:03.500Z');
  });
});
