/**
 * Scheduled jobs (01-architecture §3, 00-conventions: "job schedules are cron expressions in that zone"):
 * cron expressions evaluated in a time zone (America/Bogota by default, daylight saving handled by
 * cron-parser for zones that have it), each due slot run once across replicas, time from an injected clock.
 *
 * Why not pg-boss `schedule()` or BullMQ repeatable jobs: both fire on the real clock, so a test cannot
 * move time, and each would need its own code path per back end. Here the scheduler computes the slots
 * itself from `now()` and a replica runs a slot only after winning its claim row, `INSERT … ON CONFLICT DO
 * NOTHING` keyed by (job, slot) in `<schema>.job_runs` — the same SQL on PGlite (embedded, beside pg-boss)
 * and on PostgreSQL (production, beside BullMQ), so one interface serves both deployments and Redis is not
 * needed for it. The table also records the last runs, which is what same-day catch-up (evalin R40) reads.
 * It is created by the scheduler itself (idempotent DDL under an advisory lock), so no service migration
 * has to declare it.
 */
import { hostname } from 'node:os';
import { CronExpressionParser } from 'cron-parser';
import type { Database } from './db.ts';

export const DEFAULT_TIME_ZONE = 'America/Bogota';
/** Longest real-time wait between two looks at the clock, so a moved or drifting clock is noticed. */
const MAX_SLEEP_MS = 60_000;
const KEEP_RUNS_MS = 7 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

export type JobRunReason = 'schedule' | 'catch-up' | 'start' | 'retry';

export interface JobContext {
  name: string;
  /** The scheduled time this run stands for (the start time for `runOnStart`); cutoffs can be measured from it. */
  slot: Date;
  reason: JobRunReason;
}

export interface JobDefinition {
  /** Unique within the schema: it keys the claim rows. */
  name: string;
  /** Cron expression (5 fields, or 6 with seconds first) in `timeZone`. Give this or `everyMs`. */
  cron?: string;
  /** Fixed interval instead of a cron expression; slots are multiples of it since the epoch. */
  everyMs?: number;
  timeZone?: string;
  /**
   * `one-replica` (default): a slot runs on the replica that claims it. `every-replica`: no claim, each
   * process runs every slot (heartbeats, per-process sweeps, notifiers deduplicated by idempotency keys).
   */
  runOn?: 'one-replica' | 'every-replica';
  /**
   * What start-up does with the latest slot already past: `none` (default) skips it; `same-day` runs it
   * when it fell on today's local date and no replica has run it (evalin R40); `latest` runs it whatever
   * its date (a missed job is caught up, schedules R25).
   */
  catchUp?: 'none' | 'same-day' | 'latest';
  /** Runs once when the scheduler starts, on this replica, without a claim (schedules R25, ai R30). */
  runOnStart?: boolean;
  /** A failed slot is tried again after this long (by this replica), until it succeeds or a newer slot is due. */
  retryAfterMs?: number;
  run(ctx: JobContext): Promise<unknown> | unknown;
}

export interface JobLogger {
  error(obj: object, msg?: string): void;
}

export interface SchedulerOptions {
  /** Where claims are stored; needed unless every job runs on every replica. */
  database?: Database;
  /** The service's own schema; `job_runs` is created there. */
  schema: string;
  now?: () => Date;
  logger?: JobLogger;
  /** Written on claim rows, for operators. Default `<hostname>-<pid>`. */
  instanceId?: string;
  /** Arm real timers after `start()` (default true). Tests with a fake clock may call `runDue()` instead. */
  timers?: boolean;
}

export interface Scheduler {
  /** Prepares the claim table and launches the start-up runs (catch-up, runOnStart) without awaiting them. */
  start(): Promise<void>;
  /** Runs every job whose latest slot has not been considered yet; never throws (failures are logged). */
  runDue(): Promise<void>;
  /** Resolves when no run of this scheduler is in flight. */
  idle(): Promise<void>;
  /** The next slot of a job after `now()`. */
  nextRunAt(name: string): Date;
  /** Stops the timers and waits for runs in flight; no run starts afterwards. */
  stop(): Promise<void>;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) of `at` in `timeZone`. */
export function localDate(at: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  let f = dayFormats.get(timeZone);
  if (!f) dayFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(at);
}

/** The first time strictly after `after` that matches `cron` in `timeZone`. */
export function nextCronTime(cron: string, after: Date, timeZone: string = DEFAULT_TIME_ZONE): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timeZone }).next().toDate();
}

/** The latest time at or before `at` that matches `cron` in `timeZone`. */
export function previousCronTime(cron: string, at: Date, timeZone: string = DEFAULT_TIME_ZONE): Date {
  // cron-parser's prev() is strictly before its start: start 1 ms later so a slot equal to `at` counts.
  return CronExpressionParser.parse(cron, { currentDate: new Date(at.getTime() + 1), tz: timeZone }).prev().toDate();
}

interface Job extends JobDefinition {
  timeZone: string;
  latest(now: number): number;
  next(now: number): number;
}

function compile(def: JobDefinition): Job {
  const timeZone = def.timeZone ?? DEFAULT_TIME_ZONE;
  // Invalid zones and expressions fail here, at start-up, not at the first run.
  new Intl.DateTimeFormat('en-US', { timeZone });
  if (!/^[\w.:-]{1,100}$/.test(def.name)) throw new Error(`invalid job name: ${def.name}`);
  if (def.cron !== undefined && def.everyMs === undefined) {
    const cron = def.cron;
    CronExpressionParser.parse(cron, { tz: timeZone });
    return {
      ...def, timeZone,
      latest: (now) => previousCronTime(cron, new Date(now), timeZone).getTime(),
      next: (now) => nextCronTime(cron, new Date(now), timeZone).getTime(),
    };
  }
  const every = def.everyMs;
  if (def.cron !== undefined || every === undefined || !(every >= 1)) throw new Error(`job ${def.name}: give either cron or everyMs (≥ 1)`);
  return { ...def, timeZone, latest: (now) => Math.floor(now / every) * every, next: (now) => (Math.floor(now / every) + 1) * every };
}

interface RunStore {
  /** True when this replica won the slot; `retake` also takes a slot whose earlier run failed. */
  claim(job: string, slot: number, reason: JobRunReason, retake: boolean, at: number): Promise<boolean>;
  finish(job: string, slot: number, error: string | null, at: number): Promise<void>;
}

function createRunStore(database: Database, schema: string, instanceId: string): RunStore {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const table = `"${schema}".job_runs`;
  let ready: Promise<void> | undefined;
  const prunedAt = new Map<string, number>();
  // Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog, hence the lock.
  const ensure = () => (ready ??= database.withAdvisoryLock(`sicora:jobs:${schema}`, async () => {
    // Only when missing: CREATE SCHEMA needs the CREATE privilege on the database even with IF NOT EXISTS.
    const [found] = await database.query(`SELECT 1 AS found FROM pg_namespace WHERE nspname = $1`, [schema]);
    if (!found) await database.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await database.query(`CREATE TABLE IF NOT EXISTS ${table} (
      job text NOT NULL, slot timestamptz NOT NULL, status text NOT NULL, reason text NOT NULL,
      instance_id text NOT NULL, started_at timestamptz NOT NULL, finished_at timestamptz, error text,
      PRIMARY KEY (job, slot))`);
  }).catch((err: unknown) => { ready = undefined; throw err; }));
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    async claim(job, slot, reason, retake, at) {
      await ensure();
      const rows = await database.query(
        `INSERT INTO ${table} (job, slot, status, reason, instance_id, started_at) VALUES ($1, $2, 'running', $3, $4, $5)
         ON CONFLICT (job, slot) DO UPDATE SET status = 'running', reason = EXCLUDED.reason, instance_id = EXCLUDED.instance_id,
           started_at = EXCLUDED.started_at, finished_at = NULL, error = NULL
         WHERE ${table}.status = 'failed' AND $6::boolean RETURNING job`,
        [job, iso(slot), reason, instanceId, iso(at), retake],
      );
      return rows.length === 1;
    },
    async finish(job, slot, error, at) {
      await database.query(`UPDATE ${table} SET status = $3, finished_at = $4, error = $5 WHERE job = $1 AND slot = $2`, [
        job, iso(slot), error === null ? 'succeeded' : 'failed', iso(at), error?.slice(0, 2000) ?? null,
      ]);
      if (at - (prunedAt.get(job) ?? 0) < PRUNE_EVERY_MS) return;
      prunedAt.set(job, at);
      await database.query(`DELETE FROM ${table} WHERE job = $1 AND slot < $2`, [job, iso(slot - KEEP_RUNS_MS)]);
    },
  };
}

interface JobState {
  /** The latest slot already handled (run, claimed elsewhere, or skipped at start). */
  considered: number;
  running?: Promise<void>;
  retry?: { slot: number; at: number };
}

export function createScheduler(opts: SchedulerOptions, definitions: JobDefinition[]): Scheduler {
  const now = opts.now ?? (() => new Date());
  const jobs = definitions.map(compile);
  const names = new Set(jobs.map((j) => j.name));
  if (names.size !== jobs.length) throw new Error('job names must be unique');
  const claimed = jobs.some((j) => (j.runOn ?? 'one-replica') === 'one-replica');
  if (claimed && !opts.database) throw new Error('a database is needed for jobs that run on one replica');
  const store = claimed ? createRunStore(opts.database!, opts.schema, opts.instanceId ?? `${hostname()}-${process.pid}`) : undefined;
  const state = new Map<string, JobState>(jobs.map((j) => [j.name, { considered: -Infinity }]));
  let stopped = false;
  let started = false;
  let timer: NodeJS.Timeout | undefined;

  const fail = (job: Job, err: unknown, msg: string) => {
    try {
      opts.logger?.error({ err, job: job.name }, msg);
    } catch {
      // A broken logger must not stop the scheduler.
    }
  };

  function launch(job: Job, slot: number, reason: JobRunReason): Promise<void> {
    const st = state.get(job.name)!;
    const run = (async () => {
      const oneReplica = (job.runOn ?? 'one-replica') === 'one-replica' && reason !== 'start';
      try {
        if (oneReplica && !(await store!.claim(job.name, slot, reason, reason === 'retry' || reason === 'catch-up', now().getTime()))) return;
      } catch (err) {
        fail(job, err, 'scheduled job could not claim its slot');
        if (job.retryAfterMs) st.retry = { slot, at: now().getTime() + job.retryAfterMs };
        return;
      }
      let error: unknown = null;
      try {
        await job.run({ name: job.name, slot: new Date(slot), reason });
      } catch (err) {
        error = err ?? new Error('job failed');
        fail(job, err, 'scheduled job failed');
        if (job.retryAfterMs) st.retry = { slot, at: now().getTime() + job.retryAfterMs };
      }
      if (oneReplica) {
        const message = error === null ? null : error instanceof Error ? error.message : String(error);
        await store!.finish(job.name, slot, message, now().getTime()).catch((err) => fail(job, err, 'scheduled job run could not be recorded'));
      }
    })();
    const tracked: Promise<void> = run.finally(() => {
      if (st.running === tracked) st.running = undefined;
    });
    st.running = tracked;
    return tracked;
  }

  async function runDue(): Promise<void> {
    if (stopped || !started) return;
    const at = now().getTime();
    const runs: Promise<void>[] = [];
    for (const job of jobs) {
      const st = state.get(job.name)!;
      // A run still going takes the slots that fall during it: the next look after it sees the latest one.
      if (st.running) continue;
      const latest = job.latest(at);
      if (latest > st.considered) {
        st.considered = latest;
        st.retry = undefined;
        runs.push(launch(job, latest, 'schedule'));
      } else if (st.retry && st.retry.at <= at) {
        const { slot } = st.retry;
        st.retry = undefined;
        if (slot === st.considered) runs.push(launch(job, slot, 'retry'));
      }
    }
    await Promise.all(runs);
  }

  function arm(): void {
    if (stopped || opts.timers === false) return;
    const at = now().getTime();
    let due = at + MAX_SLEEP_MS;
    for (const job of jobs) {
      due = Math.min(due, job.next(at));
      const retry = state.get(job.name)!.retry;
      if (retry) due = Math.min(due, retry.at);
    }
    timer = setTimeout(() => void runDue().finally(arm), Math.max(1, due - at));
    timer.unref();
  }

  async function idle(): Promise<void> {
    for (;;) {
      const running = [...state.values()].map((s) => s.running).filter((p): p is Promise<void> => p !== undefined);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  return {
    async start() {
      if (started || stopped) return;
      started = true;
      const at = now().getTime();
      for (const job of jobs) {
        const st = state.get(job.name)!;
        const latest = job.latest(at);
        st.considered = latest;
        const catchUp = job.catchUp ?? 'none';
        // Detached: a start-up run may call services that are not listening yet (01-architecture §1, step 5).
        if (job.runOnStart) void launch(job, at, 'start');
        else if (catchUp === 'latest' || (catchUp === 'same-day' && localDate(new Date(latest), job.timeZone) === localDate(new Date(at), job.timeZone))) {
          void launch(job, latest, 'catch-up');
        }
      }
      arm();
    },
    runDue,
    idle,
    nextRunAt(name) {
      const job = jobs.find((j) => j.name === name);
      if (!job) throw new Error(`unknown job: ${name}`);
      return new Date(job.next(now().getTime()));
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await idle();
    },
  };
}
