/** P77–P80: project, ficha and centre reports and the grade book CSV (R45–R47, §6). */
import { toIso } from '@sicora/platform/schemas';
import { pe } from '../domain/errors.ts';
import { mean, projectGrade, ratio } from '../domain/grading.ts';
import { deliverableStatus } from '../domain/report.ts';
import { addDays, clampInstant, localDate, localDateTime, quarterBounds, quarterOf, startOfLocalDay } from '../domain/time.ts';
import type { Access } from './access.ts';
import { isInstructor, today, type Actor, type Deps } from './context.ts';
import { names } from './people.ts';
import type { ProjectRow, SubmissionRow, TeamRow } from './ports.ts';

export const GRADES_COLUMNS = ['group_number', 'team_name', 'project_title', 'student_id', 'student_name', 'deliverable_title', 'deliverable_type', 'due_at', 'weight', 'status', 'version', 'final_score', 'band_code', 'band_label', 'passing', 'published_at'] as const;

const countBy = <T>(rows: T[], key: (r: T) => string) => rows.reduce<Record<string, number>>((acc, r) => ((acc[key(r)] = (acc[key(r)] ?? 0) + 1), acc), {});

export function createReportsService(deps: Deps, access: Access) {
  const { repos } = deps;

  /** The R45/R47 figures of one project. */
  async function grades(project: ProjectRow) {
    const ds = await repos.deliverables.ofProjects([project.id]);
    const current = await repos.submissions.currentOf(ds.map((d) => d.id));
    const now = deps.now();
    const rows = ds.map((d) => {
      const s = current.find((x) => x.deliverableId === d.id);
      const published = s?.status === 'published' ? s : undefined;
      return { d, s, published, status: deliverableStatus(s, d.dueAt, now) };
    });
    const results = rows.filter((r) => r.published).map((r) => ({ final_score: Number(r.published!.finalScore), weight: r.d.weight, passing: r.published!.isPassing === true }));
    const complete = ds.length > 0 && results.length === ds.length;
    return { rows, projectGrade: projectGrade(results), complete, passing: complete && results.every((r) => r.passing), overdue: rows.filter((r) => r.status === 'overdue').length, published: results.length };
  }

  /** O3 for reports: the instructor teaches the ficha today. */
  async function requireTeaches(actor: Actor, groupId: string) {
    const group = await deps.schedules.group(groupId);
    if (!group || !group.is_active) throw pe.unknownGroup();
    if (isInstructor(actor)) {
      const teaches = await deps.schedules.teaches(groupId, actor.sub, today(deps));
      if (!teaches) throw pe.forbidden();
    }
    return group;
  }

  async function teamsOf(groupId: string): Promise<TeamRow[]> {
    return (await repos.teams.list({ groupId }, 'name', 'asc', 10_000, 0)).rows;
  }

  return {
    async project(actor: Actor, id: string) {
      const { project, team } = await access.project(actor, id);
      const subs = (await repos.submissions.list({ projectId: project.id, includeSuperseded: true }, 'submitted_at', 10_000, 0)).rows;
      const sessionIds = new Set<string>();
      for (const s of subs) for (const sid of await repos.submissions.activeAgendaSessions(s.id)) sessionIds.add(sid);
      if (isInstructor(actor) && !access.isAdvisor(actor, team)) {
        const jurors = await repos.sessions.jurors([...sessionIds]);
        if (!jurors.some((j) => j.instructorId === actor.sub)) throw pe.forbidden();
      }
      const g = await grades(project);
      const crs = await repos.changeRequests.countsByStatus(project.id);
      const docs = await repos.documents.countsByStatus(project.id);
      const n = (list: Array<{ status: string; n: number }>, s: string) => list.find((x) => x.status === s)?.n ?? 0;
      return {
        project: { id: project.id, title: project.title, status: project.status, project_type: project.projectType, scope_version: project.scopeVersion, start_date: project.startDate, expected_end_date: project.expectedEndDate },
        team: { id: team.id, name: team.name, group_id: team.groupId, group_number: team.groupNumber, advisor_id: team.advisorId, status: team.status },
        deliverables: g.rows.map((r) => ({
          id: r.d.id,
          title: r.d.title,
          due_at: toIso(r.d.dueAt),
          weight: r.d.weight,
          status: r.status,
          version: r.s?.version ?? null,
          final_score: r.published ? Number(r.published.finalScore) : null,
          band_label: r.published?.bandLabel ?? null,
          is_passing: r.published?.isPassing ?? null,
        })),
        project_grade: g.projectGrade,
        grade_complete: g.complete,
        is_passing: g.passing,
        overdue_count: g.overdue,
        sessions_count: sessionIds.size,
        change_requests: Object.fromEntries(['submitted', 'under_review', 'approved', 'rejected', 'withdrawn'].map((s) => [s, n(crs, s)])),
        documents: Object.fromEntries(['draft', 'in_review', 'approved', 'rejected'].map((s) => [s, n(docs, s)])),
        generated_at: deps.now().toISOString(),
      };
    },

    async group(actor: Actor, groupId: string) {
      const group = await requireTeaches(actor, groupId);
      const teams = await teamsOf(groupId);
      const published: SubmissionRow[] = [];
      const out = [];
      for (const t of teams) {
        const project = await repos.projects.byTeam(t.id);
        const ideas = await repos.ideas.ofTeam(t.id);
        const g = project ? await grades(project) : undefined;
        if (g) published.push(...g.rows.filter((r) => r.published).map((r) => r.published!));
        out.push({
          team_id: t.id,
          name: t.name,
          status: t.status,
          member_count: (await repos.teams.openMembers(t.id)).length,
          approved_idea_title: ideas.find((i) => i.status === 'approved')?.title ?? null,
          project_status: project?.status ?? null,
          deliverables_published: g?.published ?? 0,
          deliverables_total: g?.rows.length ?? 0,
          overdue_count: g?.overdue ?? 0,
          project_grade: g?.projectGrade ?? null,
        });
      }
      return {
        group_id: group.id,
        group_number: group.number,
        teams: out,
        average_final_score: mean(published.map((s) => Number(s.finalScore))),
        pass_rate: ratio(published.filter((s) => s.isPassing).length, published.length),
        grade_distribution: countBy(published, (s) => s.bandLabel ?? ''),
        generated_at: deps.now().toISOString(),
      };
    },

    async summary(q: { from?: string; to?: string; group_id?: string }) {
      const bounds = quarterBounds(quarterOf(today(deps)));
      const from = clampInstant(startOfLocalDay(q.from ?? bounds.from, deps.timeZone));
      const to = clampInstant(q.to ? new Date(startOfLocalDay(q.to, deps.timeZone).getTime() + 86_400_000) : startOfLocalDay(bounds.to, deps.timeZone));
      const inRange = (d: Date | null) => d !== null && d >= from && d < to;
      const teams = (await repos.teams.list({ groupId: q.group_id }, 'name', 'asc', 100_000, 0)).rows.filter((t) => inRange(t.createdAt));
      const teamIds = q.group_id ? teams.map((t) => t.id) : undefined;
      const ideas = (await repos.ideas.list({ groupId: q.group_id }, 'created_at', 'asc', 100_000, 0)).rows.filter((i) => inRange(i.createdAt));
      const projects = (await repos.projects.list({ groupId: q.group_id }, 'title', 'asc', 100_000, 0)).rows.filter((p) => inRange(p.createdAt));
      const sessions = (await repos.sessions.list({ from, to, groupId: q.group_id }, 'asc', 100_000, 0)).rows;
      const subs = (await repos.submissions.list({ groupId: q.group_id, status: 'published' }, 'published_at', 100_000, 0)).rows.filter((s) => inRange(s.publishedAt));
      const allProjects = (await repos.projects.list({ groupId: q.group_id, teamIds }, 'title', 'asc', 100_000, 0)).rows;
      const ds = (await repos.deliverables.ofProjects(allProjects.map((p) => p.id))).filter((d) => inRange(d.dueAt));
      const current = await repos.submissions.currentOf(ds.map((d) => d.id));
      const now = deps.now();
      const overdue = ds.filter((d) => deliverableStatus(current.find((s) => s.deliverableId === d.id), d.dueAt, now) === 'overdue').length;
      // Pending work per panel juror in started sessions.
      const pending = new Map<string, number>();
      for (const s of sessions.filter((x) => x.status === 'in_progress' || x.status === 'completed')) {
        const panel = (await repos.sessions.jurors([s.id])).filter((j) => j.isPanel && j.status === 'confirmed');
        const agenda = await repos.sessions.agenda([s.id]);
        const evals = await repos.evaluations.ofSubmissions(agenda.map((a) => a.item.submissionId));
        for (const j of panel) for (const a of agenda) {
          const e = evals.find((x) => x.submissionId === a.item.submissionId && x.evaluatorId === j.instructorId);
          if (!e || e.status === 'draft') pending.set(j.instructorId, (pending.get(j.instructorId) ?? 0) + 1);
        }
      }
      const top = [...pending.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
      const people = await names(deps, top.map(([id]) => id));
      return {
        from: q.from ?? bounds.from,
        to: q.to ?? addDays(bounds.to, -1),
        teams_by_status: countBy(teams, (t) => t.status),
        ideas_by_status: countBy(ideas, (i) => i.status),
        projects_by_status: countBy(projects, (p) => p.status),
        sessions_by_status: countBy(sessions, (s) => s.status),
        submissions_published: subs.length,
        average_final_score: mean(subs.map((s) => Number(s.finalScore))),
        pass_rate: ratio(subs.filter((s) => s.isPassing).length, subs.length),
        grade_distribution: countBy(subs, (s) => s.bandLabel ?? ''),
        overdue_deliverables: overdue,
        pending_evaluations_by_juror: top.map(([id, count]) => ({ instructor_id: id, name: people.name(id), pending: count })),
      };
    },

    /** P80: validated and gathered first, so a refusal stays a JSON envelope. */
    async gradesCsv(actor: Actor, groupId: string) {
      const group = await requireTeaches(actor, groupId);
      const teams = await teamsOf(groupId);
      const memberRows = await repos.teams.members(teams.map((t) => t.id));
      const people = await names(deps, memberRows.map((m) => m.studentId));
      const rows: unknown[][] = [];
      const yes = (b: boolean | null | undefined) => (b === null || b === undefined ? null : b ? 'si' : 'no');
      const sorted = [...teams].sort((a, b) => a.name.localeCompare(b.name, 'es'));
      for (const t of sorted) {
        const project = await repos.projects.byTeam(t.id);
        const members = memberRows.filter((m) => m.teamId === t.id && (t.status === 'closed' || m.leftAt === null));
        const students = [...new Map(members.map((m) => [m.studentId, people.name(m.studentId) ?? ''])).entries()].sort((a, b) => a[1].localeCompare(b[1], 'es'));
        const g = project ? await grades(project) : undefined;
        const dRows = g ? [...g.rows].sort((a, b) => a.d.dueAt.getTime() - b.d.dueAt.getTime()) : [];
        for (const [studentId, studentName] of students) {
          const base = [group.number, t.name, project?.title ?? null, studentId, studentName];
          for (const r of dRows) {
            const p = r.published;
            rows.push([...base, r.d.title, r.d.deliverableType, localDateTime(r.d.dueAt, deps.timeZone), r.d.weight, r.status, r.s?.version ?? null, p ? Number(p.finalScore).toFixed(1) : null, p?.bandCode ?? null, p?.bandLabel ?? null, p ? yes(p.isPassing) : null, p?.publishedAt ? localDate(p.publishedAt, deps.timeZone) : null]);
          }
          rows.push([...base, 'TOTAL PROYECTO', null, null, dRows.reduce((s, r) => s + r.d.weight, 0), g?.complete ? 'complete' : 'incomplete', null, g?.projectGrade === null || g === undefined ? null : g.projectGrade.toFixed(1), null, null, g && g.published > 0 ? yes(g.passing) : null, null]);
        }
      }
      return { filename: `projecteval_notas_${group.number}_${today(deps).replaceAll('-', '')}.csv`, columns: GRADES_COLUMNS, rows };
    },
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;
