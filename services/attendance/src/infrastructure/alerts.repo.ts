/**
 * Alert queries (§3.6, R29–R38): the records an evaluation reads (one set-based query for any number of
 * students), the alerts and their notes. Plain rows out; `level` orders by the Postgres enum, i.e. by
 * severity LOW < MEDIUM < HIGH < CRITICAL, never by its text (AL1).
 */
import { and, asc, desc, eq, gte, inArray, isNull, lte, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { countTotal, listPage, withTotal } from '@sicora/platform/list-page';
import { alertNotes, alerts, records, rolls } from './db/schema.ts';

export type AlertRow = typeof alerts.$inferSelect;
export type AlertInsert = typeof alerts.$inferInsert;
export type AlertNoteRow = typeof alertNotes.$inferSelect;
export type AlertSortField = 'level' | 'created_at' | 'updated_at';

export interface AlertFilter {
  states: AlertRow['state'][];
  types?: AlertRow['type'][];
  levels?: AlertRow['level'][];
  student_id?: string;
  group_id?: string;
  /** true: OPEN since `overdueBefore` or earlier (creation or last escalation, R36); false: the rest. */
  overdue?: boolean;
  overdueBefore: Date;
  /** O2: alerts of these fichas, or of students whose records this instructor taught or opened. */
  reach?: { instructorId: string; groupIds: string[] };
}

/** A record as the evaluation reads it (R29). */
export interface WindowRecord {
  studentId: string;
  groupId: string;
  groupNumber: string;
  status: 'PRESENT' | 'LATE' | 'ABSENT' | 'JUSTIFIED' | 'EXCUSED';
  sessionDate: string;
  startTime: string;
  lateMinutes: number | null;
  subject: string;
}

const live = isNull(records.deletedAt);

export function createAlertsRepo(db: Db) {
  const overdueSql = (before: Date) => sql`(${alerts.state} = 'OPEN' AND coalesce(${alerts.escalatedAt}, ${alerts.createdAt}) <= ${before.toISOString()}::timestamptz)`;
  const taught = (instructorId: string) =>
    sql`${alerts.studentId} IN (SELECT ${records.studentId} FROM ${records} JOIN ${rolls} ON ${rolls.id} = ${records.rollId} WHERE ${records.deletedAt} IS NULL AND (${records.instructorId} = ${instructorId} OR ${rolls.openedBy} = ${instructorId}))`;
  const where = (f: AlertFilter) => {
    const c: SQL[] = [inArray(alerts.state, f.states)];
    if (f.types?.length) c.push(inArray(alerts.type, f.types));
    if (f.levels?.length) c.push(inArray(alerts.level, f.levels));
    if (f.student_id) c.push(eq(alerts.studentId, f.student_id));
    if (f.group_id) c.push(eq(alerts.groupId, f.group_id));
    if (f.overdue !== undefined) c.push(f.overdue ? overdueSql(f.overdueBefore) : sql`NOT ${overdueSql(f.overdueBefore)}`);
    if (f.reach) {
      const mine = taught(f.reach.instructorId);
      c.push(f.reach.groupIds.length > 0 ? sql`(${inArray(alerts.groupId, f.reach.groupIds)} OR ${mine})` : mine);
    }
    return and(...c);
  };
  const sortColumn = { level: alerts.level, created_at: alerts.createdAt, updated_at: alerts.updatedAt };

  return {
    async get(id: string): Promise<AlertRow | undefined> {
      const [row] = await db.select().from(alerts).where(eq(alerts.id, id));
      return row;
    },
    async getForUpdate(id: string): Promise<AlertRow | undefined> {
      const [row] = await db.select().from(alerts).where(eq(alerts.id, id)).for('update');
      return row;
    },
    /** Whether the alert is inside an instructor's reach (O2), by ficha or by a roll they taught. */
    async inReach(id: string, reach: { instructorId: string; groupIds: string[] }): Promise<boolean> {
      const [row] = await db.select({ id: alerts.id }).from(alerts).where(and(eq(alerts.id, id), where({ states: ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'], overdueBefore: new Date(0), reach }))).limit(1);
      return row !== undefined;
    },
    async list(f: AlertFilter, sort: Array<{ field: AlertSortField; direction: 'asc' | 'desc' }>, limit: number, offset: number) {
      const counted = db.select({ n: sql<number>`count(*)::int` }).from(alerts).where(where(f));
      const page = db
        .select(withTotal({ row: alerts }, countTotal(counted)))
        .from(alerts)
        .where(where(f))
        .orderBy(...sort.map((s) => (s.direction === 'desc' ? desc(sortColumn[s.field]) : asc(sortColumn[s.field]))), asc(alerts.id))
        .limit(limit)
        .offset(offset);
      const out = await listPage(page, offset, async () => (await counted)[0].n);
      return { rows: out.rows.map((r) => r.row), total: out.total };
    },
    /** AL2: counts by state, level and type (each a GROUPING SETS row), overdue and unseen. */
    async stats(f: AlertFilter) {
      const rows = await db
        .select({
          state: alerts.state,
          level: alerts.level,
          type: alerts.type,
          n: sql<number>`count(*)::int`,
          overdue: sql<number>`(count(*) FILTER (WHERE ${overdueSql(f.overdueBefore)}))::int`,
          unseen: sql<number>`(count(*) FILTER (WHERE ${alerts.studentSeenAt} IS NULL))::int`,
        })
        .from(alerts)
        .where(where(f))
        .groupBy(alerts.state, alerts.level, alerts.type);
      return rows;
    },
    async insert(values: AlertInsert): Promise<AlertRow> {
      const [row] = await db.insert(alerts).values(values).returning();
      return row;
    },
    async update(id: string, values: Partial<AlertInsert>): Promise<AlertRow> {
      const [row] = await db.update(alerts).set(values).where(eq(alerts.id, id)).returning();
      return row;
    },
    async notesOf(alertId: string): Promise<AlertNoteRow[]> {
      return db.select().from(alertNotes).where(eq(alertNotes.alertId, alertId)).orderBy(asc(alertNotes.createdAt), asc(alertNotes.id));
    },
    async insertNote(values: typeof alertNotes.$inferInsert): Promise<AlertNoteRow> {
      const [row] = await db.insert(alertNotes).values(values).returning();
      return row;
    },

    /** R36: OPEN alerts overdue since `before` whose coordinación notice has not been sent. */
    async overdueToNotify(before: Date): Promise<AlertRow[]> {
      return db.select().from(alerts).where(and(overdueSql(before), isNull(alerts.overdueNotifiedAt))).orderBy(asc(alerts.createdAt), asc(alerts.id));
    },
    /** Marks the R36 notice sent; false when another run already did (the notice is then not queued twice). */
    async markOverdueNotified(id: string, at: Date): Promise<boolean> {
      const rows = await db.update(alerts).set({ overdueNotifiedAt: at }).where(and(eq(alerts.id, id), isNull(alerts.overdueNotifiedAt))).returning({ id: alerts.id });
      return rows.length > 0;
    },

    // ── Evaluation (R29–R34) ──────────────────────────────────────────────────────────────────────

    /** Serialises evaluations of one student across replicas until the transaction ends. */
    async lockStudent(studentId: string): Promise<void> {
      await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`attendance.alerts:${studentId}`}, 0))`);
    },
    /** R34: every unresolved alert of a student who left (inactive or deleted), CUSTOM ones included. */
    async resolveAllOf(studentId: string, resolution: 'STUDENT_INACTIVE', at: Date): Promise<number> {
      const rows = await db
        .update(alerts)
        .set({ state: 'RESOLVED', resolution, resolvedAt: at, updatedAt: at })
        .where(and(eq(alerts.studentId, studentId), ne(alerts.state, 'RESOLVED')))
        .returning({ id: alerts.id });
      return rows.length;
    },
    /** The unresolved AUTO alerts of a student, one per type at most (§3.6 unique index). */
    async unresolvedAuto(studentId: string): Promise<AlertRow[]> {
      return db.select().from(alerts).where(and(eq(alerts.studentId, studentId), ne(alerts.state, 'RESOLVED'), eq(alerts.source, 'AUTO')));
    },
    /**
     * `unresolvedAuto` and `lastResolvedAuto` of one student in one statement (the evaluation's re-read
     * under the student's lock): per type, the unresolved alert (at most one, §3.6) and the last resolved.
     */
    async currentAuto(studentId: string): Promise<{ unresolved: AlertRow[]; lastResolved: AlertRow[] }> {
      const rows = await db
        .selectDistinctOn([alerts.type, sql`(${alerts.state} = 'RESOLVED')`])
        .from(alerts)
        .where(and(eq(alerts.studentId, studentId), eq(alerts.source, 'AUTO')))
        .orderBy(alerts.type, sql`(${alerts.state} = 'RESOLVED')`, desc(alerts.resolvedAt), desc(alerts.id));
      return { unresolved: rows.filter((r) => r.state !== 'RESOLVED'), lastResolved: rows.filter((r) => r.state === 'RESOLVED') };
    },
    /**
     * New AUTO alerts of one student in one statement, each only while the student still has no AUTO
     * alert of its type at all (the state the evaluation read before any lock): a row another evaluation
     * wrote meanwhile — committed, or racing on the open-alert unique index — makes that row not inserted,
     * and the caller then redoes the student under its lock. Answers the ids inserted (`id` is required).
     */
    async insertFirstAuto(values: AlertInsert[]): Promise<Set<string>> {
      if (values.length === 0) return new Set();
      const rows = values.map(
        (v) => sql`(${v.id}::uuid, ${v.studentId}::uuid, ${v.groupId}::uuid, ${v.groupNumber}, ${v.type}::attendance.alert_type, ${v.level}::attendance.alert_level, 'OPEN'::attendance.alert_state, 'AUTO'::attendance.alert_source, ${v.title}, ${v.message}, ${JSON.stringify(v.data ?? {})}::jsonb, ${JSON.stringify(v.levelHistory ?? [])}::jsonb, ${(v.createdAt as Date).toISOString()}::timestamptz)`,
      );
      return new Set(
        rowsOf(
          await db.execute(sql`
            INSERT INTO attendance.alerts (id, student_id, group_id, group_number, type, level, state, source, title, message, data, level_history, created_at, updated_at)
            SELECT v.id, v.student_id, v.group_id, v.group_number, v.type, v.level, v.state, v.source, v.title, v.message, v.data, v.level_history, v.created_at, v.created_at
            FROM (VALUES ${sql.join(rows, sql`, `)}) AS v (id, student_id, group_id, group_number, type, level, state, source, title, message, data, level_history, created_at)
            WHERE NOT EXISTS (SELECT 1 FROM attendance.alerts a WHERE a.student_id = v.student_id AND a.type = v.type AND a.source = 'AUTO')
            ON CONFLICT DO NOTHING
            RETURNING id::text AS id`),
        ).map((r) => String(r.id)),
      );
    },
    /** The most recently resolved AUTO alert of each type of a student (R33 suppression). */
    async lastResolvedAuto(studentId: string): Promise<AlertRow[]> {
      return db
        .selectDistinctOn([alerts.type])
        .from(alerts)
        .where(and(eq(alerts.studentId, studentId), eq(alerts.state, 'RESOLVED'), eq(alerts.source, 'AUTO')))
        .orderBy(alerts.type, desc(alerts.resolvedAt), desc(alerts.id));
    },
    /**
     * `unresolvedAuto` and `lastResolvedAuto` of many students in two queries: the evaluation's read to
     * decide which students need a write at all (the writes re-read under the student's lock).
     */
    async autoAlertsOf(studentIds: string[]): Promise<{ unresolved: AlertRow[]; lastResolved: AlertRow[] }> {
      const unresolved: AlertRow[] = [];
      const lastResolved: AlertRow[] = [];
      for (let i = 0; i < studentIds.length; i += 5000) {
        const ids = studentIds.slice(i, i + 5000);
        unresolved.push(...(await db.select().from(alerts).where(and(inArray(alerts.studentId, ids), ne(alerts.state, 'RESOLVED'), eq(alerts.source, 'AUTO')))));
        lastResolved.push(
          ...(await db
            .selectDistinctOn([alerts.studentId, alerts.type])
            .from(alerts)
            .where(and(inArray(alerts.studentId, ids), eq(alerts.state, 'RESOLVED'), eq(alerts.source, 'AUTO')))
            .orderBy(alerts.studentId, alerts.type, desc(alerts.resolvedAt), desc(alerts.id))),
        );
      }
      return { unresolved, lastResolved };
    },
    /**
     * Live records in [from, to] of the given students, or of every student when `studentIds` is
     * undefined (full runs): one query, ordered by (student, session_date, start_time).
     */
    async windowRecords(from: string, to: string, scope: { studentIds?: string[]; groupId?: string }): Promise<WindowRecord[]> {
      const c: SQL[] = [live, gte(records.sessionDate, from), lte(records.sessionDate, to)];
      if (scope.studentIds) c.push(inArray(records.studentId, scope.studentIds.length ? scope.studentIds : ['00000000-0000-0000-0000-000000000000']));
      if (scope.groupId) c.push(eq(records.groupId, scope.groupId));
      return db
        .select({
          studentId: records.studentId,
          groupId: records.groupId,
          groupNumber: rolls.groupNumber,
          status: records.status,
          sessionDate: records.sessionDate,
          startTime: rolls.startTime,
          lateMinutes: records.lateMinutes,
          subject: rolls.subject,
        })
        .from(records)
        .innerJoin(rolls, eq(rolls.id, records.rollId))
        .where(and(...c))
        .orderBy(records.studentId, records.sessionDate, rolls.startTime);
    },
    /** Students with an unresolved AUTO alert (so alerts whose records left W are cleared, R34). */
    async studentsWithUnresolvedAuto(scope: { studentIds?: string[]; groupId?: string }): Promise<string[]> {
      const c: SQL[] = [ne(alerts.state, 'RESOLVED'), eq(alerts.source, 'AUTO')];
      if (scope.studentIds) c.push(inArray(alerts.studentId, scope.studentIds.length ? scope.studentIds : ['00000000-0000-0000-0000-000000000000']));
      if (scope.groupId) c.push(eq(alerts.groupId, scope.groupId));
      const rows = await db.selectDistinct({ id: alerts.studentId }).from(alerts).where(and(...c));
      return rows.map((r) => r.id);
    },
  };
}

/** node-postgres hands back `{ rows }`, PGlite's drizzle driver the rows themselves. */
function rowsOf(result: unknown): Array<Record<string, unknown>> {
  return ((result as { rows?: unknown[] }).rows ?? (result as unknown[])) as Array<Record<string, unknown>>;
}

export type AlertsRepo = ReturnType<typeof createAlertsRepo>;
