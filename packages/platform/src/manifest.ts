/**
 * The manifest of one service (`services/<name>/src/service.ts`, 01-architecture §3): everything the
 * CLI, the embedded start, the coverage floors and the shared platform test suite need to know about a
 * service, so that none of them keeps a hand-written list. Code is reached through lazy imports: reading
 * the manifests of every service costs nothing until one is built.
 */
import { join } from 'node:path';
import type { BaseConfig, Env } from './config.ts';
import type { Database } from './db.ts';
import type { App } from './server.ts';
import type { ServiceOverrides } from './service.ts';
import { serviceEntry } from './services.ts';

/** What a seed receives: the environment (with the data dir resolved) and the database it writes. */
export interface SeedContext {
  env: Env;
  database: Database;
}

/** Step 3 of the embedded start: the users bootstrap (signing key, service clients, admin). */
export interface BootstrapResult {
  createdAdmin?: { email: string; password: string };
  /** Each service client's secret, by service name, handed to that service's configuration. */
  serviceSecrets: Record<string, string>;
}

export interface RunningWorker {
  /** The worker's own health server, when it has one. */
  url?: string;
  stop(): Promise<void>;
}

export interface ServiceManifest<C extends BaseConfig = BaseConfig> {
  /** The folder name, the schema name and the `<NAME>_…` variable prefix. */
  name: string;
  /** One line for the CLI's help and the gateway's service table. */
  description: string;
  loadConfig(env: Env): C;
  // Each service widens the overrides with its own fakes (ports, clocks); the CLI passes only the common ones.
  buildApp(config: C, overrides?: ServiceOverrides & Record<string, unknown>): Promise<App>;
  /** The committed drizzle migrations of this service's schema. */
  migrationsFolder: string;
  /** Step 3 (only users has one). */
  bootstrap?(ctx: SeedContext): Promise<BootstrapResult>;
  /** Step 4: demo data written to this service's own schema only, with fixed ids, calling no other service. */
  localSeed?(ctx: SeedContext): Promise<void>;
  /** Step 6: demo data that needs other services over HTTP; runs once every service listens. */
  httpSeed?(ctx: SeedContext & { config: C }): Promise<void>;
  /** `sicora worker <name>`: the service's background workers as their own process. */
  worker?(config: C, database: Database): Promise<RunningWorker>;
}

/** Where a service's committed migrations live: `services/<name>/drizzle`. */
export function migrationsFolderOf(name: string): string {
  const entry = serviceEntry(name);
  if (!entry) throw new Error(`services/${name}/package.json has no "sicora" block`);
  return join(entry.dir, 'drizzle');
}

/** Checks a manifest against its configuration type; the migrations folder defaults to `services/<name>/drizzle`. */
export function defineService<C extends BaseConfig>(manifest: Omit<ServiceManifest<C>, 'migrationsFolder'> & { migrationsFolder?: string }): ServiceManifest<C> {
  return { ...manifest, migrationsFolder: manifest.migrationsFolder ?? migrationsFolderOf(manifest.name) };
}
