/**
 * Bootstrap and demo seeds, in the order of 01-architecture §1, from the manifests: database-only seeds
 * (each writing its own schema with fixed ids, calling no other service) before the services listen,
 * HTTP seeds after (by the embedded start once every service listens, or by `sicora seed --demo` against
 * services already served).
 */
import type { BaseConfig, Env } from '@sicora/platform/config';
import { AppError } from '@sicora/platform/errors';
import type { Database } from '@sicora/platform/db';
import type { BootstrapResult, ServiceManifest } from '@sicora/platform/manifest';

export type { BootstrapResult };

/** A remote call that may work a moment later: a 503 from a busy or still-starting peer, a timeout, a breaker. */
function transient(err: unknown): boolean {
  return err instanceof AppError && err.kind === 'unavailable';
}

/**
 * One HTTP seed, tried again while its failure is transient: on a loaded machine a seed's first calls can
 * meet a peer that is slow to answer, and the whole start used to end there. Seeds are idempotent (each
 * records its run), so a second attempt picks up where the first stopped. Anything else fails at once.
 */
export async function withSeedRetries(name: string, run: () => Promise<void>, opts: { attempts?: number; delayMs?: number; warn?: (msg: string) => void } = {}): Promise<void> {
  const attempts = opts.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= attempts || !transient(err)) throw err;
      opts.warn?.(`${name}: semilla demo reintentada (${attempt}/${attempts - 1}): ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, (opts.delayMs ?? 2_000) * attempt));
    }
  }
}

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
  /** Where a retried seed is reported. */
  warn?(message: string): void;
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
      await withSeedRetries(m.name, () => m.httpSeed!({ env, database, config }), { warn: opts.warn });
    } finally {
      await database.close();
    }
    ran.push(m.name);
  }
  return { ran, unreachable: [] };
}
