/**
 * R33–R37: result blocks of a closed or published period, computed from the anonymous side only. A block
 * is an instructor in a scope (the period, or one (period, ficha) cell); thresholds apply to every role
 * and export alike, so every report and the CSV go through here.
 */
import type { EvalinSettings } from '../domain/config.ts';
import type { QuestionType } from '../domain/questions.ts';
import { addTo, emptyHistogram, histogramStats, percent, round1, strengthsAndAreas, thresholds, type Histogram, type WithheldReason } from '../domain/stats.ts';
import type { Deps } from './context.ts';
import type { PeriodGroupRow, PeriodRow } from './ports.ts';
import type { GroupWorld } from './world.ts';

export interface ResultQuestion {
  id: string;
  position: number;
  text: string;
  category: string;
  questionType: QuestionType;
  options: string[] | null;
}

export interface LikertCount {
  instructorId: string;
  groupId: string;
  questionId: string;
  value: number;
  n: number;
}

export interface ChoiceCount {
  instructorId: string;
  groupId: string;
  questionId: string;
  /** null: the row counts the responses that answered the question. */
  option: string | null;
  n: number;
}

export interface PeriodData {
  period: PeriodRow;
  groups: PeriodGroupRow[];
  world: GroupWorld[];
  questions: ResultQuestion[];
  likert: LikertCount[];
  choices: ChoiceCount[];
  cells: Array<{ instructorId: string; groupId: string; n: number }>;
  textCounts: Array<{ instructorId: string; groupId: string; questionId: string | null; n: number }>;
  settings: EvalinSettings;
  /** The counts by instructor, built once: a report asks for hundreds of blocks over the same rows. */
  index?: Map<string, { likert: LikertCount[]; choices: ChoiceCount[] }>;
}

function countsOf(data: PeriodData, f: { instructorId?: string; groupId?: string }) {
  const inGroup = <T extends { groupId: string }>(rows: T[]) => (f.groupId ? rows.filter((r) => r.groupId === f.groupId) : rows);
  if (!f.instructorId) return { likert: inGroup(data.likert), choices: inGroup(data.choices) };
  if (!data.index) {
    data.index = new Map();
    const slot = (id: string) => {
      let e = data.index!.get(id);
      if (!e) data.index!.set(id, (e = { likert: [], choices: [] }));
      return e;
    };
    for (const r of data.likert) slot(r.instructorId).likert.push(r);
    for (const r of data.choices) slot(r.instructorId).choices.push(r);
  }
  const mine = data.index.get(f.instructorId) ?? { likert: [], choices: [] };
  return { likert: inGroup(mine.likert), choices: inGroup(mine.choices) };
}

export async function loadPeriodData(deps: Deps, period: PeriodRow, groups: PeriodGroupRow[], world: GroupWorld[], settings: EvalinSettings, f: { instructorId?: string; groupId?: string } = {}): Promise<PeriodData> {
  const rows = await deps.repos.questionnaires.questions(period.questionnaireId);
  const questions = rows.map((r) => ({ id: r.question.id, position: r.position, text: r.question.text, category: r.question.category, questionType: r.question.questionType, options: r.question.options }));
  // Aggregated in SQL: a centre-sized period has 300 000 answers but a few thousand (cell, question, value) counts.
  const [likert, choices, cells, textCounts] = await Promise.all([deps.repos.responses.likertCounts(period.id, f), deps.repos.responses.choiceCounts(period.id, f), deps.repos.responses.cellCounts(period.id), deps.repos.responses.textCounts(period.id, f)]);
  return { period, groups, world, questions, likert, choices, cells, textCounts, settings };
}

/** Expected respondents of an instructor in a scope: apprentices of the fichas where they teach (R35). */
export function expectedOf(world: GroupWorld[], instructorId: string, groupId?: string): number {
  return world.filter((g) => (!groupId || g.groupId === groupId) && g.instructorIds.includes(instructorId)).reduce((a, g) => a + g.studentIds.length, 0);
}

export function responsesOf(data: PeriodData, f: { instructorId?: string; groupId?: string }): number {
  return data.cells.filter((c) => (!f.instructorId || c.instructorId === f.instructorId) && (!f.groupId || c.groupId === f.groupId)).reduce((a, c) => a + c.n, 0);
}

/** The instructors of a scope: everyone expected there or with at least one response. */
export function instructorsOf(data: PeriodData, groupId?: string): string[] {
  const ids = new Set<string>();
  for (const g of data.world) if (!groupId || g.groupId === groupId) for (const i of g.instructorIds) if (g.studentIds.length > 0) ids.add(i);
  for (const c of data.cells) if (!groupId || c.groupId === groupId) ids.add(c.instructorId);
  return [...ids];
}

export interface Block {
  response_count: number;
  expected_count: number;
  response_rate: number | null;
  results_shown: boolean;
  withheld_reason: WithheldReason;
  overall_average: number | null;
  median: number | null;
  std_dev: number | null;
  categories: Array<{ category: string; average: number | null; answer_count: number }>;
  strengths: string[];
  improvement_areas: string[];
  questions: Array<{
    question_id: string; position: number; text: string; category: string; question_type: QuestionType; answer_count: number;
    likert: Omit<ReturnType<typeof histogramStats>, 'count'> | null;
    choices: Array<{ option: string; count: number; percent: number | null }> | null;
  }>;
}

/** One block: n responses over `expected`, from the answers and text counts matching `f`. */
export function block(data: PeriodData, f: { instructorId?: string; groupId?: string }, expected: number | null): Block {
  const n = responsesOf(data, f);
  const exp = expected ?? 0;
  const t = thresholds(n, exp, data.settings.min_responses_for_results, data.settings.min_participation_percent_for_average);
  const rate = round1(t.rate);
  const base = { response_count: n, expected_count: exp, response_rate: rate, results_shown: t.shown, withheld_reason: t.reason };
  if (!t.shown) return { ...base, overall_average: null, median: null, std_dev: null, categories: [], strengths: [], improvement_areas: [], questions: [] };
  const match = (a: { instructorId: string; groupId: string }) => (!f.instructorId || a.instructorId === f.instructorId) && (!f.groupId || a.groupId === f.groupId);
  const counts = countsOf(data, f);
  const hist = new Map<string, Histogram>();
  for (const r of counts.likert) {
    let h = hist.get(r.questionId);
    if (!h) hist.set(r.questionId, (h = emptyHistogram()));
    addTo(h, r.value, r.n);
  }
  const chosen = new Map<string, Map<string | null, number>>();
  for (const r of counts.choices) {
    let m = chosen.get(r.questionId);
    if (!m) chosen.set(r.questionId, (m = new Map()));
    m.set(r.option, (m.get(r.option) ?? 0) + r.n);
  }
  const texts = new Map<string, number>();
  for (const c of data.textCounts) if (c.questionId && match(c)) texts.set(c.questionId, (texts.get(c.questionId) ?? 0) + c.n);
  const overall = emptyHistogram();
  const byCategory = new Map<string, Histogram>();
  const questions = data.questions.map((q) => {
    const out: Block['questions'][number] = { question_id: q.id, position: q.position, text: q.text, category: q.category, question_type: q.questionType, answer_count: 0, likert: null, choices: null };
    if (q.questionType === 'likert') {
      const h = hist.get(q.id) ?? emptyHistogram();
      let cat = byCategory.get(q.category);
      if (!cat) byCategory.set(q.category, (cat = emptyHistogram()));
      for (let v = 1; v <= 5; v += 1) {
        overall[v] += h[v];
        cat[v] += h[v];
      }
      const { count, ...stats } = histogramStats(h);
      out.answer_count = count;
      out.likert = stats;
    } else if (q.questionType === 'text') {
      out.answer_count = texts.get(q.id) ?? 0;
    } else {
      const m = chosen.get(q.id) ?? new Map<string | null, number>();
      const answered = m.get(null) ?? 0;
      out.answer_count = answered;
      out.choices = (q.options ?? []).map((option) => {
        const count = m.get(option) ?? 0;
        return { option, count, percent: round1(percent(count, answered)) };
      });
    }
    return out;
  });
  const categories = [...byCategory.entries()].map(([category, h]) => {
    const st = histogramStats(h);
    return { category, average: t.averages ? st.average : null, answer_count: st.count };
  });
  const all = histogramStats(overall);
  const sw = t.averages ? strengthsAndAreas(categories) : { strengths: [], improvement_areas: [] };
  return {
    ...base,
    overall_average: t.averages ? all.average : null,
    median: t.averages ? all.median : null,
    std_dev: t.averages ? all.std_dev : null,
    categories,
    ...sw,
    questions,
  };
}

/** E39/E40's instructor rows with R35's rank. */
export function rankRows<T extends { overall_average: number | null; instructor_name: string }>(rows: T[]): Array<T & { rank: number | null }> {
  const ranked = rows.filter((r) => r.overall_average !== null).sort((a, b) => b.overall_average! - a.overall_average! || a.instructor_name.localeCompare(b.instructor_name));
  const rest = rows.filter((r) => r.overall_average === null).sort((a, b) => a.instructor_name.localeCompare(b.instructor_name));
  return [...ranked.map((r, i) => ({ ...r, rank: i + 1 })), ...rest.map((r) => ({ ...r, rank: null }))];
}

/** R33: a ficha number goes with an answer or comment only when its (instructor, ficha) cell passes. */
export function cellPasses(data: PeriodData, instructorId: string, groupId: string): boolean {
  return responsesOf(data, { instructorId, groupId }) >= data.settings.min_responses_for_results;
}
