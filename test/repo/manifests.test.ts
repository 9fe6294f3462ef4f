/**
 * Every folder under services/ is a service with a manifest: the CLI, the embedded start, the coverage
 * floors and the shared platform suite all iterate the manifests, so a folder without one would silently
 * be left out of all four.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests, manifestPath } from '@sicora/platform/manifests';
import { SERVICE_CATALOGUE, SERVICES_DIR } from '@sicora/platform/services';

const folders = readdirSync(SERVICES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

describe('service manifests', () => {
  it.each(folders)('when services/%s exists, then it is in the service table and has a manifest of that name', async (name) => {
    const pkg = JSON.parse(readFileSync(join(SERVICES_DIR, name, 'package.json'), 'utf8')) as { sicora?: { port?: number } };
    expect(pkg.sicora, `services/${name}/package.json needs a "sicora" block`).toBeDefined();
    const entry = SERVICE_CATALOGUE.find((s) => s.name === name);
    expect(entry).toBeDefined();
    expect(existsSync(manifestPath(entry!)), `services/${name}/src/service.ts is missing`).toBe(true);
    const manifest = (await loadManifests()).find((m) => m.name === name);
    expect(manifest?.migrationsFolder).toBe(join(SERVICES_DIR, name, 'drizzle'));
  });

  it('when the table is read, then names, ports and start-up order are unique, users first and the gateway last', () => {
    const names = SERVICE_CATALOGUE.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(SERVICE_CATALOGUE.map((s) => s.port)).size).toBe(names.length);
    expect(names[0]).toBe('users');
    expect(names.at(-1)).toBe('gateway');
  });

  it('when a folder has no manifest, then loading it fails naming the folder', async () => {
    const { loadManifest } = await import('@sicora/platform/manifests');
    await expect(loadManifest({ ...SERVICE_CATALOGUE[0], name: 'ghost', dir: join(SERVICES_DIR, 'ghost') })).rejects.toThrow(/services\/ghost has no manifest/);
  });
});
