/**
 * Bootstrap and demo seeds, in the order of 01-architecture §1: database-only seeds (each writing its
 * own schema with fixed ids, calling no other service) before the services listen, HTTP seeds after.
 */
import type { Env } from '@sicora/platform/config';
import type { Database } from '@sicora/platform/db';
import { bootstrapUsers, type BootstrapResult } from '../../services/users/src/bootstrap.ts';
import { loadConfig as loadUsersConfig } from '../../services/users/src/config.ts';
import { seedUsersDemo } from '../../services/users/src/seed/demo.seed.ts';
import { seedSchedulesDemo } from '../../services/schedules/src/seed/demo.seed.ts';
import { seedNotificationDemo } from '../../services/notification/src/seed/demo.seed.ts';

export type { BootstrapResult };

/** Step 3: the users service's signing key, service clients and admin. */
export async function runBootstrap(env: Env, database: Database): Promise<BootstrapResult> {
  return bootstrapUsers(loadUsersConfig(env), database);
}

/** Step 4: the demo seeds that write only their own schema (fixed `5eed…` ids, insert if absent). */
export async function runDatabaseSeeds(env: Env, database: Database): Promise<void> {
  await seedUsersDemo(database);
  // Holidays first (schedules.md R25), then the fichas, venues and weekly entries of the demo users.
  await seedSchedulesDemo(database);
  // Historical notifications, inbox, preferences, devices and the dashboard's delivery history.
  await seedNotificationDemo(database, { appUrl: env.PUBLIC_APP_URL || undefined });
}
