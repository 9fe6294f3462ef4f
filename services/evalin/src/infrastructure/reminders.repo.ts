/** Reminders and the per-apprentice daily deliveries (R40–R42). */
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { outbox, reminderDeliveries, reminders } from './db/schema.ts';

export type ReminderRow = typeof reminders.$inferSelect;

export function createRemindersRepo(db: Db) {
  return {
    async insert(values: typeof reminders.$inferInsert): Promise<ReminderRow> {
      const [row] = await db.insert(reminders).values(values).returning();
      return row;
    },
    async setCounts(id: string, recipients: number, skipped: number, outboxKey: string | null) {
      await db.update(reminders).set({ recipientCount: recipients, skippedCount: skipped, outboxKey }).where(eq(reminders.id, id));
    },
    /** R42: records today's deliveries; returns the students that were not yet reminded today. */
    async claimDeliveries(reminderId: string, periodId: string, studentIds: string[], localDate: string): Promise<string[]> {
      if (studentIds.length === 0) return [];
      const rows = await db
        .insert(reminderDeliveries)
        .values(studentIds.map((studentId) => ({ reminderId, periodId, studentId, localDate })))
        .onConflictDoNothing()
        .returning({ studentId: reminderDeliveries.studentId });
      return rows.map((r) => r.studentId);
    },
    async remindedToday(periodId: string, localDate: string): Promise<Set<string>> {
      const rows = await db.select({ s: reminderDeliveries.studentId }).from(reminderDeliveries).where(and(eq(reminderDeliveries.periodId, periodId), eq(reminderDeliveries.localDate, localDate)));
      return new Set(rows.map((r) => r.s));
    },
    /** R41: the latest manual reminder of the ficha that had recipients. */
    async lastManual(periodId: string, groupId: string): Promise<ReminderRow | undefined> {
      const [row] = await db
        .select()
        .from(reminders)
        .where(and(eq(reminders.periodId, periodId), eq(reminders.groupId, groupId), eq(reminders.kind, 'manual'), sql`${reminders.recipientCount} > 0`))
        .orderBy(desc(reminders.createdAt))
        .limit(1);
      return row;
    },
    async list(f: { periodId: string; groupId?: string; groupIds?: string[]; kind?: 'auto_ending' | 'manual' }, limit: number, offset: number) {
      const c: SQL[] = [eq(reminders.periodId, f.periodId)];
      if (f.groupId) c.push(eq(reminders.groupId, f.groupId));
      if (f.groupIds) c.push(f.groupIds.length ? inArray(reminders.groupId, f.groupIds) : sql`false`);
      if (f.kind) c.push(eq(reminders.kind, f.kind));
      const w = and(...c);
      const rows = await db
        .select({ r: reminders, outboxStatus: outbox.status })
        .from(reminders)
        .leftJoin(outbox, eq(outbox.idempotencyKey, reminders.outboxKey))
        .where(w)
        .orderBy(desc(reminders.createdAt), desc(reminders.id))
        .limit(limit)
        .offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(reminders).where(w);
      return { rows, total: n };
    },
    /** Reminders whose outbox entry was delivered or failed since: their delivery state follows it. */
    async syncDelivery() {
      await db.execute(sql`update ${reminders} r set delivery_status = case o.status when 'delivered' then 'accepted'::evalin.delivery_status when 'failed' then 'failed'::evalin.delivery_status else 'pending'::evalin.delivery_status end
        from ${outbox} o where o.idempotency_key = r.outbox_key and r.delivery_status = 'pending' and o.status <> 'pending'`);
    },
  };
}
