/**
 * BullMQ on Redis (production, R26): one attempt per job (retries are R29's), finished jobs removed at
 * once so an id can be enqueued again, `maxRetriesPerRequest: null` on worker connections and no
 * offline queue on the producing one, so N1 never waits on a down Redis. Workers hand the handler
 * batches, as pg-boss's fetch() loop does, so one claim and one result write serve many jobs (R27, R65).
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES, type JobQueue, type QueueDepth, type QueueName } from '../../application/ports.ts';

const MAX_BATCH = 100;
const BATCH_WAIT_MS = 5;
/**
 * Batches handled at once per queue (R65): a batch spends most of its time waiting on database round
 * trips and commits, so several in flight keep Postgres and the sends busy (measured: 6 beat 4 and 8 at
 * the default concurrency of 20); 2 for the fan-out queue (concurrency 2). A BullMQ worker fetches one job
 * per round trip and calls the processor only once it holds `concurrency` jobs, so a burst starts after
 * 600 fetches; one worker per batch started sooner but did not finish sooner (its sends then compete
 * with the fan-out for the same cores), so one worker it is.
 */
const inFlight = (concurrency: number) => Math.max(2, Math.min(6, Math.floor((concurrency * 3) / 10)));

export function createBullMqQueue(url: string, prefix: string): JobQueue {
  const producer = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  producer.on('error', () => undefined);
  const queues = new Map(QUEUES.map((name) => [name, new Queue(name, { connection: producer, prefix })]));
  const workers: Worker[] = [];
  const workerConnections: Redis[] = [];

  return {
    backend: 'bullmq',
    async enqueue(queue: QueueName, jobId: string, payload: Record<string, string>, delayMs = 0) {
      await queues.get(queue)!.add(queue, payload, { jobId, attempts: 1, delay: Math.max(0, Math.round(delayMs)), removeOnComplete: true, removeOnFail: true });
    },
    async enqueueMany(queue, jobs) {
      // addBulk keeps `jobId`'s no-op for an id already waiting; repeated ids within `jobs` are dropped here.
      const seen = new Set<string>();
      const unique = jobs.filter((j) => !seen.has(j.jobId) && seen.add(j.jobId));
      for (let i = 0; i < unique.length; i += 1000) {
        await queues.get(queue)!.addBulk(unique.slice(i, i + 1000).map((j) => ({
          name: queue, data: j.payload, opts: { jobId: j.jobId, attempts: 1, delay: Math.max(0, Math.round(j.delayMs ?? 0)), removeOnComplete: true, removeOnFail: true },
        })));
      }
    },
    async work(queue, concurrency, handler) {
      const connection = new Redis(url, { maxRetriesPerRequest: null });
      connection.on('error', () => undefined);
      workerConnections.push(connection);
      // BullMQ hands over one job per processor call: jobs wait here until MAX_BATCH are buffered or
      // BATCH_WAIT_MS pass, then one handler call takes them all. Each job completes (or fails, with the
      // whole batch, like pg-boss's fail(ids)) only when that call has finished, so a job stays one
      // attempt and a crash mid-batch leaves its jobs to the stalled check and R30. At most inFlight()
      // batches run at once (the next fills while others are handled); the worker's concurrency bounds what is active.
      const maxBatch = Math.min(MAX_BATCH, Math.max(concurrency, 1) * 5);
      const batches = inFlight(concurrency);
      const buffered: Array<{ data: Record<string, string>; done: (err?: unknown) => void }> = [];
      let running = 0;
      let timer: NodeJS.Timeout | undefined;
      const flush = () => {
        clearTimeout(timer);
        timer = undefined;
        while (buffered.length > 0 && running < batches) {
          const batch = buffered.splice(0, maxBatch);
          running++;
          handler(batch.map((b) => b.data))
            .then(() => batch.forEach((b) => b.done()), (err: unknown) => batch.forEach((b) => b.done(err ?? new Error('batch failed'))))
            .finally(() => {
              running--;
              if (buffered.length >= maxBatch) flush();
              else if (buffered.length > 0) timer ??= setTimeout(flush, BATCH_WAIT_MS);
            });
        }
      };
      const worker = new Worker(queue, (job) => new Promise<void>((resolve, reject) => {
        buffered.push({ data: job.data as Record<string, string>, done: (err) => (err === undefined ? resolve() : reject(err)) });
        if (buffered.length >= maxBatch) flush();
        else timer ??= setTimeout(flush, BATCH_WAIT_MS);
      }), { connection, prefix, concurrency: maxBatch * batches, stalledInterval: 30_000 });
      worker.on('error', () => undefined);
      workers.push(worker);
    },
    async depth(): Promise<QueueDepth[]> {
      const out: QueueDepth[] = [];
      for (const [name, q] of queues) {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
        const [oldest] = await q.getJobs(['waiting'], 0, 0, true);
        out.push({ name, waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0, oldest_waiting_seconds: oldest ? Math.round((Date.now() - oldest.timestamp) / 1000) : null });
      }
      return out;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      await Promise.all(workerConnections.map((c) => c.quit().catch(() => c.disconnect())));
      await producer.quit().catch(() => producer.disconnect());
    },
  };
}
