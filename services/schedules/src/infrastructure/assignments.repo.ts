/** Instructor assignment queries and the per-ficha instructor sources of R21 (G8, G9): plain rows out. */
import { and, eq, gte, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { groupAssignments, groups, scheduleEntries, sessionExceptions } from './db/schema.ts';
import { chunks, effectiveEnd } from './db/helpers.ts';
import { rowsOf } from './db/raw.ts';

export type AssignmentRow = typeof groupAssignments.$inferSelect;
export type AssignmentInsert = typeof groupAssignments.$inferInsert;

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
    async get(groupId: string, id: string): Promise<AssignmentRow | undefined> {
      const [row] = await db.select().from(groupAssignments).where(and(eq(groupAssignments.groupId, groupId), eq(groupAssignments.id, id)));
      return row;
    },
    /** Assignments of the ficha overlapping [start, end] (open ends run to the ficha's end). */
    async overlapping(groupId: string, groupEnd: string, start: string, end: string, excludeId?: string): Promise<AssignmentRow[]> {
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
        sql`SELECT a.instructor_id FROM ${groupAssignments} a JOIN ${groups} g ON g.id = a.group_id
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
            FROM ${groupAssignments} a JOIN ${groups} g ON g.id = a.group_id
           WHERE a.group_id = ${groupId} AND a.start_date <= ${to}::date AND COALESCE(a.end_date, g.end_date) >= ${from}::date
          UNION ALL
          SELECT ${scheduleEntries.instructorId}, 'schedule', 'instructor', ${scheduleEntries.subject}, ${scheduleEntries.startDate}::text, ${effectiveEnd}::text, NULL,
                 CASE WHEN ${scheduleEntries.status} = 'ACTIVE' THEN (extract(hour from ${scheduleEntries.endTime}) - extract(hour from ${scheduleEntries.startTime}))::int ELSE 0 END
            FROM ${scheduleEntries}
           WHERE ${scheduleEntries.groupId} = ${groupId} AND ${scheduleEntries.startDate} <= ${to}::date AND ${effectiveEnd} >= ${from}::date
          UNION ALL
          SELECT x.instructor_id, 'exception', 'instructor', e.subject, x.date::text, x.date::text, NULL, 0
            FROM ${sessionExceptions} x JOIN ${scheduleEntries} e ON e.id = x.schedule_id
           WHERE e.group_id = ${groupId} AND x.kind = 'CHANGED' AND x.instructor_id IS NOT NULL AND x.date BETWEEN ${from}::date AND ${to}::date
        ) s WHERE true ${who}`,
      );
    },
    async insert(values: AssignmentInsert): Promise<AssignmentRow> {
      const [row] = await db.insert(groupAssignments).values(values).returning();
      return row;
    },
    async insertMany(values: AssignmentInsert[]) {
      for (const chunk of chunks(values)) await db.insert(groupAssignments).values(chunk);
    },
    async update(id: string, values: Partial<AssignmentInsert>): Promise<AssignmentRow> {
      const [row] = await db.update(groupAssignments).set(values).where(eq(groupAssignments.id, id)).returning();
      return row;
    },
    async remove(id: string) {
      await db.delete(groupAssignments).where(eq(groupAssignments.id, id));
    },
    /** R3 on deactivation: assignments starting on or after `today` go; the others end `endDate` (the day before). */
    async closeFrom(groupId: string, today: string, endDate: string, by: string, at: Date) {
      await db.delete(groupAssignments).where(and(eq(groupAssignments.groupId, groupId), gte(groupAssignments.startDate, today)));
      await db
        .update(groupAssignments)
        .set({ endDate, updatedBy: by, updatedAt: at })
        .where(and(eq(groupAssignments.groupId, groupId), or(isNull(groupAssignments.endDate), gte(groupAssignments.endDate, today))));
    },
  };
}

export type AssignmentsRepo = ReturnType<typeof createAssignmentsRepo>;
