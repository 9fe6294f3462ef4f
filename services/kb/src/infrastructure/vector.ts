/**
 * R12 (a): pgvector where the server has it. `CREATE EXTENSION IF NOT EXISTS vector` is tried at start-up;
 * only when it succeeds are the custom SQL files of drizzle-vector/ applied (once, recorded in
 * kb.vector_migrations), under the same advisory lock as the other migrations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '@sicora/platform/db';

export const VECTOR_MIGRATIONS = fileURLToPath(new URL('../../drizzle-vector', import.meta.url));

export async function ensureVector(database: Database): Promise<boolean> {
  try {
    await database.query('CREATE EXTENSION IF NOT EXISTS vector');
  } catch {
    return false;
  }
  await database.withAdvisoryLock('sicora:migrate:kb:vector', async () => {
    await database.query('CREATE TABLE IF NOT EXISTS kb.vector_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await database.query<{ name: string }>('SELECT name FROM kb.vector_migrations')).map((r) => r.name));
    for (const file of readdirSync(VECTOR_MIGRATIONS).filter((f) => f.endsWith('.sql')).sort()) {
      if (done.has(file)) continue;
      const statements = readFileSync(join(VECTOR_MIGRATIONS, file), 'utf8').split(/;\s*\n/).map((s) => s.replace(/^--.*$/gm, '').trim()).filter(Boolean);
      for (const s of statements) await database.query(s);
      await database.query('INSERT INTO kb.vector_migrations (name) VALUES ($1) ON CONFLICT DO NOTHING', [file]);
    }
  });
  return true;
}
