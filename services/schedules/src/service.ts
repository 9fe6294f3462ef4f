/**
 * The schedules service's manifest.
 */
import { defineService } from '@sicora/platform/manifest';
import { loadConfig } from './config.ts';

export default defineService({
  name: 'schedules',
  description: 'Campuses, venues, programs, fichas and weekly schedules.',
  loadConfig,
  buildApp: async (config, overrides) => (await import('./app.ts')).buildApp(config, overrides),
  // Holidays first (schedules.md R25), then the fichas, venues and weekly entries of the demo users.
  localSeed: async ({ database }) => (await import('./seed/demo.seed.ts')).seedSchedulesDemo(database),
});
