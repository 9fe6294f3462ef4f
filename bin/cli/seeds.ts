/**
 * Bootstrap and demo seeds, in the order of 01-architecture §1: database-only seeds (each writing its
 * own schema with fixed ids, calling no other service) before the services listen, HTTP seeds after.
 */
import type { Env } from '@sicora/platform/config';
import type { Database } from '@sicora/platform/db';
import type { Listening } from '@sicora/platform/lifecycle';

export interface BootstrapResult {
  /** Generated service-client secrets (embedded default), by service name. */
  serviceSecrets: Record<string, string>;
  /** Present only on the start that created the admin, so its password is printed once. */
  createdAdmin?: { email: string; password: string };
}

export async function runBootstrap(_env: Env, _database: Database): Promise<BootstrapResult> {
  return { serviceSecrets: {} };
}

export async function runDatabaseSeeds(_env: Env, _database: Database): Promise<void> {}

export async function runHttpSeeds(_env: Env, _servers: Array<Listening & { name: string }>): Promise<void> {}
