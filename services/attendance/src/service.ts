/**
 * The attendance service's manifest: what the CLI, the embedded start and the shared tests know of it.
 */
import { defineService } from '@sicora/platform/manifest';
import { loadConfig } from './config.ts';

export default defineService({
  name: 'attendance',
  description: 'Rolls, rotating QR, justifications, alerts and reports.',
  loadConfig,
  buildApp: async (config, overrides) => (await import('./app.ts')).buildApp(config, overrides),
  // §11: a month of rolls, justifications and alerts of the demo fichas, read from schedules and users.
  httpSeed: async ({ database, config }) => (await import('./seed/demo.seed.ts')).httpDemoSeed(database, config),
});
