/** E39–E46: results and participation reports and the CSV exports (R33–R37, §6.2–6.3). */
import { localDateOf } from '@sicora/platform/local-time';
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import { evalinErrors } from '../domain/errors.ts';
import { RESULT_STATUSES } from '../domain/periods.ts';
import { slugOf } from '../domain/text.ts';
import type { ConfigService } from './config.service.ts';
import type { Actor, Deps } from './context.ts';
import { nameIn, namesOf } from './people.ts';
import type { PeriodsService } from './periods.service.ts';
import type { PeriodGroupRow, PeriodRow } from './ports.ts';
import { block, cellPasses, expectedOf, instructorsOf, loadPeriodData, rankRows, responsesOf, type PeriodData } from './results.ts';
import { participationOf, periodWorld } from './world.ts';

export function createReportsService(deps: Deps, config: ConfigService, periods: PeriodsService) {
  const { repos } = deps;

  async function load(id: string) {
    const p = await repos.periods.get(id);
    if (!p) throw evalinErrors.periodNotFound();
    const groups = await repos.periods.groups([id]);
    return { p, groups };
  }

  async function data(p: PeriodRow, groups: PeriodGroupRow[], f: { instructorId?: string; groupId?: string } = {}): Promise<PeriodData> {
    const world = await periodWorld(deps, p, groups);
    return loadPeriodData(deps, p, groups, world, await config.current(), f);
  }

  const periodHeader = async (p: PeriodRow, actor: Actor) => periods.view(p, actor, { live: null });

  /** E39/E40 share one shape; `groupId` restricts to one ficha (each row is then a cell). */
  async function periodReport(id: string, actor: Actor, groupId?: string) {
    const { p, groups } = await load(id);
    if (groupId && !groups.some((g) => g.groupId === groupId)) throw evalinErrors.groupNotInPeriod();
    const scoped = groupId ? groups.filter((g) => g.groupId === groupId) : groups;
    const world = await periodWorld(deps, p, scoped);
    const participation = participationOf(world, (await repos.evaluations.ofPeriod(p.id)).filter((r) => !groupId || r.groupId === groupId));
    const base = { period: await periodHeader(p, actor), participation, generated_at: toIso(deps.now()) };
    if (!RESULT_STATUSES.includes(p.status)) return { ...base, results_status: 'period_open' as const, results: null };
    const d = await loadPeriodData(deps, p, scoped, world, await config.current(), groupId ? { groupId } : {});
    const whole = block(d, { groupId }, null);
    const ids = instructorsOf(d, groupId);
    const names = await namesOf(deps.users, ids);
    const rows = ids.map((instructorId) => {
      const b = block(d, { instructorId, groupId }, expectedOf(d.world, instructorId, groupId));
      return { instructor_id: instructorId, instructor_name: nameIn(names, instructorId)!, response_count: b.response_count, expected_count: b.expected_count, response_rate: b.response_rate, results_shown: b.results_shown, withheld_reason: b.withheld_reason, overall_average: b.overall_average };
    });
    return {
      ...base,
      results_status: 'available' as const,
      results: {
        response_count: whole.response_count,
        results_shown: whole.results_shown,
        withheld_reason: whole.results_shown ? null : whole.withheld_reason,
        overall_average: whole.overall_average,
        median: whole.median,
        std_dev: whole.std_dev,
        categories: whole.categories,
        questions: whole.questions,
        instructors: rankRows(rows),
      },
    };
  }

  /** O3: instructors read published periods only (their own id is checked by the route). */
  async function instructorScope(periodId: string, actor: Actor) {
    const { p, groups } = await load(periodId);
    if (actor.role === 'instructor' && p.status !== 'published') throw evalinErrors.resultsNotPublished();
    if (!RESULT_STATUSES.includes(p.status)) throw evalinErrors.resultsNotPublished();
    return { p, groups };
  }

  return {
    periodReport: (id: string, actor: Actor) => periodReport(id, actor),
    groupReport: (id: string, groupId: string, actor: Actor) => periodReport(id, actor, groupId),
    /** E41. */
    async instructorReport(periodId: string, instructorId: string, actor: Actor, groupId?: string) {
      const { p, groups } = await instructorScope(periodId, actor);
      if (groupId && !groups.some((g) => g.groupId === groupId)) throw evalinErrors.groupNotInPeriod();
      const d = await data(p, groups);
      const expected = expectedOf(d.world, instructorId, groupId);
      if (expected === 0 && responsesOf(d, { instructorId, groupId }) === 0) throw evalinErrors.instructorNotInPeriod();
      const b = block(d, { instructorId, groupId }, expected);
      const whole = block(d, {}, null);
      const names = await namesOf(deps.users, [instructorId]);
      const approved = b.results_shown && d.settings.enable_qualitative_comments ? (await repos.responses.allComments({ periodId, instructorId, statuses: ['approved'] })).filter((c) => !groupId || c.groupId === groupId).length : 0;
      const g = groupId ? groups.find((x) => x.groupId === groupId)! : null;
      return {
        period: await periodHeader(p, actor),
        instructor: { id: instructorId, name: nameIn(names, instructorId) },
        group: g ? { group_id: g.groupId, group_number: g.groupNumber } : null,
        ...b,
        period_overall_average: whole.results_shown ? whole.overall_average : null,
        approved_comment_count: approved,
        generated_at: toIso(deps.now()),
      };
    },
    /** E42. */
    async instructorComments(periodId: string, instructorId: string, actor: Actor, f: { question_id?: string; status?: 'pending' | 'approved' | 'hidden' }, limit: number, offset: number) {
      const { p, groups } = await instructorScope(periodId, actor);
      const settings = await config.current();
      if (actor.role === 'instructor' && !settings.enable_qualitative_comments) throw evalinErrors.commentsDisabled();
      const d = await data(p, groups, { instructorId });
      const b = block(d, { instructorId }, expectedOf(d.world, instructorId));
      if (!b.results_shown) return { items: [], total: 0 };
      const statuses = actor.role === 'instructor' ? (['approved'] as const) : f.status ? [f.status] : undefined;
      const { rows, total } = await repos.responses.comments({ periodId, instructorId, questionId: f.question_id, statuses: statuses ? [...statuses] : undefined }, limit, offset);
      const texts = new Map(d.questions.map((q) => [q.id, q.text]));
      const numbers = new Map(groups.map((g) => [g.groupId, g.groupNumber]));
      return {
        items: rows.map((c) => ({ id: c.id, question_id: c.questionId, question_text: c.questionId ? (texts.get(c.questionId) ?? null) : 'Comentario general', text: c.text, group_number: cellPasses(d, instructorId, c.groupId) ? (numbers.get(c.groupId) ?? null) : null, status: c.status })),
        total,
      };
    },
    /** E43: newest first, published periods only. */
    async trend(instructorId: string, limit: number) {
      const published = (await repos.periods.byStatus(['published'])).sort((a, b) => b.endDate.getTime() - a.endDate.getTime());
      const out = [];
      for (const p of published) {
        if (out.length >= limit) break;
        const groups = await repos.periods.groups([p.id]);
        const d = await data(p, groups, { instructorId });
        const expected = expectedOf(d.world, instructorId);
        const n = responsesOf(d, { instructorId });
        if (expected === 0 && n === 0) continue;
        const b = block(d, { instructorId }, expected);
        out.push({ period_id: p.id, name: p.name, end_date: toIso(p.endDate), response_count: b.response_count, results_shown: b.results_shown, withheld_reason: b.withheld_reason, overall_average: b.overall_average, categories: b.categories.map((c) => ({ category: c.category, average: c.average })) });
      }
      return out;
    },
    /** E44: per apprentice of the period's fichas (O4 checked by the caller). */
    async participation(periodId: string, f: { group_id?: string; instructor_id?: string; status?: 'pending' | 'partial' | 'complete' }, sort: { field: 'group_number' | 'student_name' | 'percentage'; direction: 'asc' | 'desc' }) {
      const { p, groups } = await load(periodId);
      if (f.group_id && !groups.some((g) => g.groupId === f.group_id)) throw evalinErrors.groupNotInPeriod();
      const scoped = f.group_id ? groups.filter((g) => g.groupId === f.group_id) : groups;
      const world = await periodWorld(deps, p, scoped);
      const records = await repos.evaluations.ofPeriod(p.id);
      const names = await namesOf(deps.users, world.flatMap((w) => w.studentIds));
      const rows = world.flatMap((w) => {
        const instructors = f.instructor_id ? w.instructorIds.filter((i) => i === f.instructor_id) : w.instructorIds;
        return w.studentIds.map((s) => {
          const mine = records.filter((r) => r.studentId === s && instructors.includes(r.instructorId));
          const submitted = mine.filter((r) => r.status === 'submitted');
          const total = instructors.length;
          const pending = total - submitted.length;
          const apprentice = w.apprentices?.find((a) => a.id === s);
          const last = submitted.map((r) => r.submittedAt!).sort((a, b) => b.getTime() - a.getTime())[0];
          return {
            group_id: w.groupId, group_number: w.groupNumber, student_id: s,
            student_name: apprentice?.full_name ?? nameIn(names, s), student_email: apprentice?.email ?? null,
            total_instructors: total, submitted: submitted.length, draft: mine.filter((r) => r.status === 'draft').length, pending,
            percentage: total === 0 ? null : Math.round((submitted.length / total) * 1000) / 10,
            status: (pending === 0 ? 'complete' : submitted.length > 0 ? 'partial' : 'pending') as 'complete' | 'partial' | 'pending',
            last_submitted_at: toIsoOrNull(last),
          };
        });
      });
      const filtered = rows.filter((r) => !f.status || r.status === f.status);
      const dir = sort.direction === 'desc' ? -1 : 1;
      filtered.sort((a, b) => {
        const by = sort.field === 'percentage' ? (a.percentage ?? -1) - (b.percentage ?? -1) : sort.field === 'student_name' ? (a.student_name ?? '').localeCompare(b.student_name ?? '') : a.group_number.localeCompare(b.group_number) || (a.student_name ?? '').localeCompare(b.student_name ?? '');
        return by * dir;
      });
      return filtered;
    },
    /** R22's recipients: instructors with expected respondents or at least one response. */
    async publishTargets(p: PeriodRow) {
      const groups = await repos.periods.groups([p.id]);
      const d = await data(p, groups);
      return instructorsOf(d).map((instructorId) => {
        const b = block(d, { instructorId }, expectedOf(d.world, instructorId));
        return { instructorId, responseCount: b.response_count, shown: b.results_shown };
      });
    },
    /** E45 (§6.2): validated first; the rows are then built in memory (one row per instructor or cell). */
    async summaryCsv(periodId: string, byGroup: boolean) {
      const { p, groups } = await load(periodId);
      if (!RESULT_STATUSES.includes(p.status)) throw evalinErrors.resultsNotAvailable();
      const d = await data(p, groups);
      const categories = [...new Set(d.questions.filter((q) => q.questionType === 'likert').map((q) => q.category))];
      const ids = instructorsOf(d);
      const names = await namesOf(deps.users, ids);
      const cells: Array<{ groupId?: string; groupNumber: string; instructorId: string }> = [];
      if (byGroup) for (const g of groups) for (const i of instructorsOf(d, g.groupId)) cells.push({ groupId: g.groupId, groupNumber: g.groupNumber, instructorId: i });
      else for (const i of ids) cells.push({ groupNumber: 'TODAS', instructorId: i });
      const rows = cells
        .map((c) => {
          const b = block(d, { instructorId: c.instructorId, groupId: c.groupId }, expectedOf(d.world, c.instructorId, c.groupId));
          const avg = new Map(b.categories.map((x) => [x.category, x.average]));
          return [p.name, c.groupNumber, c.instructorId, nameIn(names, c.instructorId), b.response_count, b.expected_count, b.response_rate, b.results_shown ? 'si' : 'no', b.withheld_reason ?? '', b.overall_average, b.median, b.std_dev, ...categories.map((k) => avg.get(k) ?? null)];
        })
        .sort((a, b) => String(a[1]).localeCompare(String(b[1])) || String(a[3]).localeCompare(String(b[3])));
      return { filename: fileName(p, 'resumen', deps), columns: ['period_name', 'group_number', 'instructor_id', 'instructor_name', 'responses', 'expected', 'response_rate', 'results_shown', 'withheld_reason', 'overall_average', 'median', 'std_dev', ...categories.map((c) => `avg_${c}`)], rows };
    },
    /** E46 (§6.3): only blocks that pass R33; comments only approved and when asked. */
    async answersCsv(periodId: string, f: { instructor_id?: string; group_id?: string; include_comments?: boolean }) {
      const { p, groups } = await load(periodId);
      if (!RESULT_STATUSES.includes(p.status)) throw evalinErrors.resultsNotAvailable();
      if (f.group_id && !groups.some((g) => g.groupId === f.group_id)) throw evalinErrors.groupNotInPeriod();
      const d = await data(p, groups);
      const ids = instructorsOf(d).filter((i) => !f.instructor_id || i === f.instructor_id);
      const names = await namesOf(deps.users, ids);
      const numbers = new Map(groups.map((g) => [g.groupId, g.groupNumber]));
      const byId = new Map(d.questions.map((q) => [q.id, q]));
      const passes = (instructorId: string, groupId: string) => (f.group_id ? cellPasses(d, instructorId, groupId) : block(d, { instructorId }, expectedOf(d.world, instructorId)).results_shown);
      const shown = new Set(ids.filter((i) => (f.group_id ? cellPasses(d, i, f.group_id) : passes(i, ''))));
      type Row = { responseId: string; instructorId: string; groupId: string; position: number; question: string | null; value: string };
      const rows: Row[] = [];
      for (const a of await repos.responses.answers(periodId, { instructorId: f.instructor_id, groupId: f.group_id })) {
        if (!shown.has(a.instructorId) || (f.group_id && a.groupId !== f.group_id)) continue;
        const q = byId.get(a.questionId);
        if (!q) continue;
        rows.push({ responseId: a.responseId, instructorId: a.instructorId, groupId: a.groupId, position: q.position, question: q.id, value: a.likert !== null ? String(a.likert) : (a.choices ?? []).join(' | ') });
      }
      if (f.include_comments !== false) {
        for (const c of await repos.responses.allComments({ periodId, statuses: ['approved'] })) {
          if (!shown.has(c.instructorId) || (f.group_id && c.groupId !== f.group_id)) continue;
          const q = c.questionId ? byId.get(c.questionId) : undefined;
          rows.push({ responseId: c.responseId, instructorId: c.instructorId, groupId: c.groupId, position: q ? q.position : Number.MAX_SAFE_INTEGER, question: c.questionId, value: c.text });
        }
      }
      rows.sort((a, b) => nameIn(names, a.instructorId)!.localeCompare(nameIn(names, b.instructorId)!) || a.responseId.localeCompare(b.responseId) || a.position - b.position);
      return {
        filename: fileName(p, 'respuestas', deps),
        columns: ['response_id', 'period_name', 'group_number', 'instructor_id', 'instructor_name', 'question_position', 'question_id', 'category', 'question_type', 'question_text', 'value'],
        rows: rows.map((r) => {
          const q = r.question ? byId.get(r.question) : undefined;
          return [r.responseId, p.name, cellPasses(d, r.instructorId, r.groupId) ? numbers.get(r.groupId) : '', r.instructorId, nameIn(names, r.instructorId), q ? q.position : '', q ? q.id : '', q ? q.category : '', q ? q.questionType : 'general_comment', q ? q.text : 'Comentario general', r.value];
        }),
      };
    },
  };
}

function fileName(p: PeriodRow, kind: string, deps: Pick<Deps, 'now' | 'timeZone'>) {
  return `evalin_${slugOf(p.name)}_${kind}_${localDateOf(deps.now(), deps.timeZone).replace(/-/g, '')}.csv`;
}

export type ReportsService = ReturnType<typeof createReportsService>;
