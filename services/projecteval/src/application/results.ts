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
  const sessions = (await Promise.all(sessionIds.map((id) => tx.sessions.byId(id)))).filter((x) => x && (x.status === 'in_progress' || x.status === 'completed'));
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
  const [criteria, bands, scores] = await Promise.all([tx.rubrics.criteria(rubricId), tx.rubrics.bands(rubricId), tx.evaluations.scores(completed.map((e) => e.id))]);
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
