/** Runs the extraction worker (pdf-extract.worker.mjs) for one file; resolves its answer, never throws. */
import { Worker } from 'node:worker_threads';

export type Extraction = { pages: number; texts: string[]; title: string | null } | { error: string; message?: string; pages?: number };

const WORKER = new URL('./pdf-extract.worker.mjs', import.meta.url);

export function extractPdf(bytes: Buffer, opts: { maxPages: number; timeoutMs?: number }): Promise<Extraction> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER, { workerData: { bytes, maxPages: opts.maxPages } });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ error: 'PDF_UNREADABLE', message: 'timeout' });
    }, opts.timeoutMs ?? 120_000);
    worker.once('message', (m: Extraction) => {
      clearTimeout(timer);
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      resolve({ error: 'PDF_UNREADABLE', message: err.message });
    });
  });
}
