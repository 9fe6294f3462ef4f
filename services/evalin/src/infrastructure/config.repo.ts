/** The one configuration row (§3 Config, R45), written over the version read. */
import { and, eq } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { config } from './db/schema.ts';

export type ConfigRow = typeof config.$inferSelect;
const ROW_ID = 1;

export function createConfigRepo(db: Db) {
  return {
    async get(): Promise<ConfigRow | undefined> {
      const [row] = await db.select().from(config).where(eq(config.id, ROW_ID));
      return row;
    },
    async ensure(values: unknown, at: Date) {
      await db.insert(config).values({ id: ROW_ID, values, version: 1, updatedAt: at }).onConflictDoNothing();
    },
    async replace(values: unknown, expectedVersion: number, by: string, at: Date): Promise<ConfigRow | undefined> {
      const [row] = await db.update(config).set({ values, version: expectedVersion + 1, updatedBy: by, updatedAt: at }).where(and(eq(config.id, ROW_ID), eq(config.version, expectedVersion))).returning();
      return row;
    },
  };
}
