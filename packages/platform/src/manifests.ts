/**
 * Every service's manifest, found from the service table (services.ts): the one list the CLI, the
 * embedded start and the shared tests iterate, in start-up order.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServiceManifest } from './manifest.ts';
import { SERVICE_CATALOGUE, type ServiceEntry } from './services.ts';

/** The manifest file of a service folder. */
export function manifestPath(entry: Pick<ServiceEntry, 'dir'>): string {
  return join(entry.dir, 'src', 'service.ts');
}

export async function loadManifest(entry: ServiceEntry): Promise<ServiceManifest> {
  const file = manifestPath(entry);
  if (!existsSync(file)) throw new Error(`services/${entry.name} has no manifest (src/service.ts)`);
  const manifest = ((await import(pathToFileURL(file).href)) as { default?: ServiceManifest }).default;
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
