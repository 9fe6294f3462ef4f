/**
 * The notification service's manifest. Its queue workers run inside the API process in the embedded
 * default and as `sicora worker notification` in production (notification.md R61).
 */
import { defineService } from '@sicora/platform/manifest';
import { loadConfig } from './config.ts';

export default defineService({
  name: 'notification',
  description: 'E-mail, SMS, push and in-app notifications.',
  loadConfig,
  buildApp: async (config, overrides) => (await import('./app.ts')).buildApp(config, overrides),
  // Historical notifications, inbox, preferences, devices and the dashboard's delivery history.
  localSeed: async ({ env, database }) =>
    (await import('./seed/demo.seed.ts')).seedNotificationDemo(database, { appUrl: env.PUBLIC_APP_URL || undefined }),
  worker: async (config, database) => {
    const running = await (await import('./app.ts')).startNotificationWorker(config, database);
    return { url: running.url ?? undefined, stop: running.stop };
  },
});
