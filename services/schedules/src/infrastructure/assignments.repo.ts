/** Instructor assignment queries and the per-ficha instructor sources of R21 (G8, G9). */
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { groupAssignments } from './db/schema.ts';
import { audit } from './db/helpers.ts';
import { rowsOf } from './db/raw.ts';

export type AssignmentRow = typeof groupAssignments.$inferSelect;

export function assignmentView(r: AssignmentRow) {
  return {
    id: r.id,
    group_id: r.groupId,
    instructor_id: r.instructorId,
    role: r.role,
    subject: r.subject,
    start_date: r.startDate,
    end_date: r.endDate,
    notes: r.notes,
    ...audit(r),
  };
}

export interface InstructorSource {
  instructor_id: string;
  via: 'assignment' | 'schedule' | 'exception';
  role: 'director' | 'instructor';
  subject: string | null;
  first_date: string;
  last_date: string;
  assignment_id: string | null;
  weekly_hours: number;
}

export function createAssignmentsRepo(db: Db) {
  return {
    async get(groupId: string, id: string) {
      const [row] = await db.select().from(groupAssignments).where(and(eq(groupAssignments.groupId, groupId), eq(groupAssignments.id, id)));
      return row;
    },
    /** Assignments of the ficha overlapping [start, end] (open ends run to the ficha's end). */
    async overlapping(groupId: string, groupEnd: string, start: string, end: string, excludeId?: string) {
      return db
        .select()
        .from(groupAssignments)
        .where(
          and(
            eq(groupAssignments.groupId, groupId),
            excludeId ? ne(groupAssignments.id, excludeId) : undefined,
            sql`${groupAssignments.startDate} <= ${end}::date AND COALESCE(${groupAssignments.endDate}, ${groupEnd}::date) >= ${start}::date`,
          ),
        );
    },
    async directorOn(groupId: string, date: string): Promise<string | null> {
      const rows = await rowsOf<{ instructor_id: string }>(
        db,
        sql`SELECT a.instructor_id FROM schedules.group_assignments a JOIN schedules.groups g ON g.id = a.group_id
            WHERE a.group_id = ${groupId} AND a.role = 'director' AND a.start_date <= ${date}::date AND COALESCE(a.end_date, g.end_date) >= ${date}::date
            ORDER BY a.start_date DESC LIMIT 1`,
      );
      return rows[0]?.instructor_id ?? null;
    },
    /** Every R21 source of a ficha overlapping [from, to], optionally for one instructor. */
    async sources(groupId: string, from: string, to: string, instructorId?: string): Promise<InstructorSource[]> {
      const who = instructorId ? sql`AND instructor_id = ${instructorId}` : sql``;
      return rowsOf<InstructorSource>(
        db,
        sql`SELECT * FROM (
          SELECT a.instructor_id, 'assignment' AS via, a.role, a.subject, a.start_date::text AS first_date,
                 COALESCE(a.end_date, g.end_date)::text AS last_date, a.id AS assignment_id, 0 AS weekly_hours
            FROM schedules.group_assignments a JOIN schedules.groups g ON g.id = a.group_id
           WHERE a.group_id = ${groupId} AND a.start_date <= ${to}::date AND COALESCE(a.end_date, g.end_date) >= ${from}::date
          UNION ALL
          SELECT e.instructor_id, 'schedule', 'instructor', e.subject, e.start_date::text,
                 (CASE WHEN e.status = 'CANCELLED' THEN LEAST(e.end_date, e.cancelled_from - 1) ELSE e.end_date END)::text, NULL,
                 CASE WHEN e.status = 'ACTIVE' THEN (extract(hour from e.end_time) - extract(hour from e.start_time))::int ELSE 0 END
            FROM schedules.schedule_entries e
           WHERE e.group_id = ${groupId} AND e.start_date <= ${to}::date
             AND (CASE WHEN e.status = 'CANCELLED' THEN LEAST(e.end_date, e.cancelled_from - 1) ELSE e.end_date END) >= ${from}::date
          UNION ALL
          SELECT x.instructor_id, 'exception', 'instructor', e.subject, x.date::text, x.date::text, NULL, 0
            FROM schedules.session_exceptions x JOIN schedules.schedule_entries e ON e.id = x.schedule_id
           WHERE e.group_id = ${groupId} AND x.kind = 'CHANGED' AND x.instructor_id IS NOT NULL AND x.date BETWEEN ${from}::date AND ${to}::date
        ) s WHERE true ${who}`,
      );
    },
    async insert(values: typeof groupAssignments.$inferInsert) {
      const [row] = await db.insert(groupAssignments).values(values).returning();
      return row;
    },
  };
}
