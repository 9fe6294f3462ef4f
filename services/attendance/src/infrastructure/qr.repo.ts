/** QR codes, the signing key and device conflicts (§3.4, §3.7, R14–R16): plain rows out. */
import { and, desc, eq, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { deviceConflicts, qrCodes, records, secrets } from './db/schema.ts';

export type QrCodeRow = typeof qrCodes.$inferSelect;
export type QrCodeInsert = typeof qrCodes.$inferInsert;

export function createQrRepo(db: Db) {
  return {
    async secret(name: string): Promise<Buffer | undefined> {
      const [row] = await db.select().from(secrets).where(eq(secrets.name, name));
      return row?.value;
    },
    /** Once across replicas: a key already stored wins (ON CONFLICT DO NOTHING, then read back). */
    async ensureSecret(name: string, value: Buffer): Promise<void> {
      await db.insert(secrets).values({ name, value }).onConflictDoNothing();
    },
    /** R21: codes issued before `cutoff` are deleted (records keep their scan; `qr_code_id` is set null). */
    async purgeIssuedBefore(cutoff: Date): Promise<number> {
      const rows = await db.delete(qrCodes).where(lt(qrCodes.issuedAt, cutoff)).returning({ id: qrCodes.id });
      return rows.length;
    },
    async get(id: string): Promise<QrCodeRow | undefined> {
      const [row] = await db.select().from(qrCodes).where(eq(qrCodes.id, id));
      return row;
    },
    async getForUpdate(id: string): Promise<QrCodeRow | undefined> {
      const [row] = await db.select().from(qrCodes).where(eq(qrCodes.id, id)).for('update');
      return row;
    },
    async insert(values: QrCodeInsert): Promise<QrCodeRow> {
      const [row] = await db.insert(qrCodes).values(values).returning();
      return row;
    },
    /** R15: only the newest code of a student and session is valid. */
    async supersedeActive(studentId: string, scheduleId: string, sessionDate: string) {
      await db
        .update(qrCodes)
        .set({ state: 'SUPERSEDED' })
        .where(and(eq(qrCodes.studentId, studentId), eq(qrCodes.scheduleId, scheduleId), eq(qrCodes.sessionDate, sessionDate), eq(qrCodes.state, 'ACTIVE')));
    },
    async markUsed(id: string, values: Pick<QrCodeInsert, 'usedAt' | 'usedBy' | 'recordId' | 'usedOutcome'>) {
      await db.update(qrCodes).set({ ...values, state: 'USED' }).where(eq(qrCodes.id, id));
    },
    /** R16 (a): another student who already got a code for the session from this device. */
    async otherStudentOnDevice(deviceId: string, scheduleId: string, sessionDate: string, studentId: string): Promise<string | undefined> {
      const [row] = await db
        .select({ studentId: qrCodes.studentId })
        .from(qrCodes)
        .where(and(eq(qrCodes.deviceId, deviceId), eq(qrCodes.scheduleId, scheduleId), eq(qrCodes.sessionDate, sessionDate), ne(qrCodes.studentId, studentId)))
        .orderBy(qrCodes.issuedAt)
        .limit(1);
      return row?.studentId;
    },
    /** R16 (b): how many devices the student asked codes from for the session. */
    async deviceCount(studentId: string, scheduleId: string, sessionDate: string): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(DISTINCT ${qrCodes.deviceId})::int` })
        .from(qrCodes)
        .where(and(eq(qrCodes.studentId, studentId), eq(qrCodes.scheduleId, scheduleId), eq(qrCodes.sessionDate, sessionDate)));
      return row.n;
    },
    async latestFor(studentId: string, scheduleId: string, sessionDate: string): Promise<QrCodeRow | undefined> {
      const [row] = await db
        .select()
        .from(qrCodes)
        .where(and(eq(qrCodes.studentId, studentId), eq(qrCodes.scheduleId, scheduleId), eq(qrCodes.sessionDate, sessionDate)))
        .orderBy(desc(qrCodes.issuedAt))
        .limit(1);
      return row;
    },
    async insertConflict(values: typeof deviceConflicts.$inferInsert) {
      await db.insert(deviceConflicts).values(values);
    },
    /** R16: the flag goes on existing live records without a version change or change row. */
    async flagRecords(studentIds: string[], scheduleId: string, sessionDate: string, flag: string) {
      for (const studentId of studentIds) {
        await db
          .update(records)
          .set({ flags: sql`array_append(${records.flags}, ${flag})` })
          .where(and(eq(records.studentId, studentId), eq(records.scheduleId, scheduleId), eq(records.sessionDate, sessionDate), sql`${records.deletedAt} IS NULL`, sql`NOT (${flag} = ANY(${records.flags}))`));
      }
    },
  };
}

export type QrRepo = ReturnType<typeof createQrRepo>;
