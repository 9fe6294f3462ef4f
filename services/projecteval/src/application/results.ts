/**
 * R34 inside a unit of work: when every panel juror (≥ 2) of the session that heard a submission has a
 * completed evaluation, the submission becomes `evaluated` with its result; otherwise an `evaluated` one
 * returns to `in_evaluation` and loses the result. Published results never change.
 */
import { submissionResult, type Band } from '../domain/grading.ts';
import type { Repositories } from './ports.ts';

export async function recheckResult(tx: Repositories, submissionId: string, at: Date): Promise<void> {
  const s = await tx.submissions.lock(submissionId);
  if (!s || (s.status !== 'in_evaluation' && s.status !== 'evaluated')) return;
  const sessionIds = await tx.submissions.activeAgendaSessions(s.id);
  // One query at a time: a unit of work is one connection (pg refuses a second query while one runs).
  const sessions = [];
  for (const id of sessionIds) {
    const found = await tx.sessions.byId(id);
    if (found && (found.status === 'in_progress' || found.status === 'completed')) sessions.push(found);
  }
  const session = sessions[0];
  const panel = session ? (await tx.sessions.jurors([session.id])).filter((j) => j.isPanel && j.status === 'confirmed').map((j) => j.instructorId) : [];
  const completed = (await tx.evaluations.ofSubmissions([s.id])).filter((e) => e.status === 'completed' && panel.includes(e.evaluatorId));
  const done = panel.length >= 2 && panel.every((p) => completed.some((e) => e.evaluatorId === p));
  if (!done) {
    if (s.status === 'evaluated') {
      await tx.submissions.update(s.id, { status: 'in_evaluation', finalScore: null, bandCode: null, bandLabel: null, isPassing: null, scoreSpread: null, needsCalibration: null, criterionAverages: null, updatedAt: at });
    }
    return;
  }
  const rubricId = completed[0].rubricId;
  const criteria = await tx.rubrics.criteria(rubricId);
  const bands = await tx.rubrics.bands(rubricId);
  const scores = await tx.evaluations.scores(completed.map((e) => e.id));
  const jurors = completed.map((e) => new Map((scores.get(e.id) ?? []).map((x) => [x.criterionId, x.score])));
  const r = submissionResult(criteria, bands as Band[], jurors);
  await tx.submissions.update(s.id, {
    status: 'evaluated',
    finalScore: r.final_score.toFixed(1),
    bandCode: r.band.code,
    bandLabel: r.band.label,
    isPassing: r.band.is_passing,
    scoreSpread: r.score_spread.toFixed(1),
    needsCalibration: r.needs_calibration,
    criterionAverages: r.criterion_averages,
    updatedAt: at,
  });
}
