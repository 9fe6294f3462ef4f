/**
 * S1 (R39–R41): attendance figures over the live records in scope and period, for people (O1/O2) and for
 * the ai service's dropout-risk runs (service token). The figures themselves are domain/summary.ts.
 */
import { attendanceErrors } from '../domain/errors.ts';
import { summarizeRecords } from '../domain/summary.ts';
import { addDays, daysBetween } from '../domain/time.ts';
import type { Access } from './access.ts';
import { today, type Actor, type Deps } from './context.ts';
import { lookupPeople } from './people.ts';
import type { RecordFilter } from './ports.ts';

export interface SummaryQuery {
  student_id?: string;
  apprentice_id?: string;
  group_id?: string;
  instructor_id?: string;
  schedule_id?: string;
  start_date?: string;
  end_date?: string;
}

const MAX_PERIOD_DAYS = 366;
const TOP = 10;

export function createSummaryService(deps: Deps, access: Access) {
  const { repos } = deps;
  return {
    async get(actor: Actor, q: SummaryQuery) {
      let studentId = q.student_id ?? q.apprentice_id;
      if (studentId && q.group_id) throw attendanceErrors.field('group_id', 'exclusive', 'Indique student_id o group_id, no ambos');
      const to = q.end_date ?? (q.start_date ? addDays(q.start_date, 29) : today(deps));
      const from = q.start_date ?? addDays(to, -29);
      if (from > to) throw attendanceErrors.field('end_date', 'before_start', 'end_date no puede ser anterior a start_date');
      if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) throw attendanceErrors.rangeTooLong(MAX_PERIOD_DAYS);
      let instructorId = q.instructor_id;
      const filter: RecordFilter = { from, to, group_id: q.group_id, schedule_id: q.schedule_id };
      if (actor.role === 'aprendiz') {
        if (studentId && studentId !== actor.sub) throw attendanceErrors.outOfScope('student_id');
        if (q.group_id) throw attendanceErrors.outOfScope('group_id');
        studentId = actor.sub;
      }
      if (actor.role === 'instructor') {
        const reach = (await access.reach(actor))!;
        if (q.group_id && !reach.groupIds.includes(q.group_id) && !(await repos.records.taughtBy(actor.sub, { groupId: q.group_id }))) throw attendanceErrors.outOfScope('group_id');
        if (studentId && !(await access.studentInReach(studentId, reach))) throw attendanceErrors.outOfScope('student_id');
        if (q.instructor_id && q.instructor_id !== actor.sub && !q.group_id && !studentId) throw attendanceErrors.outOfScope('instructor_id');
        if (!q.group_id && !studentId && !q.instructor_id) instructorId = actor.sub;
      }
      const warnings: string[] = [];
      if (studentId && actor.role !== 'aprendiz') {
        // R45: without users the check is skipped and the figures come from the records (ai keeps working).
        const people = await lookupPeople(deps.users, [studentId]);
        warnings.push(...people.warnings);
        const person = people.byId.get(studentId);
        if (people.warnings.length === 0 && (!person || person.role !== 'aprendiz' || person.is_deleted)) throw attendanceErrors.studentNotFound();
      }
      const rows = await repos.records.figures({ ...filter, student_id: studentId, instructor_id: instructorId });
      const { current_consecutive_absent, ...figures } = summarizeRecords(rows);
      const base = {
        scope: { student_id: studentId ?? null, group_id: q.group_id ?? null, instructor_id: instructorId ?? null, schedule_id: q.schedule_id ?? null },
        start_date: from,
        end_date: to,
        ...figures,
      };
      if (studentId) {
        const [openAlerts, pending] = await Promise.all([repos.justifications.openAlerts(studentId), repos.justifications.pendingCount(studentId)]);
        return { data: { ...base, current_consecutive_absent, open_alerts: openAlerts, pending_justifications: pending }, warnings };
      }
      if (actor.role === 'service') return { data: base, warnings };
      const byStudent = new Map<string, typeof rows>();
      for (const r of rows) byStudent.set(r.studentId, [...(byStudent.get(r.studentId) ?? []), r]);
      const ranked = [...byStudent.entries()]
        .map(([id, list]) => {
          const f = summarizeRecords(list);
          return { student_id: id, total_absent: f.total_absent, attendance_pct: f.attendance_pct };
        })
        .filter((s) => s.total_absent > 0)
        .sort((a, b) => b.total_absent - a.total_absent || (a.attendance_pct ?? 0) - (b.attendance_pct ?? 0) || a.student_id.localeCompare(b.student_id))
        .slice(0, TOP);
      const people = await lookupPeople(deps.users, ranked.map((s) => s.student_id));
      return { data: { ...base, top_absent_students: ranked.map((s) => ({ ...s, full_name: people.byId.get(s.student_id)?.full_name ?? null })) }, warnings: [...new Set([...warnings, ...people.warnings])] };
    },
  };
}

export type SummaryService = ReturnType<typeof createSummaryService>;
