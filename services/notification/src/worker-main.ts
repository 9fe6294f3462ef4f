/**
 * Entry point of a separate notification worker process: configuration → database → workers, with
 * /health, /health/ready and /metrics on NOTIFICATION_WORKER_PORT; graceful stop on SIGTERM (R33).
 */
import { readEnv } from '@sicora/platform/config';
import { closeOnSignals } from '@sicora/platform/lifecycle';
import { openServiceDatabase } from '@sicora/platform/service';
import { loadConfig } from './config.ts';
import { startNotificationWorker } from './worker.ts';

const config = loadConfig(readEnv());
const database = await openServiceDatabase(config);
const worker = await startNotificationWorker(config, database);
console.log(JSON.stringify({ msg: 'notification worker running', url: worker.url }));
closeOnSignals(async () => {
  await worker.stop();
  await database.close();
});
