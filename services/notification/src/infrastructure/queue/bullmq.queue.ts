/**
 * BullMQ on Redis (production, R26): one attempt per job (retries are R29's), finished jobs removed at
 * once so an id can be enqueued again, `maxRetriesPerRequest: null` on worker connections and no
 * offline queue on the producing one, so N1 never waits on a down Redis.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES, type JobQueue, type QueueDepth, type QueueName } from '../../application/ports.ts';

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
    async work(queue, concurrency, handler) {
      const connection = new Redis(url, { maxRetriesPerRequest: null });
      connection.on('error', () => undefined);
      workerConnections.push(connection);
      const worker = new Worker(queue, async (job) => handler([job.data as Record<string, string>]), { connection, prefix, concurrency, stalledInterval: 30_000 });
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
