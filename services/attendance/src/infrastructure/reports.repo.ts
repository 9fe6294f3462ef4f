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
     * RP4/R44: the sessions of `from`–`to` whose roll has at least one live record ("taken"), as
     * `schedule_id|session_date` keys: a semi-join on the records' roll index, nothing counted.
     */
    async takenSessions(from: string, to: string): Promise<Set<string>> {
      const rows = rowsOf(await db.execute(sql`
        SELECT ro.schedule_id::text AS s, ro.session_date::text AS d FROM attendance.rolls ro
        WHERE ro.session_date >= ${from}::date AND ro.session_date <= ${to}::date
          AND EXISTS (SELECT 1 FROM attendance.records rec WHERE rec.roll_id = ro.id AND rec.deleted_at IS NULL)`));
      return new Set(rows.map((r) => `${String(r.s)}|${String(r.d)}`));
    },
    /**
     * RP4: per ficha, the R40 counts of the live records in the period and scope, computed in the database
     * (a centre-wide half year is too many rows to carry), with the longest ABSENT run of one student
     * (R40: over the ficha's records ordered by (session_date, start_time)); and the longest run of one
     * student over all their records in scope (the totals' figure).
     *
     * One sort of the records per (student, ficha) serves every figure: the running ABSENT count `absents`
     * and, one window level up on the same ordering (no second sort), the ABSENT count at the last
     * non-ABSENT record, so an ABSENT record closes a run of `absents − absents_before_run`. The rows come
     * back per (student, ficha) (one per apprentice) and are summed per ficha here. A student with records
     * in two fichas in scope (a transfer) has runs that may cross the change: only those students' totals'
     * run is computed again over their records whatever the ficha. The statement runs with a larger
     * `work_mem` (the half-year sort stays in memory instead of spilling to disk) and without JIT (its
     * compilation cost more than it saved): both `SET LOCAL`, for this transaction only.
     */
    async groupCounts(from: string, to: string, scope: PeriodScope): Promise<{ byGroup: GroupCountsRow[]; longestRun: number }> {
      const c: SQL[] = [sql`rec.deleted_at IS NULL`, sql`rec.session_date >= ${from}::date`, sql`rec.session_date <= ${to}::date`];
      if (scope.campusId) c.push(sql`ro.campus_id = ${scope.campusId}::uuid`);
      if (scope.programId) c.push(sql`ro.program_id = ${scope.programId}::uuid`);
      if (scope.groupId) c.push(sql`rec.group_id = ${scope.groupId}::uuid`);
      const where = sql.join(c, sql` AND `);
      const longestRuns = (columns: ReadonlyArray<'student_id' | 'group_id'>, extra: SQL = sql``) => sql`
        SELECT y.*, coalesce(max(y.absents) FILTER (WHERE y.status <> 'ABSENT') OVER w, 0) AS absents_before_run
        FROM (
          SELECT rec.group_id, rec.student_id, rec.status, rec.late_minutes, rec.session_date, ro.start_time, rec.id,
            count(*) FILTER (WHERE rec.status = 'ABSENT') OVER w AS absents
          FROM attendance.records rec JOIN attendance.rolls ro ON ro.id = rec.roll_id
          WHERE ${where}${extra}
          WINDOW w AS (PARTITION BY ${sql.raw(columns.map((k) => `rec.${k}`).join(', '))} ORDER BY rec.session_date, ro.start_time, rec.id ROWS UNBOUNDED PRECEDING)
        ) y
        WINDOW w AS (PARTITION BY ${sql.raw(columns.map((k) => `y.${k}`).join(', '))} ORDER BY y.session_date, y.start_time, y.id ROWS UNBOUNDED PRECEDING)`;
      const run = sql`coalesce(max(x.absents - x.absents_before_run) FILTER (WHERE x.status = 'ABSENT'), 0)::int`;
      return db.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL work_mem = '128MB'`);
        await tx.execute(sql`SET LOCAL jit = off`);
        const perStudent = rowsOf(await tx.execute(sql`
          SELECT x.group_id::text AS "groupId", x.student_id::text AS "studentId",
            count(*)::int AS records,
            (count(*) FILTER (WHERE x.status = 'PRESENT'))::int AS present,
            (count(*) FILTER (WHERE x.status = 'LATE'))::int AS late,
            (count(*) FILTER (WHERE x.status = 'ABSENT'))::int AS absent,
            (count(*) FILTER (WHERE x.status = 'JUSTIFIED'))::int AS justified,
            (count(*) FILTER (WHERE x.status = 'EXCUSED'))::int AS excused,
            (coalesce(sum(x.late_minutes) FILTER (WHERE x.status = 'LATE'), 0))::int AS "lateSum",
            (count(x.late_minutes) FILTER (WHERE x.status = 'LATE'))::int AS "lateWithMinutes",
            ${run} AS "longestRun"
          FROM (${longestRuns(['student_id', 'group_id'])}) x
          GROUP BY x.student_id, x.group_id`));
        const num = (v: unknown) => Number(v ?? 0);
        const byGroup = new Map<string, GroupCountsRow>();
        const groupsOf = new Map<string, number>();
        let longest = 0;
        for (const r of perStudent) {
          const groupId = String(r.groupId);
          const studentId = String(r.studentId);
          groupsOf.set(studentId, (groupsOf.get(studentId) ?? 0) + 1);
          const g = byGroup.get(groupId) ?? { groupId, students: 0, records: 0, present: 0, late: 0, absent: 0, justified: 0, excused: 0, lateSum: 0, lateWithMinutes: 0, longestRun: 0 };
          g.students += 1;
          g.records += num(r.records);
          g.present += num(r.present);
          g.late += num(r.late);
          g.absent += num(r.absent);
          g.justified += num(r.justified);
          g.excused += num(r.excused);
          g.lateSum += num(r.lateSum);
          g.lateWithMinutes += num(r.lateWithMinutes);
          g.longestRun = Math.max(g.longestRun, num(r.longestRun));
          byGroup.set(groupId, g);
        }
        const moved = [...groupsOf.entries()].filter(([, n]) => n > 1).map(([id]) => id);
        for (const r of perStudent) if ((groupsOf.get(String(r.studentId)) ?? 0) === 1) longest = Math.max(longest, num(r.longestRun));
        for (let i = 0; i < moved.length; i += 1000) {
          const ids = moved.slice(i, i + 1000);
          const [row] = rowsOf(await tx.execute(sql`
            SELECT ${run} AS n FROM (${longestRuns(['student_id'], sql` AND rec.student_id IN (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`)}) x`));
          longest = Math.max(longest, num(row?.n));
        }
        return { byGroup: [...byGroup.values()], longestRun: longest };
      });
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
