/**
 * The ai service's manifest: what the CLI, the embedded start and the shared tests know of it.
 */
import { defineService } from '@sicora/platform/manifest';
import { loadConfig } from './config.ts';

export default defineService({
  name: 'ai',
  description: 'Academic assistant and dropout-risk prediction.',
  loadConfig,
  buildApp: async (config, overrides) => (await import('./app.ts')).buildApp(config, overrides),
});
