/**
 * The evalin service's manifest: what the CLI, the embedded start and the shared tests know of it.
 */
import { defineService } from '@sicora/platform/manifest';
import { loadConfig } from './config.ts';

export default defineService({
  name: 'evalin',
  description: 'Evaluation of instructors by apprentices.',
  loadConfig,
  buildApp: async (config, overrides) => (await import('./app.ts')).buildApp(config, overrides),
  // §11: needs the demo fichas from schedules, so it runs once every service listens (step 6).
  httpSeed: async ({ database, config }) => (await import('./seed/demo.seed.ts')).seedEvalinDemo(database, config),
});
