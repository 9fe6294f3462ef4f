#!/usr/bin/env node
// Generates a service's next SQL migration with drizzle-kit, then makes `CREATE SCHEMA` idempotent:
// drizzle's migrator creates the service schema itself (its migrations table lives there) before
// running the first migration, so a plain `CREATE SCHEMA` would fail.
// Usage: node scripts/db-generate.mjs <service> [--name <migration_name>] [--custom]
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [service, ...rest] = process.argv.slice(2);
if (!service) {
  console.error('usage: node scripts/db-generate.mjs <service> [--name <name>] [--custom]');
  process.exit(2);
}
const dir = join('services', service);
execFileSync('npx', ['drizzle-kit', 'generate', ...rest], { cwd: dir, stdio: 'inherit' });
const out = join(dir, 'drizzle');
for (const file of readdirSync(out).filter((f) => f.endsWith('.sql'))) {
  const path = join(out, file);
  const sql = readFileSync(path, 'utf8');
  const fixed = sql.replace(/CREATE SCHEMA "([a-z_]+)";/g, 'CREATE SCHEMA IF NOT EXISTS "$1";');
  if (fixed !== sql) writeFileSync(path, fixed);
}
