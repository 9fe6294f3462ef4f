/**
 * Who is expected in a period (R36, R21): per target ficha its apprentices and the instructors of its
 * schedule entries overlapping the period's dates — from the close-time snapshot when there is one,
 * else live from schedules (which may throw 503). Remote reads only: call it before any transaction.
 */
import { localDateOf } from '@sicora/platform/local-time';
import type { Deps } from './context.ts';
import type { Apprentice, GroupInstructor, PeriodGroupRow, PeriodRow, SnapshotRow } from './ports.ts';

export interface GroupWorld {
  groupId: string;
  groupNumber: string;
  studentIds: string[];
  instructorIds: string[];
  /** Live reads only: names and details for views (snapshot worlds have ids only). */
  apprentices?: Apprentice[];
  instructors?: GroupInstructor[];
}

export const periodRange = (p: PeriodRow, timeZone: string) => ({ from: localDateOf(p.startDate, timeZone), to: localDateOf(p.endDate, timeZone) });

export async function liveGroup(deps: Pick<Deps, 'schedules' | 'timeZone'>, p: PeriodRow, g: { groupId: string; groupNumber: string }): Promise<GroupWorld> {
  const { from, to } = periodRange(p, deps.timeZone);
  const [apprentices, instructors] = await Promise.all([deps.schedules.apprentices(g.groupId), deps.schedules.instructors(g.groupId, from, to)]);
  return { groupId: g.groupId, groupNumber: g.groupNumber, studentIds: apprentices.map((a) => a.id), instructorIds: instructors.map((i) => i.instructor_id), apprentices, instructors };
}

/** Every target ficha's world: snapshots for closed periods that have them, live otherwise. */
export async function periodWorld(deps: Pick<Deps, 'schedules' | 'timeZone' | 'repos'>, p: PeriodRow, groups: PeriodGroupRow[], opts: { live?: boolean } = {}): Promise<GroupWorld[]> {
  const snapshots: SnapshotRow[] = !opts.live && (p.status === 'closed' || p.status === 'published') ? await deps.repos.periods.snapshots(p.id) : [];
  const bySnap = new Map(snapshots.map((s) => [s.groupId, s]));
  return Promise.all(
    groups.map(async (g) => {
      const s = bySnap.get(g.groupId);
      if (s) return { groupId: g.groupId, groupNumber: g.groupNumber, studentIds: s.studentIds, instructorIds: s.instructorIds };
      return liveGroup(deps, p, g);
    }),
  );
}

export interface Participation {
  students_total: number;
  students_participated: number;
  students_completed: number;
  expected: number;
  submitted: number;
  rate: number | null;
  groups: Array<{ group_id: string; group_number: string; students: number; instructors: number; expected: number; submitted: number; rate: number | null; students_participated: number; students_completed: number }>;
}

const pct = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000 + Number.EPSILON) / 10);

/** R36 from the world and the period's participation records. */
export function participationOf(world: GroupWorld[], records: Array<{ studentId: string; instructorId: string; groupId: string; status: string }>): Participation {
  const submittedBy = new Map<string, Set<string>>();
  for (const r of records) {
    if (r.status !== 'submitted') continue;
    const k = `${r.groupId}|${r.studentId}`;
    if (!submittedBy.has(k)) submittedBy.set(k, new Set());
    submittedBy.get(k)!.add(r.instructorId);
  }
  const groups = world.map((g) => {
    const teachers = new Set(g.instructorIds);
    let submitted = 0;
    let participated = 0;
    let completed = 0;
    for (const s of g.studentIds) {
      const done = [...(submittedBy.get(`${g.groupId}|${s}`) ?? [])].filter((i) => teachers.has(i)).length;
      submitted += done;
      if (done > 0) participated += 1;
      if (teachers.size > 0 && done >= teachers.size) completed += 1;
    }
    const expected = g.studentIds.length * g.instructorIds.length;
    return { group_id: g.groupId, group_number: g.groupNumber, students: g.studentIds.length, instructors: g.instructorIds.length, expected, submitted, rate: pct(submitted, expected), students_participated: participated, students_completed: completed };
  });
  const sum = (k: 'students' | 'expected' | 'submitted' | 'students_participated' | 'students_completed') => groups.reduce((a, g) => a + g[k], 0);
  return { students_total: sum('students'), students_participated: sum('students_participated'), students_completed: sum('students_completed'), expected: sum('expected'), submitted: sum('submitted'), rate: pct(sum('submitted'), sum('expected')), groups };
}

/** Per apprentice: instructors still pending (R36), for reminders and pending-apprentice events. */
export function pendingStudents(world: GroupWorld[], records: Array<{ studentId: string; instructorId: string; status: string }>): string[] {
  const done = new Set(records.filter((r) => r.status === 'submitted').map((r) => `${r.studentId}|${r.instructorId}`));
  const out: string[] = [];
  for (const g of world) for (const s of g.studentIds) if (g.instructorIds.some((i) => !done.has(`${s}|${i}`))) out.push(s);
  return [...new Set(out)];
}
