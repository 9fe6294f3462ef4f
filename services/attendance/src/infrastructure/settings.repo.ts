/** The one settings row (§3.7, R47). */
import { and, eq } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { settings } from './db/schema.ts';

export type SettingsRow = typeof settings.$inferSelect;

const ROW_ID = 1;

export function createSettingsRepo(db: Db) {
  return {
    async get(): Promise<SettingsRow | undefined> {
      const [row] = await db.select().from(settings).where(eq(settings.id, ROW_ID));
      return row;
    },
    /** First start: the defaults row, once across replicas (a row already there is kept). */
    async ensure(values: unknown, at: Date): Promise<void> {
      await db.insert(settings).values({ id: ROW_ID, values, version: 1, updatedAt: at }).onConflictDoNothing();
    },
    /** Writes only over the version read, so two concurrent ST2 calls cannot both win. */
    async replace(values: unknown, expectedVersion: number, by: string, at: Date): Promise<SettingsRow | undefined> {
      const [row] = await db
        .update(settings)
        .set({ values, version: expectedVersion + 1, updatedBy: by, updatedAt: at })
        .where(and(eq(settings.id, ROW_ID), eq(settings.version, expectedVersion)))
        .returning();
      return row;
    },
  };
}

export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
