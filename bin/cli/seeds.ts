/**
 * Bootstrap and demo seeds, in the order of 01-architecture §1, from the manifests: database-only seeds
 * (each writing its own schema with fixed ids, calling no other service) before the services listen,
 * HTTP seeds after (by the embedded start once every service listens, or by `sicora seed --demo` against
 * services already served).
 */
import type { BaseConfig, Env } from '@sicora/platform/config';
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

export interface HttpSeedOutcome {
  /** The services whose HTTP seed ran. */
  ran: string[];
  /** The services that did not answer `/health`; when any, no HTTP seed ran. */
  unreachable: string[];
}

export interface HttpSeedOptions {
  /** The database a service's seed writes: its own (`<SERVICE>_DATABASE_URL` or `DATABASE_URL`). */
  openDatabase(config: BaseConfig): Promise<Database>;
  /** Whether a service answers; default GET `<url>/health` with a 2 s timeout. */
  probe?(url: string): Promise<boolean>;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Step 6 outside the embedded start (`sicora seed --demo` against services started with `sicora serve`):
 * each HTTP seed reads other services with its own service client, so every service must already listen.
 * When one does not answer, none runs (a half-seeded demo is worse than none) and the caller says which.
 */
export async function runHttpSeeds(manifests: ServiceManifest[], env: Env, serviceSecrets: Record<string, string>, opts: HttpSeedOptions): Promise<HttpSeedOutcome> {
  const seeders = manifests.filter((m) => m.httpSeed);
  if (seeders.length === 0) return { ran: [], unreachable: [] };
  const configOf = (m: ServiceManifest) => {
    const secret = serviceSecrets[m.name];
    return m.loadConfig({ ...env, ...(secret ? { SERVICE_CLIENT_SECRET: secret } : {}) });
  };
  const urls = configOf(seeders[0]).serviceUrls as Record<string, string>;
  const probe = opts.probe ?? answers;
  const checks = await Promise.all(manifests.map(async (m) => ({ name: m.name, ok: await probe(urls[m.name]) })));
  const unreachable = checks.filter((c) => !c.ok).map((c) => c.name);
  if (unreachable.length > 0) return { ran: [], unreachable };
  const ran: string[] = [];
  for (const m of seeders) {
    const config = configOf(m);
    const database = await opts.openDatabase(config);
    try {
      await m.httpSeed!({ env, database, config });
    } finally {
      await database.close();
    }
    ran.push(m.name);
  }
  return { ran, unreachable: [] };
}
