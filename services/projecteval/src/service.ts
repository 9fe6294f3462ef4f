/**
 * The projecteval service's manifest: what the CLI, the embedded start and the shared tests know of it.
 */
import { defineService } from '@sicora/platform/manifest';
import { loadConfig } from './config.ts';

export default defineService({
  name: 'projecteval',
  description: 'Evaluation of training projects.',
  loadConfig,
  buildApp: async (config, overrides) => (await import('./app.ts')).buildApp(config, overrides),
  // §11: teams, a project, a heard and published deliverable and documents of demo ficha 2826503.
  httpSeed: async ({ database, config }) => (await import('./seed/demo.seed.ts')).httpDemoSeed(database, config),
});
