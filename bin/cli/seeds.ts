/**
 * Bootstrap and demo seeds, in the order of 01-architecture §1, from the manifests: database-only seeds
 * (each writing its own schema with fixed ids, calling no other service) before the services listen,
 * HTTP seeds after.
 */
import type { Env } from '@sicora/platform/config';
import type { Database } from '@sicora/platform/db';
import type { BootstrapResult, ServiceManifest } from '@sicora/platform/manifest';

export type { BootstrapResult };

/** Step 3: the bootstrap of the service that has one (users: signing key, service clients, admin). */
export async function runBootstrap(manifests: ServiceManifest[], env: Env, database: Database): Promise<BootstrapResult> {
  const owners = manifests.filter((m) => m.bootstrap);
  if (owners.length !== 1) throw new Error(`exactly one service must bootstrap the platform (found ${owners.length})`);
  return owners[0].bootstrap!({ env, database });
}

/** Step 4: the demo seeds that write only their own schema (fixed `5eed…` ids, insert if absent). */
export async function runLocalSeeds(manifests: ServiceManifest[], env: Env, database: Database): Promise<void> {
  for (const m of manifests) await m.localSeed?.({ env, database });
}
