/**
 * The queue workers (R26, R30, R33): consume fan-out and delivery jobs, run the sweeper on a timer and
 * the scheduled jobs (R59's daily retention), keep the `workers` row fresh. Runs inside the API process
 * in the embedded default, or alone (`sicora worker notification`, startNotificationWorker in app.ts);
 * what it runs comes composed from app.ts.
 */
import type { Logger } from 'pino';
import type { Scheduler } from '@sicora/platform/jobs';
import type { FanoutService } from './application/fanout.service.ts';
import type { DispatchService } from './application/dispatch.service.ts';
import type { JobQueue } from './application/ports.ts';
import type { Sweeper } from './application/sweeper.service.ts';
import type { BreakerSnapshot } from './infrastructure/channels/provider-breaker.ts';
import type { WorkersRepo } from './infrastructure/workers.repo.ts';

const BEAT_MS = 15_000;
/** Rows of workers not seen for an hour (on the service clock) are removed by the next beat. */
const FORGET_MS = 3_600_000;

export interface WorkerDeps {
  openQueue(): Promise<JobQueue>;
  fanout: Pick<FanoutService, 'run'>;
  dispatch: Pick<DispatchService, 'handle'>;
  sweeper: Sweeper;
  /** Scheduled jobs of this process; started with the workers. */
  jobs: Scheduler;
  workers: Pick<WorkersRepo, 'beat' | 'pruneUnseenSince'>;
  workerId: string;
  breakerStates(): Record<string, BreakerSnapshot>;
  /** Listeners told of every breaker state change in this process. */
  breakerListeners: Set<() => void>;
  now: () => Date;
  concurrency: number;
  /** Sweeper period; 0 = no timers (the caller drives `sweep()` and, through it, the scheduled jobs). */
  sweepIntervalMs: number;
  logger: Logger;
}

export interface NotificationWorker<R = unknown> {
  /** What the worker runs (tests and the benchmark reach repositories and use cases through it). */
  runtime: R;
  /** One sweep, then the scheduled jobs due on the service clock. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

export async function runWorker<R>(d: WorkerDeps, runtime: R): Promise<NotificationWorker<R>> {
  const queue = await d.openQueue();
  await queue.work('notification-fanout', 2, async (jobs) => {
    for (const j of jobs) await d.fanout.run(j.notification_id);
  });
  await queue.work('notification-deliver', d.concurrency, async (jobs) => d.dispatch.handle(jobs.map((j) => j.delivery_id)));
  // R26/§3.3: the row carries this process's provider breakers (R40), read by A9 and R58.
  const beat = async () => {
    const at = d.now();
    await d.workers.beat(d.workerId, at, d.breakerStates()).catch(() => undefined);
    // The service clock, as for last_seen_at itself (a real-time cut would drop rows written under a moved clock).
    await d.workers.pruneUnseenSince(new Date(at.getTime() - FORGET_MS)).catch(() => undefined);
  };
  await beat();
  // A breaker that opens or closes is written at once too, not only at the next 15 s beat.
  const onBreakerChange = () => { void beat(); };
  d.breakerListeners.add(onBreakerChange);
  const timers: NodeJS.Timeout[] = [setInterval(beat, BEAT_MS)];
  let sweeping: Promise<void> = Promise.resolve();
  const sweep = () => (sweeping = sweeping.then(() => d.sweeper.sweep()).catch((err) => d.logger.error({ err: (err as Error).message }, 'sweep failed')));
  // With timers the scheduler keeps its own; without them it starts on the first driven sweep, so its first
  // look at the clock is the caller's (a scheduler started on the real clock would skip a test's past days).
  let jobsStarted: Promise<void> | undefined;
  const startJobs = () => (jobsStarted ??= d.jobs.start());
  if (d.sweepIntervalMs > 0) {
    timers.push(setInterval(sweep, d.sweepIntervalMs));
    await startJobs();
  }
  return {
    runtime,
    async sweep() {
      await sweep();
      await startJobs();
      await d.jobs.runDue();
      await d.jobs.idle();
    },
    async stop() {
      timers.forEach(clearInterval);
      d.breakerListeners.delete(onBreakerChange);
      await sweeping;
      await d.jobs.stop();
      await queue.close();
    },
  };
}
