/** Stakeholders (§3 Stakeholder): never deleted (R15). */
import { and, asc, eq, ilike, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { changeRequests, stakeholders } from './db/schema.ts';

export type StakeholderRow = typeof stakeholders.$inferSelect;
export type StakeholderInsert = typeof stakeholders.$inferInsert;

export function createStakeholdersRepo(db: Db) {
  return {
    async insert(values: StakeholderInsert): Promise<StakeholderRow> {
      const [row] = await db.insert(stakeholders).values(values).returning();
      return row;
    },
    async byId(id: string): Promise<StakeholderRow | undefined> {
      const [row] = await db.select().from(stakeholders).where(eq(stakeholders.id, id));
      return row;
    },
    async nameTaken(name: string, exceptId?: string): Promise<boolean> {
      const rows = await db.select({ id: stakeholders.id }).from(stakeholders).where(sql`lower(${stakeholders.name}) = lower(${name})`);
      return rows.some((r) => r.id !== exceptId);
    },
    async update(id: string, patch: Partial<StakeholderInsert>): Promise<StakeholderRow> {
      const [row] = await db.update(stakeholders).set(patch).where(eq(stakeholders.id, id)).returning();
      return row;
    },
    async requestCounts(id: string) {
      return db.select({ status: changeRequests.status, n: sql<number>`count(*)::int` }).from(changeRequests).where(eq(changeRequests.stakeholderId, id)).groupBy(changeRequests.status);
    },
    async list(f: { type?: StakeholderRow['stakeholderType']; status?: StakeholderRow['status']; search?: string }, limit: number, offset: number) {
      const c: SQL[] = [];
      if (f.type) c.push(eq(stakeholders.stakeholderType, f.type));
      if (f.status) c.push(eq(stakeholders.status, f.status));
      if (f.search) c.push(ilike(stakeholders.name, `%${f.search.replace(/[%_\\]/g, (m) => `\\${m}`)}%`));
      const w = c.length ? and(...c) : undefined;
      const rows = await db.select().from(stakeholders).where(w).orderBy(asc(stakeholders.name), asc(stakeholders.id)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(stakeholders).where(w);
      return { rows, total: n };
    },
  };
}
