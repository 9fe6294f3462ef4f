/**
 * The kb service's manifest: what the CLI, the embedded start and the shared tests know of it.
 */
import { defineService } from '@sicora/platform/manifest';
import { loadConfig } from './config.ts';

export default defineService({
  name: 'kb',
  description: 'Knowledge base: regulations, FAQs and guides with Spanish search, feedback, PDF import and backup.',
  loadConfig,
  buildApp: async (config, overrides) => (await import('./app.ts')).buildApp(config, overrides),
  // §11: writes only kb tables and calls no other service, so it runs with the users and schedules seeds.
  localSeed: async ({ database }) => (await import('./seed/demo.seed.ts')).seedKbDemo(database),
});
