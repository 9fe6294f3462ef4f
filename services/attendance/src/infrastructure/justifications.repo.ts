/**
 * The justification queries rolls and records need (R7, R10): which items lock a record, which approved
 * advance notices cover a session. Submitting and reviewing justifications are not built yet.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { alerts, justificationItems, justifications } from './db/schema.ts';

export interface CoveringItem {
  itemId: string;
  justificationId: string;
  studentId: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED';
  kind: 'AFTER_ABSENCE' | 'ADVANCE_NOTICE';
  recordId: string | null;
}

export function createJustificationsRepo(db: Db) {
  const select = {
    itemId: justificationItems.id,
    justificationId: justificationItems.justificationId,
    studentId: justificationItems.studentId,
    status: justifications.status,
    kind: justifications.kind,
    recordId: justificationItems.recordId,
  };
  return {
    /** Active items (parent PENDING or APPROVED) of one session, for every student. */
    async activeForSession(scheduleId: string, sessionDate: string): Promise<CoveringItem[]> {
      return db
        .select(select)
        .from(justificationItems)
        .innerJoin(justifications, eq(justifications.id, justificationItems.justificationId))
        .where(and(eq(justificationItems.scheduleId, scheduleId), eq(justificationItems.sessionDate, sessionDate), eq(justificationItems.active, true)));
    },
    /** Active items of a student's sessions (C1's `justification`). */
    async activeForStudent(studentId: string, scheduleIds: string[], dates: string[]): Promise<Array<CoveringItem & { scheduleId: string; sessionDate: string }>> {
      if (scheduleIds.length === 0) return [];
      return db
        .select({ ...select, scheduleId: justificationItems.scheduleId, sessionDate: justificationItems.sessionDate })
        .from(justificationItems)
        .innerJoin(justifications, eq(justifications.id, justificationItems.justificationId))
        .where(and(eq(justificationItems.studentId, studentId), eq(justificationItems.active, true), inArray(justificationItems.scheduleId, scheduleIds), inArray(justificationItems.sessionDate, dates)));
    },
    /** The newest justification touching each record (RecordView's `justification`). */
    async forRecords(recordIds: string[]): Promise<Map<string, { id: string; status: string }>> {
      const out = new Map<string, { id: string; status: string }>();
      if (recordIds.length === 0) return out;
      const rows = await db
        .select({ recordId: justificationItems.recordId, id: justifications.id, status: justifications.status })
        .from(justificationItems)
        .innerJoin(justifications, eq(justifications.id, justificationItems.justificationId))
        .where(inArray(justificationItems.recordId, recordIds))
        .orderBy(sql`${justifications.submittedAt} ASC`);
      for (const r of rows) if (r.recordId) out.set(r.recordId, { id: r.id, status: r.status });
      return out;
    },
    async pendingCount(studentId: string): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(justifications).where(and(eq(justifications.studentId, studentId), eq(justifications.status, 'PENDING')));
      return row.n;
    },
    /** Unresolved alerts of a student (S1's `open_alerts`), most severe first. */
    async openAlerts(studentId: string): Promise<Array<{ type: string; level: string }>> {
      return db
        .select({ type: alerts.type, level: alerts.level })
        .from(alerts)
        .where(and(eq(alerts.studentId, studentId), sql`${alerts.state} <> 'RESOLVED'`))
        .orderBy(sql`${alerts.level} DESC`, alerts.type);
    },
    /** R7: a record written for a session whose pending advance notice will apply to it on approval. */
    async linkRecord(itemIds: string[], recordId: string, appliedAt: Date | null) {
      if (itemIds.length === 0) return;
      await db.update(justificationItems).set({ recordId, ...(appliedAt ? { appliedAt } : {}) }).where(inArray(justificationItems.id, itemIds));
    },
  };
}

export type JustificationsRepo = ReturnType<typeof createJustificationsRepo>;
