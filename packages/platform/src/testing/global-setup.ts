/**
 * Vitest global setup: one PGlite initdb (with pgvector) as a tarball that every test worker loads once
 * (packages/platform/src/testing/db.ts). The tarball is the platform's initdb snapshot
 * (pglite-template.ts), kept between runs under node_modules/.cache: initdb costs 5–10 s of a run's start.
 */
import { initdbSnapshot } from '../pglite-template.ts';
import { SNAPSHOT_ENV } from './db.ts';

export default async function setup() {
  if (process.env.DATABASE_URL) return () => undefined;
  process.env[SNAPSHOT_ENV] = await initdbSnapshot();
  return () => undefined;
}
