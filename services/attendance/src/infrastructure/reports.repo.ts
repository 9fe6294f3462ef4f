/** Report reads (RP2–RP5): rolls of a period with their live record counts; deleted records never count (R11). */
import { and, eq, gte, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { alerts, justificationItems, justifications, records, rolls } from './db/schema.ts';

export interface SessionRollRow {
  scheduleId: string;
  sessionDate: string;
  status: 'OPEN' | 'CLOSED';
  firstMarkAt: Date | null;
  closedAt: Date | null;
  closeMethod: string | null;
  /** Live records of the roll: "taken" means at least one (R43, R44). */
  records: number;
  present: number;
  late: number;
  absent: number;
  justified: number;
  excused: number;
}

/** A live record with the session fields the report breakdowns need (R40 figures, subjects, the matrix). */
export interface ReportRecordRow {
  id: string;
  studentId: string;
  scheduleId: string;
  sessionDate: string;
  startTime: string;
  endTime: string;
  subject: string;
  instructorId: string;
  status: 'PRESENT' | 'LATE' | 'ABSENT' | 'JUSTIFIED' | 'EXCUSED';
  lateMinutes: number | null;
  checkInAt: Date | null;
  method: string;
  notes: string | null;
}

/** RP4: R40 counts of one ficha (or of the whole scope), and its longest ABSENT run of one student. */
export interface GroupCountsRow {
  groupId: string;
  students: number;
  records: number;
  present: number;
  late: number;
  absent: number;
  justified: number;
  excused: number;
  lateSum: number;
  lateWithMinutes: number;
  longestRun: number;
}

export interface PeriodScope {
  campusId?: string;
  programId?: string;
  groupId?: string;
}

/** node-postgres hands back `{ rows }`, PGlite's drizzle driver the rows themselves. */
const rowsOf = (result: unknown) => ((result as { rows?: unknown[] }).rows ?? (result as unknown[])) as Array<Record<string, unknown>>;

const count = (status: string) => sql<number>`(count(${records.id}) filter (where ${records.status} = ${status}))::int`;

export function createReportsRepo(db: Db) {
  return {
    /** Rolls of `from`–`to` (of `scheduleIds` when given), each with its live record counts per status. */
    async sessionRolls(from: string, to: string, scheduleIds?: string[]): Promise<SessionRollRow[]> {
      if (scheduleIds && scheduleIds.length === 0) return [];
      const c: SQL[] = [gte(rolls.sessionDate, from), lte(rolls.sessionDate, to)];
      if (scheduleIds) c.push(inArray(rolls.scheduleId, [...new Set(scheduleIds)]));
      return db
        .select({
          scheduleId: rolls.scheduleId,
          sessionDate: rolls.sessionDate,
          status: rolls.status,
          firstMarkAt: rolls.firstMarkAt,
          closedAt: rolls.closedAt,
          closeMethod: rolls.closeMethod,
          records: sql<number>`count(${records.id})::int`,
          present: count('PRESENT'),
          late: count('LATE'),
          absent: count('ABSENT'),
          justified: count('JUSTIFIED'),
          excused: count('EXCUSED'),
        })
        .from(rolls)
        .leftJoin(records, and(eq(records.rollId, rolls.id), isNull(records.deletedAt)))
        .where(and(...c))
        .groupBy(rolls.id);
    },
    /**
     * RP4: per ficha, the R40 counts of the live records in the period and scope, computed in the database
     * (a centre-wide half year is too many rows to carry), with the longest ABSENT run of one student:
     * gaps and islands over (session_date, start_time) per student and ficha. `byStudentOnly` gives the
     * run over each student's records whatever the ficha (the totals' figure), in one row with group id ''.
     * The longest run per ficha is joined from one aggregate of the islands (a subquery per ficha would scan
     * every island row once per ficha: quadratic centre-wide).
     */
    async groupCounts(from: string, to: string, scope: PeriodScope): Promise<{ byGroup: GroupCountsRow[]; longestRun: number }> {
      const c: SQL[] = [sql`rec.deleted_at IS NULL`, sql`rec.session_date >= ${from}::date`, sql`rec.session_date <= ${to}::date`];
      if (scope.campusId) c.push(sql`ro.campus_id = ${scope.campusId}::uuid`);
      if (scope.programId) c.push(sql`ro.program_id = ${scope.programId}::uuid`);
      if (scope.groupId) c.push(sql`rec.group_id = ${scope.groupId}::uuid`);
      const where = sql.join(c, sql` AND `);
      const runs = (partition: SQL) => sql`
        SELECT rec.group_id, rec.student_id, rec.status, rec.late_minutes,
          row_number() OVER (PARTITION BY ${partition} ORDER BY rec.session_date, ro.start_time, rec.id)
          - row_number() OVER (PARTITION BY ${partition}, (rec.status = 'ABSENT') ORDER BY rec.session_date, ro.start_time, rec.id) AS island
        FROM attendance.records rec JOIN attendance.rolls ro ON ro.id = rec.roll_id
        WHERE ${where}`;
      const byGroup = rowsOf(await db.execute(sql`
        WITH r AS (${runs(sql`rec.student_id, rec.group_id`)}),
        islands AS (SELECT group_id, count(*)::int AS len FROM r WHERE status = 'ABSENT' GROUP BY group_id, student_id, island),
        longest AS (SELECT group_id, max(len)::int AS len FROM islands GROUP BY group_id)
        SELECT r.group_id::text AS "groupId",
          count(DISTINCT r.student_id)::int AS students,
          count(*)::int AS records,
          (count(*) FILTER (WHERE r.status = 'PRESENT'))::int AS present,
          (count(*) FILTER (WHERE r.status = 'LATE'))::int AS late,
          (count(*) FILTER (WHERE r.status = 'ABSENT'))::int AS absent,
          (count(*) FILTER (WHERE r.status = 'JUSTIFIED'))::int AS justified,
          (count(*) FILTER (WHERE r.status = 'EXCUSED'))::int AS excused,
          (coalesce(sum(r.late_minutes) FILTER (WHERE r.status = 'LATE'), 0))::int AS "lateSum",
          (count(r.late_minutes) FILTER (WHERE r.status = 'LATE'))::int AS "lateWithMinutes",
          coalesce(max(l.len), 0)::int AS "longestRun"
        FROM r LEFT JOIN longest l ON l.group_id = r.group_id GROUP BY r.group_id`));
      const [total] = rowsOf(await db.execute(sql`
        WITH r AS (${runs(sql`rec.student_id`)})
        SELECT coalesce(max(len), 0)::int AS n FROM (SELECT count(*) AS len FROM r WHERE status = 'ABSENT' GROUP BY student_id, island) x`));
      const num = (v: unknown) => Number(v ?? 0);
      return {
        byGroup: byGroup.map((r) => ({
          groupId: String(r.groupId),
          students: num(r.students),
          records: num(r.records),
          present: num(r.present),
          late: num(r.late),
          absent: num(r.absent),
          justified: num(r.justified),
          excused: num(r.excused),
          lateSum: num(r.lateSum),
          lateWithMinutes: num(r.lateWithMinutes),
          longestRun: num(r.longestRun),
        })),
        longestRun: num(total?.n),
      };
    },
    /** RP4: unresolved alerts per ficha. */
    async openAlertsByGroup(groupIds: string[]): Promise<Map<string, number>> {
      if (groupIds.length === 0) return new Map();
      const rows = await db
        .select({ groupId: alerts.groupId, n: sql<number>`count(*)::int` })
        .from(alerts)
        .where(and(inArray(alerts.groupId, [...new Set(groupIds)]), sql`${alerts.state} <> 'RESOLVED'`))
        .groupBy(alerts.groupId);
      return new Map(rows.map((r) => [r.groupId, r.n]));
    },
    /** Live records of a ficha or a student in the period, in (session_date, start_time) order (R11: deleted ones never count). */
    async recordsOf(scope: { groupId?: string; studentId?: string }, from: string, to: string, limit?: number): Promise<ReportRecordRow[]> {
      const c: SQL[] = [isNull(records.deletedAt), gte(records.sessionDate, from), lte(records.sessionDate, to)];
      if (scope.groupId) c.push(eq(records.groupId, scope.groupId));
      if (scope.studentId) c.push(eq(records.studentId, scope.studentId));
      const q = db
        .select({
          id: records.id,
          studentId: records.studentId,
          scheduleId: records.scheduleId,
          sessionDate: records.sessionDate,
          startTime: rolls.startTime,
          endTime: rolls.endTime,
          subject: rolls.subject,
          instructorId: records.instructorId,
          status: records.status,
          lateMinutes: records.lateMinutes,
          checkInAt: records.checkInAt,
          method: records.method,
          notes: records.notes,
        })
        .from(records)
        .innerJoin(rolls, eq(rolls.id, records.rollId))
        .where(and(...c))
        .orderBy(records.sessionDate, rolls.startTime, records.id);
      return limit === undefined ? q : q.limit(limit);
    },
    /** Unresolved alerts of these students, most severe first (RP1 `alerts[]`, RP2 `open_alerts`). */
    async unresolvedAlerts(studentIds: string[]) {
      if (studentIds.length === 0) return [];
      return db
        .select({ id: alerts.id, studentId: alerts.studentId, type: alerts.type, level: alerts.level, state: alerts.state, title: alerts.title, createdAt: alerts.createdAt })
        .from(alerts)
        .where(and(inArray(alerts.studentId, [...new Set(studentIds)]), sql`${alerts.state} <> 'RESOLVED'`))
        .orderBy(sql`${alerts.level} DESC`, alerts.type, alerts.id);
    },
    /** RP1: the student's justifications with a session in the period, counted by status. */
    async justificationCounts(studentId: string, from: string, to: string): Promise<Record<'PENDING' | 'APPROVED' | 'REJECTED', number>> {
      const rows = await db
        .select({ status: justifications.status, n: sql<number>`count(distinct ${justifications.id})::int` })
        .from(justifications)
        .innerJoin(justificationItems, eq(justificationItems.justificationId, justifications.id))
        .where(and(eq(justifications.studentId, studentId), gte(justificationItems.sessionDate, from), lte(justificationItems.sessionDate, to)))
        .groupBy(justifications.status);
      const out = { PENDING: 0, APPROVED: 0, REJECTED: 0 };
      for (const r of rows) if (r.status in out) out[r.status as keyof typeof out] = r.n;
      return out;
    },
  };
}

export type ReportsRepo = ReturnType<typeof createReportsRepo>;
