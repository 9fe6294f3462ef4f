/**
 * The justification queries rolls and records need (R7, R10): which items lock a record, which approved
 * advance notices cover a session; and J1–J9's own reads and writes (submission, files, review).
 * Evidence content is read only by `fileContent` (J8): every other query leaves the bytes out.
 */
import { and, asc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { countTotal, listPage, withTotal } from '@sicora/platform/list-page';
import { alerts, evidenceFiles, justificationItems, justifications } from './db/schema.ts';

export type JustificationRow = typeof justifications.$inferSelect;
export type JustificationInsert = typeof justifications.$inferInsert;
export type JustificationItemRow = typeof justificationItems.$inferSelect;
export type JustificationItemInsert = typeof justificationItems.$inferInsert;
export type EvidenceInsert = typeof evidenceFiles.$inferInsert;
export type EvidenceMeta = Omit<typeof evidenceFiles.$inferSelect, 'content'>;

export interface JustificationFilter {
  studentId?: string;
  groupId?: string;
  statuses?: JustificationRow['status'][];
  kind?: JustificationRow['kind'];
  type?: JustificationRow['type'];
  /** `submitted_at` in [from, to). */
  from: Date;
  to: Date;
  /** true: PENDING and submitted before `overdueBefore`; false: the others. */
  overdue?: boolean;
  overdueBefore: Date;
  /** O4: only justifications with an item taught by this instructor. */
  reviewerId?: string;
}

export type JustificationSortField = 'submitted_at' | 'deadline_at';

/** Prior justifications of a student for one session (R22's limit, R23's resubmission window). */
export interface SessionHistory {
  count: number;
  lastRejectedAt: Date | null;
}

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
  const meta = {
    id: evidenceFiles.id,
    justificationId: evidenceFiles.justificationId,
    fileName: evidenceFiles.fileName,
    mediaType: evidenceFiles.mediaType,
    sizeBytes: evidenceFiles.sizeBytes,
    sha256: evidenceFiles.sha256,
    purgedAt: evidenceFiles.purgedAt,
    uploadedAt: evidenceFiles.uploadedAt,
  };
  const where = (f: JustificationFilter) => {
    const c: SQL[] = [gte(justifications.submittedAt, f.from), lt(justifications.submittedAt, f.to)];
    if (f.studentId) c.push(eq(justifications.studentId, f.studentId));
    if (f.groupId) c.push(eq(justifications.groupId, f.groupId));
    if (f.statuses?.length) c.push(inArray(justifications.status, f.statuses));
    if (f.kind) c.push(eq(justifications.kind, f.kind));
    if (f.type) c.push(eq(justifications.type, f.type));
    const overdue = and(eq(justifications.status, 'PENDING'), lt(justifications.submittedAt, f.overdueBefore))!;
    if (f.overdue === true) c.push(overdue);
    if (f.overdue === false) c.push(sql`NOT (${overdue})`);
    if (f.reviewerId) {
      c.push(sql`EXISTS (SELECT 1 FROM ${justificationItems} WHERE ${justificationItems.justificationId} = ${justifications.id} AND ${justificationItems.instructorId} = ${f.reviewerId})`);
    }
    return and(...c);
  };
  const sortColumn = { submitted_at: justifications.submittedAt, deadline_at: justifications.deadlineAt };
  return {
    async get(id: string): Promise<JustificationRow | undefined> {
      const [row] = await db.select().from(justifications).where(eq(justifications.id, id));
      return row;
    },
    /** Locked for the rest of the transaction: a review and an edit of one justification queue up. */
    async getForUpdate(id: string): Promise<JustificationRow | undefined> {
      const [row] = await db.select().from(justifications).where(eq(justifications.id, id)).for('update');
      return row;
    },
    async list(f: JustificationFilter, sort: Array<{ field: JustificationSortField; direction: 'asc' | 'desc' }>, limit: number, offset: number) {
      const counted = db.select({ n: sql<number>`count(*)::int` }).from(justifications).where(where(f));
      const page = db
        .select(withTotal({ row: justifications }, countTotal(counted)))
        .from(justifications)
        .where(where(f))
        .orderBy(...sort.map((s) => (s.direction === 'desc' ? sql`${sortColumn[s.field]} DESC NULLS LAST` : sql`${sortColumn[s.field]} ASC NULLS LAST`)), asc(justifications.id))
        .limit(limit)
        .offset(offset);
      const { rows, total } = await listPage(page, offset, async () => (await counted)[0].n);
      return { rows: rows.map((r) => r.row), total };
    },
    async insert(values: JustificationInsert): Promise<JustificationRow> {
      const [row] = await db.insert(justifications).values(values).returning();
      return row;
    },
    async update(id: string, values: Partial<JustificationInsert>): Promise<JustificationRow> {
      const [row] = await db.update(justifications).set(values).where(eq(justifications.id, id)).returning();
      return row;
    },
    /** J5: a hard delete; items and files go with it (FK cascade). */
    async remove(id: string): Promise<void> {
      await db.delete(justifications).where(eq(justifications.id, id));
    },
    async insertItems(values: JustificationItemInsert[]): Promise<JustificationItemRow[]> {
      if (values.length === 0) return [];
      return db.insert(justificationItems).values(values).returning();
    },
    async itemsOf(justificationIds: string[]): Promise<JustificationItemRow[]> {
      if (justificationIds.length === 0) return [];
      return db.select().from(justificationItems).where(inArray(justificationItems.justificationId, justificationIds)).orderBy(asc(justificationItems.sessionDate), asc(justificationItems.startTime));
    },
    async updateItem(id: string, values: Partial<JustificationItemInsert>): Promise<void> {
      await db.update(justificationItems).set(values).where(eq(justificationItems.id, id));
    },
    /** R26: a rejection frees the sessions for a new submission. */
    async deactivateItems(justificationId: string): Promise<void> {
      await db.update(justificationItems).set({ active: false }).where(eq(justificationItems.justificationId, justificationId));
    },
    /** R22: how many justifications the student sent for each session, and the last rejection. */
    async history(studentId: string, keys: Array<{ scheduleId: string; sessionDate: string }>): Promise<Map<string, SessionHistory>> {
      const out = new Map<string, SessionHistory>();
      if (keys.length === 0) return out;
      const match = or(...keys.map((k) => and(eq(justificationItems.scheduleId, k.scheduleId), eq(justificationItems.sessionDate, k.sessionDate))));
      const rows = await db
        .select({ scheduleId: justificationItems.scheduleId, sessionDate: justificationItems.sessionDate, status: justifications.status, reviewedAt: justifications.reviewedAt })
        .from(justificationItems)
        .innerJoin(justifications, eq(justifications.id, justificationItems.justificationId))
        .where(and(eq(justificationItems.studentId, studentId), match));
      for (const r of rows) {
        const key = `${r.scheduleId}|${r.sessionDate}`;
        const h = out.get(key) ?? { count: 0, lastRejectedAt: null };
        h.count += 1;
        if (r.status === 'REJECTED' && r.reviewedAt && (!h.lastRejectedAt || r.reviewedAt > h.lastRejectedAt)) h.lastRejectedAt = r.reviewedAt;
        out.set(key, h);
      }
      return out;
    },
    /** Active items of these sessions of a student (R22's SESSION_ALREADY_COVERED). */
    async activeItemsFor(studentId: string, keys: Array<{ scheduleId: string; sessionDate: string }>): Promise<JustificationItemRow[]> {
      if (keys.length === 0) return [];
      const match = or(...keys.map((k) => and(eq(justificationItems.scheduleId, k.scheduleId), eq(justificationItems.sessionDate, k.sessionDate))));
      return db.select().from(justificationItems).where(and(eq(justificationItems.studentId, studentId), eq(justificationItems.active, true), match));
    },
    async insertFiles(values: EvidenceInsert[]): Promise<void> {
      if (values.length === 0) return;
      await db.insert(evidenceFiles).values(values);
    },
    /** File metadata (never the bytes) of these justifications, oldest first. */
    async filesOf(justificationIds: string[]): Promise<EvidenceMeta[]> {
      if (justificationIds.length === 0) return [];
      return db.select(meta).from(evidenceFiles).where(inArray(evidenceFiles.justificationId, justificationIds)).orderBy(asc(evidenceFiles.uploadedAt), asc(evidenceFiles.id));
    },
    /** J8: one file with its bytes, null content once purged (R28). */
    async fileContent(justificationId: string, fileId: string): Promise<(EvidenceMeta & { content: Buffer | null }) | undefined> {
      const [row] = await db.select({ ...meta, content: evidenceFiles.content }).from(evidenceFiles).where(and(eq(evidenceFiles.id, fileId), eq(evidenceFiles.justificationId, justificationId)));
      return row;
    },
    async removeFile(fileId: string): Promise<void> {
      await db.delete(evidenceFiles).where(eq(evidenceFiles.id, fileId));
    },
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
    /** R27: PENDING justifications submitted before `before` whose overdue notice has not been sent, oldest first. */
    async overdueToNotify(before: Date): Promise<JustificationRow[]> {
      return db
        .select()
        .from(justifications)
        .where(and(eq(justifications.status, 'PENDING'), lt(justifications.submittedAt, before), isNull(justifications.overdueNotifiedAt)))
        .orderBy(asc(justifications.submittedAt), asc(justifications.id));
    },
    /** Claims R27's notice; false when another run sent it or a decision came first (nothing is queued then). */
    async markOverdueNotified(id: string, at: Date): Promise<boolean> {
      const rows = await db
        .update(justifications)
        .set({ overdueNotifiedAt: at })
        .where(and(eq(justifications.id, id), eq(justifications.status, 'PENDING'), isNull(justifications.overdueNotifiedAt)))
        .returning({ id: justifications.id });
      return rows.length > 0;
    },
    /** R7: a record written for a session whose pending advance notice will apply to it on approval. */
    async linkRecord(itemIds: string[], recordId: string, appliedAt: Date | null) {
      if (itemIds.length === 0) return;
      await db.update(justificationItems).set({ recordId, ...(appliedAt ? { appliedAt } : {}) }).where(inArray(justificationItems.id, itemIds));
    },
  };
}

export type JustificationsRepo = ReturnType<typeof createJustificationsRepo>;
