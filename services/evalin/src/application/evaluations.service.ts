/** E30–E38: evaluation by apprentices (R23–R32) and the staff's participation records. */
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@sicora/platform/db-errors';
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import { cleanAnswers, missingRequired, type AnswerQuestion, type CleanAnswer } from '../domain/answers.ts';
import { evalinErrors } from '../domain/errors.ts';
import { daysRemaining, derived } from '../domain/periods.ts';
import { LIKERT_SCALE } from '../domain/questions.ts';
import { containsBlockedTerm } from '../domain/text.ts';
import type { EvalinSettings } from '../domain/config.ts';
import type { ConfigService } from './config.service.ts';
import { createFrozenQuestions, type FrozenQuestion } from './frozen-questions.ts';
import type { Actor, Deps } from './context.ts';
import * as events from './events.ts';
import { nameIn, namesOf } from './people.ts';
import { emit } from './periods.service.ts';
import type { EvaluationRow, EvaluationSortField, GroupInstructor, PeriodRow } from './ports.ts';
import { periodRange } from './world.ts';

export interface AnswerInput {
  question_id: string;
  value?: unknown;
}

type QRow = AnswerQuestion & { position: number; text: string; description: string | null; category: string };

export function createEvaluationsService(deps: Deps, config: ConfigService) {
  const { repos } = deps;

  const isOpen = (p: PeriodRow) => derived(p, deps.now()).is_open;

  /** What answers are validated against (R27–R28): cached once the period proves the questionnaire frozen. */
  const frozen = createFrozenQuestions(async (questionnaireId) =>
    (await repos.questionnaires.questions(questionnaireId)).map((r) => ({ id: r.question.id, position: r.position, questionType: r.question.questionType, options: r.question.options, isRequired: r.question.isRequired })),
  );
  const rulesOf = (p: PeriodRow): Promise<FrozenQuestion[]> => frozen.of(p.questionnaireId, p.status);

  /** R23: the period must target the apprentice's ficha (else 404) and be open (else 409). */
  async function periodFor(periodId: string, actor: Actor, o: { requireOpen?: boolean } = {}) {
    if (!actor.groupId) throw evalinErrors.notEvaluable();
    const p = await repos.periods.get(periodId);
    if (!p || p.status === 'draft') throw evalinErrors.periodNotFound();
    const groups = await repos.periods.groups([periodId]);
    if (!groups.some((g) => g.groupId === actor.groupId)) throw evalinErrors.periodNotFound();
    if (o.requireOpen !== false && !isOpen(p)) throw evalinErrors.periodNotOpen();
    return p;
  }

  /** R24: the instructors of the apprentice's ficha in the period (schedules, cached 5 min). */
  async function instructorsOf(p: PeriodRow, groupId: string): Promise<GroupInstructor[]> {
    const { from, to } = periodRange(p, deps.timeZone);
    return deps.schedules.instructors(groupId, from, to);
  }

  async function evaluable(p: PeriodRow, actor: Actor, instructorId: string) {
    const list = await instructorsOf(p, actor.groupId!);
    const found = list.find((i) => i.instructor_id === instructorId);
    if (!found) throw evalinErrors.notEvaluable();
    return { instructor: found, total: list.length };
  }

  async function questionsOf(p: PeriodRow): Promise<QRow[]> {
    const rows = await repos.questionnaires.questions(p.questionnaireId);
    return rows.map((r) => ({ id: r.question.id, position: r.position, text: r.question.text, description: r.question.description, category: r.question.category, questionType: r.question.questionType, options: r.question.options, isRequired: r.question.isRequired }));
  }

  async function view(e: EvaluationRow, o: { owner?: boolean; questions?: AnswerQuestion[]; period?: PeriodRow; instructorName?: string | null; staff?: boolean; studentName?: string | null } = {}) {
    const period = o.period ?? (await repos.periods.get(e.periodId))!;
    const questions = o.questions ?? (await rulesOf(period));
    const draft = (e.draftAnswers as CleanAnswer[] | null) ?? [];
    const answered = e.status === 'submitted' ? questions.filter((q) => q.isRequired).length : draft.length;
    const instructorName = o.instructorName !== undefined ? o.instructorName : nameIn(await namesOf(deps.users, [e.instructorId]), e.instructorId);
    const out: Record<string, unknown> = {
      id: e.id,
      period_id: e.periodId,
      period_name: period.name,
      instructor_id: e.instructorId,
      instructor_name: instructorName,
      group_id: e.groupId,
      status: e.status,
      submitted_at: toIsoOrNull(e.submittedAt),
      created_at: toIso(e.createdAt),
      updated_at: toIso(e.updatedAt),
      answered_count: answered,
      required_count: questions.filter((q) => q.isRequired).length,
    };
    // Only the owner of a draft reads its answers; submitted answers are never returned (O2).
    if (o.owner && e.status === 'draft') Object.assign(out, { answers: draft, general_comment: e.draftGeneralComment });
    if (o.staff) Object.assign(out, { student_id: e.studentId, student_name: o.studentName ?? null });
    return out;
  }

  /** R29/R38: the anonymous rows of a submission — structured answers, and comments with their status. */
  function anonymousRows(answers: CleanAnswer[], comment: string | null, questions: AnswerQuestion[], settings: EvalinSettings) {
    const byId = new Map(questions.map((q) => [q.id, q]));
    const status = (flagged: boolean) => (settings.comments_require_review || flagged ? 'pending' : 'approved') as 'pending' | 'approved';
    const texts: Array<{ questionId: string | null; text: string; flagged: boolean; status: 'pending' | 'approved' }> = [];
    const structured: Array<{ questionId: string; likertValue: number | null; choiceValues: string[] | null }> = [];
    for (const a of answers) {
      const q = byId.get(a.question_id)!;
      if (q.questionType === 'text') {
        const flagged = containsBlockedTerm(String(a.value), settings.blocked_terms);
        texts.push({ questionId: q.id, text: String(a.value), flagged, status: status(flagged) });
      } else if (q.questionType === 'likert') structured.push({ questionId: q.id, likertValue: a.value as number, choiceValues: null });
      else structured.push({ questionId: q.id, likertValue: null, choiceValues: Array.isArray(a.value) ? a.value : [String(a.value)] });
    }
    if (comment) {
      const flagged = containsBlockedTerm(comment, settings.blocked_terms);
      texts.push({ questionId: null, text: comment, flagged, status: status(flagged) });
    }
    return { structured, texts };
  }

  /** R29 for a draft (E35): the anonymous write, under a row lock on the evaluation, with the event to the apprentice. */
  async function submit(e: EvaluationRow, p: PeriodRow, answers: CleanAnswer[], comment: string | null, questions: AnswerQuestion[], actor: Actor, instructorName: string | null, total: number) {
    const settings = await config.recent();
    const { structured, texts } = anonymousRows(answers, comment, questions, settings);
    return deps.withTransaction(async (tx) => {
      const cur = await tx.evaluations.getForUpdate(e.id);
      if (!cur) throw evalinErrors.evaluationNotFound();
      if (cur.status === 'submitted') throw evalinErrors.alreadySubmitted();
      const period = await tx.periods.get(p.id);
      if (!period || !isOpen(period)) throw evalinErrors.periodNotOpen();
      await tx.responses.insert({ periodId: p.id, instructorId: e.instructorId, groupId: e.groupId, questionnaireId: p.questionnaireId }, structured, texts);
      const now = deps.now();
      const done = await tx.evaluations.update(e.id, { status: 'submitted', submittedAt: now, draftAnswers: null, draftGeneralComment: null, updatedAt: now });
      const submitted = (await tx.evaluations.ofStudent(actor.sub, [p.id])).filter((x) => x.status === 'submitted').length;
      await emit(tx, settings, events.evaluationSubmitted(period, e.id, actor.sub, instructorName ?? '', submitted, total));
      return done;
    });
  }

  const trimComment = (c: string | null | undefined) => {
    const t = (c ?? '').trim();
    if (t.length > 1000) throw evalinErrors.field('general_comment', 'too_long', 'El comentario supera 1000 caracteres');
    return t.length ? t : null;
  };

  async function own(id: string, actor: Actor) {
    const e = await repos.evaluations.get(id);
    if (!e || e.studentId !== actor.sub) throw evalinErrors.evaluationNotFound();
    return e;
  }

  return {
    /** E30. */
    async toEvaluate(actor: Actor, periodId?: string) {
      if (!actor.groupId) return { periods: [] };
      let list = await repos.periods.forGroup(actor.groupId, ['active', 'suspended']);
      if (periodId) list = list.filter((p) => p.id === periodId);
      const mine = await repos.evaluations.ofStudent(actor.sub, list.map((p) => p.id));
      const periods = await Promise.all(
        list.map(async (p) => {
          const instructors = await instructorsOf(p, actor.groupId!);
          const rows = instructors.map((i) => {
            const e = mine.find((x) => x.periodId === p.id && x.instructorId === i.instructor_id);
            return { instructor_id: i.instructor_id, instructor_name: i.full_name, subjects: i.subjects, status: (e?.status ?? 'pending') as 'pending' | 'draft' | 'submitted', evaluation_id: e?.id ?? null, submitted_at: toIsoOrNull(e?.submittedAt) };
          });
          return { period_id: p.id, name: p.name, end_date: toIso(p.endDate), days_remaining: daysRemaining(p.endDate, deps.now()), is_open: isOpen(p), total: rows.length, submitted: rows.filter((r) => r.status === 'submitted').length, instructors: rows };
        }),
      );
      return { periods };
    },
    /** E31 (R25 when no period is given, R31). */
    async forInstructor(instructorId: string, actor: Actor, periodId?: string) {
      let p: PeriodRow;
      if (periodId) {
        p = await periodFor(periodId, actor);
        await evaluable(p, actor, instructorId);
        const e = await repos.evaluations.find(actor.sub, instructorId, p.id);
        if (e?.status === 'submitted') throw evalinErrors.alreadySubmitted();
      } else {
        if (!actor.groupId) throw evalinErrors.notEvaluable();
        const open = (await repos.periods.forGroup(actor.groupId, ['active'])).filter(isOpen);
        if (open.length === 0) throw evalinErrors.periodNotOpen();
        let candidate: PeriodRow | undefined;
        let anyEvaluable = false;
        for (const o of open) {
          const list = await instructorsOf(o, actor.groupId);
          if (!list.some((i) => i.instructor_id === instructorId)) continue;
          anyEvaluable = true;
          const e = await repos.evaluations.find(actor.sub, instructorId, o.id);
          if (e?.status !== 'submitted') {
            candidate = o;
            break;
          }
        }
        if (!anyEvaluable) throw evalinErrors.notEvaluable();
        if (!candidate) throw evalinErrors.alreadySubmitted();
        p = candidate;
      }
      const { instructor } = await evaluable(p, actor, instructorId);
      const questionnaire = (await repos.questionnaires.get(p.questionnaireId))!;
      const questions = await questionsOf(p);
      // R31: expected respondents of the instructor = apprentices of the target fichas where they teach.
      const groups = await repos.periods.groups([p.id]);
      const { from, to } = periodRange(p, deps.timeZone);
      let expected = 0;
      for (const g of groups) {
        const teaches = (await deps.schedules.instructors(g.groupId, from, to)).some((i) => i.instructor_id === instructorId);
        if (teaches) expected += (await deps.schedules.apprentices(g.groupId)).length;
      }
      const e = await repos.evaluations.find(actor.sub, instructorId, p.id);
      return {
        period: { id: p.id, name: p.name, start_date: toIso(p.startDate), end_date: toIso(p.endDate), days_remaining: daysRemaining(p.endDate, deps.now()) },
        instructor: { id: instructorId, name: instructor.full_name },
        questionnaire: { id: questionnaire.q.id, name: questionnaire.q.name, description: questionnaire.q.description },
        questions: questions.map((q) => ({ id: q.id, position: q.position, text: q.text, description: q.description, question_type: q.questionType, category: q.category, options: q.options, is_required: q.isRequired })),
        likert_scale: LIKERT_SCALE,
        small_group_warning: expected <= 5,
        evaluation: e ? { id: e.id, status: e.status, answers: (e.draftAnswers as CleanAnswer[] | null) ?? [], general_comment: e.draftGeneralComment } : null,
      };
    },
    /**
     * E32. The reads are one query (period, R23's ficha, R26's existing evaluation, R29's count) plus the
     * cached R24 instructors, frozen questions and recent settings; a submission is then one statement
     * (submissions repo) that re-checks R23 as it writes.
     */
    async create(input: { period_id: string; instructor_id: string; answers: AnswerInput[]; general_comment?: string | null; submit?: boolean }, actor: Actor) {
      if (!actor.groupId) throw evalinErrors.notEvaluable();
      const ctx = await repos.evaluations.submissionContext(input.period_id, actor.groupId, actor.sub, input.instructor_id);
      if (!ctx || ctx.p.status === 'draft' || !ctx.targets) throw evalinErrors.periodNotFound();
      const p = ctx.p;
      if (!isOpen(p)) throw evalinErrors.periodNotOpen();
      const { instructor, total } = await evaluable(p, actor, input.instructor_id);
      if (ctx.existingId) throw evalinErrors.evaluationExists(ctx.existingId, ctx.existingStatus!);
      const questions = await rulesOf(p);
      const answers = cleanAnswers(input.answers, questions);
      const comment = trimComment(input.general_comment);
      const submitNow = input.submit !== false;
      if (submitNow) {
        const missing = missingRequired(answers, questions);
        if (missing.length) throw evalinErrors.incomplete(missing);
      }
      const now = deps.now();
      const exists = async (err: unknown): Promise<never> => {
        if (isUniqueViolation(err)) {
          const again = await repos.evaluations.find(actor.sub, input.instructor_id, p.id);
          if (again) throw evalinErrors.evaluationExists(again.id, again.status);
        }
        throw err;
      };
      let e: EvaluationRow;
      if (!submitNow) {
        try {
          e = await repos.evaluations.insert({ periodId: p.id, instructorId: input.instructor_id, studentId: actor.sub, groupId: actor.groupId, status: 'draft', draftAnswers: answers, draftGeneralComment: comment, createdAt: now, updatedAt: now });
        } catch (err) {
          return exists(err);
        }
      } else {
        const settings = await config.recent();
        const { structured, texts } = anonymousRows(answers, comment, questions, settings);
        const id = randomUUID();
        // R29: the event's instructor name and counts are read before the write (this one included).
        const event = settings.notifications_enabled ? repos.outbox.entryOf(events.evaluationSubmitted(p, id, actor.sub, instructor.full_name ?? '', ctx.submitted + 1, total)) : null;
        let written: boolean;
        try {
          written = await repos.submissions.insertSubmitted({ id, periodId: p.id, instructorId: input.instructor_id, studentId: actor.sub, groupId: actor.groupId, questionnaireId: p.questionnaireId, at: now, answers: structured, texts, event });
        } catch (err) {
          return exists(err);
        }
        if (!written) throw evalinErrors.periodNotOpen();
        e = { id, periodId: p.id, instructorId: input.instructor_id, studentId: actor.sub, groupId: actor.groupId, status: 'submitted', draftAnswers: null, draftGeneralComment: null, submittedAt: now, createdAt: now, updatedAt: now };
      }
      return { data: await view(e, { owner: true, questions, period: p, instructorName: instructor.full_name }), draft: e.status === 'draft' };
    },
    /** E33. */
    async get(id: string, actor: Actor) {
      const e = await repos.evaluations.get(id);
      if (!e || (actor.role === 'aprendiz' && e.studentId !== actor.sub)) throw evalinErrors.evaluationNotFound();
      if (actor.role === 'aprendiz') return view(e, { owner: true });
      const names = await namesOf(deps.users, [e.instructorId, e.studentId]);
      return view(e, { staff: true, instructorName: nameIn(names, e.instructorId), studentName: nameIn(names, e.studentId) });
    },
    /** E34: replaces the whole draft (autosave). */
    async replace(id: string, input: { answers: AnswerInput[]; general_comment?: string | null }, actor: Actor) {
      const e = await own(id, actor);
      if (e.status === 'submitted') throw evalinErrors.alreadySubmitted();
      const p = await periodFor(e.periodId, actor);
      await evaluable(p, actor, e.instructorId);
      const questions = await rulesOf(p);
      const answers = cleanAnswers(input.answers, questions);
      const updated = await repos.evaluations.update(id, { draftAnswers: answers, draftGeneralComment: trimComment(input.general_comment), updatedAt: deps.now() });
      return view(updated, { owner: true, questions, period: p });
    },
    /** E35. */
    async submitDraft(id: string, actor: Actor) {
      const e = await own(id, actor);
      if (e.status === 'submitted') throw evalinErrors.alreadySubmitted();
      const p = await periodFor(e.periodId, actor);
      const { instructor, total } = await evaluable(p, actor, e.instructorId);
      const questions = await rulesOf(p);
      const answers = cleanAnswers((e.draftAnswers as CleanAnswer[] | null) ?? [], questions);
      const missing = missingRequired(answers, questions);
      if (missing.length) throw evalinErrors.incomplete(missing);
      const done = await submit(e, p, answers, e.draftGeneralComment, questions, actor, instructor.full_name, total);
      return view(done, { owner: true, questions, period: p, instructorName: instructor.full_name });
    },
    /** E36: the owner while the period is open; admin any draft. */
    async discard(id: string, actor: Actor) {
      const e = await repos.evaluations.get(id);
      if (!e || (actor.role === 'aprendiz' && e.studentId !== actor.sub)) throw evalinErrors.evaluationNotFound();
      if (e.status === 'submitted') throw evalinErrors.alreadySubmitted();
      if (actor.role === 'aprendiz') await periodFor(e.periodId, actor);
      await repos.evaluations.remove(id);
    },
    /** E37. */
    async mine(actor: Actor, f: { period_id?: string; status?: 'draft' | 'submitted' }) {
      const periodsAll = actor.groupId ? await repos.periods.forGroup(actor.groupId, ['active', 'suspended', 'closed', 'published']) : [];
      const periods = f.period_id ? periodsAll.filter((p) => p.id === f.period_id) : periodsAll;
      const evaluations = await repos.evaluations.ofStudent(actor.sub, periods.map((p) => p.id));
      const names = await namesOf(deps.users, evaluations.map((e) => e.instructorId));
      const byId = new Map(periods.map((p) => [p.id, p]));
      let totalInstructors = 0;
      for (const p of periods.filter((x) => x.status === 'active' || x.status === 'suspended')) totalInstructors += (await instructorsOf(p, actor.groupId!)).length;
      const live = evaluations.filter((e) => ['active', 'suspended'].includes(byId.get(e.periodId)!.status));
      const submitted = live.filter((e) => e.status === 'submitted').length;
      const draft = live.filter((e) => e.status === 'draft').length;
      return {
        evaluations: evaluations
          .filter((e) => !f.status || e.status === f.status)
          .map((e) => {
            const p = byId.get(e.periodId)!;
            return { id: e.id, period: { id: p.id, name: p.name, end_date: toIso(p.endDate) }, instructor: { id: e.instructorId, name: nameIn(names, e.instructorId) }, status: e.status, submitted_at: toIsoOrNull(e.submittedAt), updated_at: toIso(e.updatedAt) };
          }),
        summary: { total_instructors: totalInstructors, submitted, draft, pending: Math.max(0, totalInstructors - submitted - draft) },
      };
    },
    /** E38. */
    async list(f: { period_id: string; group_id?: string; instructor_id?: string; student_id?: string; status?: 'draft' | 'submitted' }, sort: { field: EvaluationSortField; direction: 'asc' | 'desc' }, limit: number, offset: number) {
      const p = await repos.periods.get(f.period_id);
      if (!p) throw evalinErrors.periodNotFound();
      const { rows, total } = await repos.evaluations.list({ periodId: p.id, groupId: f.group_id, instructorId: f.instructor_id, studentId: f.student_id, status: f.status }, sort, limit, offset);
      const questions = await rulesOf(p);
      const names = await namesOf(deps.users, rows.flatMap((r) => [r.instructorId, r.studentId]));
      return { items: await Promise.all(rows.map((r) => view(r, { staff: true, questions, period: p, instructorName: nameIn(names, r.instructorId), studentName: nameIn(names, r.studentId) }))), total };
    },
  };
}

export type EvaluationsService = ReturnType<typeof createEvaluationsService>;
