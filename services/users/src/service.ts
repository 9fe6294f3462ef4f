/**
 * The users service's manifest. It starts first: it holds the signing keys every other service verifies
 * with, and its bootstrap (step 3 of the embedded start) creates them, the service clients and the admin.
 */
import { defineService } from '@sicora/platform/manifest';
import { loadConfig } from './config.ts';

export default defineService({
  name: 'users',
  description: 'Identity, tokens, accounts and bulk loading.',
  loadConfig,
  buildApp: async (config, overrides) => (await import('./app.ts')).buildApp(config, overrides),
  bootstrap: async ({ env, database }) => (await import('./bootstrap.ts')).bootstrapUsers(loadConfig(env), database),
  localSeed: async ({ database }) => (await import('./seed/demo.seed.ts')).seedUsersDemo(database),
});
