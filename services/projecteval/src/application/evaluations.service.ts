/** P56–P62: each panel juror scores each submission of the agenda once: draft → completed → published (R30–R34, O4). */
import type { PageRequest } from '@sicora/platform/pagination';
import { pe } from '../domain/errors.ts';
import { bandFor, evaluationTotal, isValidScore, type Band } from '../domain/grading.ts';
import type { Access } from './access.ts';
import { isApprentice, isCoordination, isInstructor, type Actor, type Deps } from './context.ts';
import { names } from './people.ts';
import type { CriterionRow, EvaluationRow, Repositories } from './ports.ts';
import { evaluationView } from './results.views.ts';
import { recheckResult } from './results.ts';

export interface ScoreInput {
  criterion_id: string;
  score: number | null;
  comment?: string | null;
}

export function createEvaluationsService(deps: Deps, access: Access) {
  const { repos } = deps;

  async function views(rows: EvaluationRow[]) {
    const scores = await repos.evaluations.scores(rows.map((e) => e.id));
    const people = await names(deps, rows.map((e) => e.evaluatorId));
    const criteria = new Map<string, CriterionRow[]>();
    for (const e of rows) if (!criteria.has(e.rubricId)) criteria.set(e.rubricId, await repos.rubrics.criteria(e.rubricId));
    return rows.map((e) => evaluationView(e, scores.get(e.id) ?? [], criteria.get(e.rubricId) ?? [], people.name(e.evaluatorId)));
  }

  /** O4, R36: a draft is its author's only; apprentices see published ones of their team. */
  async function load(actor: Actor, id: string): Promise<EvaluationRow> {
    const e = await repos.evaluations.byId(id);
    if (!e) throw pe.evaluationNotFound();
    if (e.status === 'draft' && !(isInstructor(actor) && e.evaluatorId === actor.sub)) throw pe.evaluationNotFound();
    if (isApprentice(actor)) {
      const teamIds = (await access.scope(actor)) ?? [];
      const s = await repos.submissions.byId(e.submissionId);
      if (e.status !== 'published' || !s || !teamIds.includes(s.teamId)) throw pe.evaluationNotFound();
    }
    return e;
  }

  async function loadOwn(actor: Actor, id: string): Promise<EvaluationRow> {
    const e = await load(actor, id);
    if (e.evaluatorId !== actor.sub) throw pe.forbidden();
    return e;
  }

  /** R31: criteria of the rubric, 0–100 with one decimal. */
  function checkScores(criteria: CriterionRow[], scores: ScoreInput[]) {
    const ids = new Set(criteria.map((c) => c.id));
    for (const s of scores) {
      if (!ids.has(s.criterion_id)) throw pe.unknownCriterion({ criterion_id: s.criterion_id });
      if (s.score !== null && !isValidScore(s.score)) throw pe.invalidScore({ criterion_id: s.criterion_id, score: s.score });
    }
    if (new Set(scores.map((s) => s.criterion_id)).size !== scores.length) throw pe.field('scores', 'duplicate', 'Un criterio aparece dos veces');
  }

  async function writeScores(tx: Repositories, evaluationId: string, scores: ScoreInput[]) {
    await tx.evaluations.removeScores(evaluationId, scores.filter((s) => s.score === null).map((s) => s.criterion_id));
    await tx.evaluations.upsertScores(evaluationId, scores.filter((s) => s.score !== null).map((s) => ({ criterionId: s.criterion_id, score: s.score!, comment: s.comment ?? null })));
  }

  return {
    async list(actor: Actor, q: { submission_id?: string; session_id?: string; evaluator_id?: string; status?: EvaluationRow['status'] }, page: PageRequest) {
      const kind = isApprentice(actor) ? 'apprentice' : isInstructor(actor) ? 'instructor' : 'staff';
      const teamIds = (await access.scope(actor)) ?? [];
      const { rows, total } = await repos.evaluations.list({ submissionId: q.submission_id, sessionId: q.session_id, evaluatorId: q.evaluator_id, status: q.status, visibility: { kind, id: actor.sub, teamIds } }, page.limit, page.offset);
      return { items: await views(rows), total };
    },

    async pending(actor: Actor, evaluatorId?: string) {
      const who = isCoordination(actor) && evaluatorId ? evaluatorId : actor.sub;
      const sessions = (await repos.sessions.sessionsOfJuror(who)).filter((s) => s.status === 'in_progress' || s.status === 'completed');
      const out = [];
      for (const s of sessions) {
        const juror = (await repos.sessions.jurors([s.id])).find((j) => j.instructorId === who);
        if (!juror?.isPanel || juror.status !== 'confirmed') continue;
        const agenda = await repos.sessions.agenda([s.id]);
        const evals = await repos.evaluations.ofSubmissions(agenda.map((a) => a.item.submissionId));
        for (const a of agenda) {
          const e = evals.find((x) => x.submissionId === a.item.submissionId && x.evaluatorId === who);
          if (e && e.status !== 'draft') continue;
          out.push({ session: { id: s.id, title: s.title, starts_at: s.startsAt.toISOString() }, submission: { id: a.item.submissionId, team_name: a.teamName, deliverable_title: a.deliverableTitle }, evaluation_id: e?.id ?? null, status: e ? ('draft' as const) : ('missing' as const) });
        }
      }
      return out;
    },

    async get(actor: Actor, id: string) {
      return (await views([await load(actor, id)]))[0];
    },

    async create(actor: Actor, submissionId: string, body: { session_id: string; scores?: ScoreInput[]; general_comments?: string | null; recommendations?: string | null }) {
      const submission = await repos.submissions.byId(submissionId);
      if (!submission) throw pe.submissionNotFound();
      const session = await repos.sessions.byId(body.session_id);
      if (!session) throw pe.sessionNotFound();
      const juror = (await repos.sessions.jurors([session.id])).find((j) => j.instructorId === actor.sub);
      if (session.status !== 'in_progress' && session.status !== 'completed') {
        if (!juror || juror.status === 'removed' || juror.status === 'declined') throw pe.notPanelJuror();
        throw pe.sessionNotStarted();
      }
      if (!juror?.isPanel || juror.status !== 'confirmed') throw pe.notPanelJuror();
      const agenda = await repos.sessions.agenda([session.id]);
      if (!agenda.some((a) => a.item.submissionId === submission.id)) throw pe.notOnAgenda();
      if (await repos.evaluations.bySubmissionAndEvaluator(submission.id, actor.sub)) throw pe.evaluationExists();
      const deliverable = (await repos.deliverables.byId(submission.deliverableId))!;
      const criteria = await repos.rubrics.criteria(deliverable.rubricId);
      const scores = body.scores ?? [];
      checkScores(criteria, scores);
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        const e = await tx.evaluations.insert({ submissionId: submission.id, sessionId: session.id, evaluatorId: actor.sub, rubricId: deliverable.rubricId, generalComments: body.general_comments ?? null, recommendations: body.recommendations ?? null, createdAt: at, updatedAt: at });
        await writeScores(tx, e.id, scores);
        return e;
      });
      return (await views([row]))[0];
    },

    async update(actor: Actor, id: string, body: { scores?: ScoreInput[]; general_comments?: string | null; recommendations?: string | null }) {
      const e = await loadOwn(actor, id);
      if (e.status !== 'draft') throw pe.invalidState('evaluation', e.status, 'update');
      const criteria = await repos.rubrics.criteria(e.rubricId);
      checkScores(criteria, body.scores ?? []);
      const row = await deps.withTransaction(async (tx) => {
        await writeScores(tx, e.id, body.scores ?? []);
        return tx.evaluations.update(e.id, {
          updatedAt: deps.now(),
          ...(body.general_comments !== undefined ? { generalComments: body.general_comments } : {}),
          ...(body.recommendations !== undefined ? { recommendations: body.recommendations } : {}),
        });
      });
      return (await views([row]))[0];
    },

    async complete(actor: Actor, id: string) {
      const e = await loadOwn(actor, id);
      if (e.status !== 'draft') throw pe.invalidState('evaluation', e.status, 'complete');
      const [criteria, bands, scores] = await Promise.all([repos.rubrics.criteria(e.rubricId), repos.rubrics.bands(e.rubricId), repos.evaluations.scores([e.id])]);
      const total = evaluationTotal(criteria, new Map((scores.get(e.id) ?? []).map((s) => [s.criterionId, s.score])));
      const band = bandFor(bands as Band[], total);
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        const r = await tx.evaluations.update(e.id, { status: 'completed', totalScore: total.toFixed(1), bandCode: band.code, completedAt: at, updatedAt: at });
        await recheckResult(tx, e.submissionId, at);
        return r;
      });
      return (await views([row]))[0];
    },

    async reopen(actor: Actor, id: string) {
      const e = await loadOwn(actor, id);
      if (e.status !== 'completed') throw pe.invalidState('evaluation', e.status, 'reopen');
      const s = await repos.submissions.byId(e.submissionId);
      if (s?.status === 'published') throw pe.invalidState('submission', s.status, 'reopen');
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        const r = await tx.evaluations.update(e.id, { status: 'draft', totalScore: null, bandCode: null, completedAt: null, updatedAt: at });
        await recheckResult(tx, e.submissionId, at);
        return r;
      });
      return (await views([row]))[0];
    },
  };
}

export type EvaluationsService = ReturnType<typeof createEvaluationsService>;
