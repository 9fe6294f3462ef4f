/**
 * The gateway's manifest. It starts last, once every service it forwards to listens.
 */
import { defineService } from '@sicora/platform/manifest';
import { loadConfig } from './config.ts';

export default defineService({
  name: 'gateway',
  description: 'The single entry point: routing, tokens, rate limits, breakers and platform health.',
  loadConfig,
  buildApp: async (config, overrides) => (await import('./app.ts')).buildApp(config, overrides),
});
