/**
 * The __name__ service's manifest: what the CLI, the embedded start, the coverage floors, the shared
 * platform suite and the gateway know of it (01-architecture §3). The app is reached through a lazy
 * import, so listing every manifest costs nothing until this service is built.
 */
import { defineService } from '@sicora/platform/manifest';
import { loadConfig } from './config.ts';

export default defineService({
  name: '__name__',
  description: '__DESCRIPTION__',
  loadConfig,
  buildApp: async (config, overrides) => (await import('./app.ts')).buildApp(config, overrides),
  // localSeed / httpSeed (demo data), worker (`sicora worker __name__`) and bootstrap go here when needed.
});
