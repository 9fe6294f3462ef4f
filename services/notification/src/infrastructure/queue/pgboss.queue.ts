/**
 * pg-boss 10 on the service's own database (embedded default, R26): queues with policy `short` so a
 * `singletonKey` dedupes waiting jobs, no queue-level retries, and an own fetch() loop because work()
 * waits out its polling interval after every fetch. An idle loop waits 0.5 s between fetches, or less:
 * a job enqueued by this process (the embedded default's API and workers share it) wakes it at once.
 */
import PgBoss from 'pg-boss';
import type { Database } from '@sicora/platform/db';
import { QUEUES, type JobQueue, type QueueDepth, type QueueName } from '../../application/ports.ts';

function executor(database: Database): PgBoss.Db {
  if (database.pglite) {
    const pg = database.pglite;
    return {
      async executeSql(text: string, values?: unknown[]) {
        // PGlite's query() takes one statement; pg-boss sends multi-statement scripts without values.
        if (!values || values.length === 0) {
          const results = await pg.exec(text);
          return { rows: results.at(-1)?.rows ?? [] };
        }
        return pg.query(text, values);
      },
    } as PgBoss.Db;
  }
  return { executeSql: (text: string, values?: unknown[]) => database.pool!.query(text, values as unknown[]) } as PgBoss.Db;
}

export async function createPgBossQueue(database: Database, opts: { schema?: string } = {}): Promise<JobQueue> {
  const boss = new PgBoss({ db: executor(database), schema: opts.schema ?? 'notification_queue', schedule: false, supervise: true, migrate: true });
  boss.on('error', () => undefined);
  await boss.start();
  for (const name of QUEUES) {
    if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, policy: 'short', retryLimit: 0 }).catch(() => undefined);
  }
  let stopping = false;
  const loops: Promise<void>[] = [];
  const sleepers = new Set<() => void>();
  /** Waits `ms`, or until wake(). */
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const done = () => { clearTimeout(timer); sleepers.delete(done); resolve(); };
    const timer = setTimeout(done, ms);
    sleepers.add(done);
  });
  const wake = () => [...sleepers].forEach((done) => done());

  return {
    backend: 'pg-boss',
    async enqueue(queue: QueueName, jobId: string, payload: Record<string, string>, delayMs = 0) {
      await boss.send(queue, payload, { singletonKey: jobId, retryLimit: 0, ...(delayMs > 0 ? { startAfter: Math.ceil(delayMs / 1000) } : {}) });
      if (delayMs <= 0) wake();
    },
    async enqueueMany(queue, jobs) {
      // boss.insert(): one multi-row INSERT … ON CONFLICT DO NOTHING that takes the policy from the queue
      // row, so `short`'s unique index on (name, singleton_key) of waiting jobs dedupes as send() does.
      const seen = new Set<string>();
      const unique = jobs.filter((j) => !seen.has(j.jobId) && seen.add(j.jobId));
      for (let i = 0; i < unique.length; i += 1000) {
        await boss.insert(unique.slice(i, i + 1000).map((j) => ({
          name: queue, data: j.payload, singletonKey: j.jobId, retryLimit: 0,
          ...((j.delayMs ?? 0) > 0 ? { startAfter: String(Math.ceil(j.delayMs! / 1000)) } : {}),
        })));
      }
      if (unique.some((j) => (j.delayMs ?? 0) <= 0)) wake();
    },
    async work(queue, concurrency, handler) {
      const loop = async () => {
        while (!stopping) {
          let jobs: PgBoss.Job<Record<string, string>>[];
          try {
            jobs = await boss.fetch<Record<string, string>>(queue, { batchSize: Math.min(100, Math.max(concurrency, 1) * 5) });
          } catch {
            if (!stopping) await sleep(500);
            continue;
          }
          if (!jobs || jobs.length === 0) { await sleep(500); continue; }
          const ids = jobs.map((j) => j.id);
          try {
            await handler(jobs.map((j) => j.data));
            await boss.complete(queue, ids).catch(() => undefined);
          } catch {
            await boss.fail(queue, ids).catch(() => undefined);
          }
        }
      };
      // Deliveries (concurrency 20 by default) run two loops, so one batch's fetch, claim and result
      // writes overlap another's sends (R65); the fan-out queue (2) keeps one.
      for (let i = 0; i < Math.max(1, Math.min(2, Math.floor(concurrency / 10))); i++) loops.push(loop());
    },
    async depth(): Promise<QueueDepth[]> {
      const out: QueueDepth[] = [];
      for (const name of QUEUES) {
        const rows = await database.query<{ state: string; n: number; oldest: string | null }>(
          `SELECT state, count(*)::int AS n, min(created_on)::text AS oldest FROM ${opts.schema ?? 'notification_queue'}.job WHERE name = $1 GROUP BY state`, [name]);
        const by = (s: string) => rows.find((r) => r.state === s)?.n ?? 0;
        const created = rows.find((r) => r.state === 'created');
        out.push({ name, waiting: by('created'), active: by('active'), delayed: 0, failed: by('failed'), oldest_waiting_seconds: created?.oldest ? Math.max(0, Math.round((Date.now() - Date.parse(created.oldest)) / 1000)) : null });
      }
      return out;
    },
    async close() {
      stopping = true;
      wake();
      await Promise.all(loops);
      await boss.stop({ graceful: false, close: false, wait: true }).catch(() => undefined);
    },
  };
}
