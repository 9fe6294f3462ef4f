/**
 * Every service's manifest, found from the service table (services.ts): the one list the CLI, the
 * embedded start and the shared tests iterate, in start-up order.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServiceManifest } from './manifest.ts';
import { SERVICE_CATALOGUE, type ServiceEntry } from './services.ts';

/** The build's id, defined only in the bundle scripts/build.mjs writes; undefined under tsx and vitest. */
declare const __SICORA_COMPILED__: string | undefined;
const BUILD = typeof __SICORA_COMPILED__ !== 'undefined' ? __SICORA_COMPILED__ : undefined;

/** The manifest file of a service folder. */
export function manifestPath(entry: Pick<ServiceEntry, 'dir'>): string {
  return join(entry.dir, 'src', 'service.ts');
}

export async function loadManifest(entry: ServiceEntry): Promise<ServiceManifest> {
  const file = manifestPath(entry);
  if (!existsSync(file)) throw new Error(`services/${entry.name} has no manifest (src/service.ts)`);
  // Compiled, the manifest is this build's entry for that service (dist/<build>/service-<name>.js):
  // importing the source would load TypeScript beside the bundle, and a second copy of the platform.
  const module = BUILD ? join(entry.dir, '..', '..', 'dist', BUILD, `service-${entry.name}.js`) : file;
  if (!existsSync(module)) throw new Error(`services/${entry.name} is not in dist/: run npm run build`);
  const manifest = ((await import(pathToFileURL(module).href)) as { default?: ServiceManifest }).default;
  if (!manifest || manifest.name !== entry.name) {
    throw new Error(`services/${entry.name}/src/service.ts must export default defineService({ name: '${entry.name}', … })`);
  }
  return manifest;
}

let cached: Promise<ServiceManifest[]> | undefined;

/** Every manifest, users first and the gateway last. */
export function loadManifests(): Promise<ServiceManifest[]> {
  cached ??= Promise.all(SERVICE_CATALOGUE.map(loadManifest));
  return cached;
}

export async function findManifest(name: string): Promise<ServiceManifest | undefined> {
  return (await loadManifests()).find((m) => m.name === name);
}
