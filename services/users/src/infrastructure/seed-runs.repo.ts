/**
 * Completed seeds (`seed_runs`): a seed re-runs on the next start until it has recorded its completion.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { seedRuns } from './db/schema.ts';

export function createSeedRunsRepo(db: Db) {
  return {
    async isDone(name: string): Promise<boolean> {
      return (await db.select().from(seedRuns).where(eq(seedRuns.name, name))).length > 0;
    },
    async markDone(name: string, at: Date): Promise<void> {
      await db.insert(seedRuns).values({ name, completedAt: at }).onConflictDoNothing();
    },
  };
}

export type SeedRunsRepo = ReturnType<typeof createSeedRunsRepo>;
