/**
 * buildApp: the only place that wires the users service together.
 */
import { fileURLToPath } from 'node:url';
import type { App } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import type { UsersConfig } from './config.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export async function buildApp(config: UsersConfig, overrides: ServiceOverrides = {}): Promise<App> {
  const { app } = await createServiceApp({
    config,
    overrides,
    migrationsFolder: MIGRATIONS_FOLDER,
    description: 'Identity, tokens, accounts and bulk loading.',
    tags: [{ name: 'platform', description: 'Health, metrics and documentation' }],
  });
  return app;
}
