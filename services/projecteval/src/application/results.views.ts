/** The API shapes of submissions, evaluations and their results (R34, R36). */
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import type { CriterionRow, EvaluationRow, ScoreRow, StoredFileRow, SubmissionRow } from './ports.ts';

const num = (v: string | null) => (v === null ? null : Number(v));

export function evaluationView(e: EvaluationRow, scores: ScoreRow[], criteria: CriterionRow[], evaluatorName: string | null) {
  return {
    id: e.id,
    submission_id: e.submissionId,
    session_id: e.sessionId,
    evaluator_id: e.evaluatorId,
    evaluator_name: evaluatorName,
    rubric_id: e.rubricId,
    status: e.status,
    general_comments: e.generalComments,
    recommendations: e.recommendations,
    total_score: num(e.totalScore),
    band_code: e.bandCode,
    completed_at: toIsoOrNull(e.completedAt),
    published_at: toIsoOrNull(e.publishedAt),
    created_at: toIso(e.createdAt),
    updated_at: toIso(e.updatedAt),
    scores: criteria
      .filter((c) => scores.some((s) => s.criterionId === c.id))
      .map((c) => {
        const s = scores.find((x) => x.criterionId === c.id)!;
        return { criterion_id: c.id, criterion_name: c.name, weight: c.weight, score: s.score, comment: s.comment };
      }),
  };
}

export type EvaluationView = ReturnType<typeof evaluationView>;

export interface SubmissionExtras {
  files: Array<{ link: { id: string; originalName: string }; file: StoredFileRow }>;
  /** false: the result, scores and comments are withheld (R36). */
  showResult: boolean;
  evaluations?: EvaluationView[];
  teamName?: string;
  deliverableTitle?: string;
}

export function submissionView(s: SubmissionRow, x: SubmissionExtras) {
  const show = x.showResult;
  return {
    id: s.id,
    deliverable_id: s.deliverableId,
    deliverable_title: x.deliverableTitle ?? null,
    project_id: s.projectId,
    team_id: s.teamId,
    team_name: x.teamName ?? null,
    version: s.version,
    status: s.status,
    repository_url: s.repositoryUrl,
    deployment_url: s.deploymentUrl,
    notes: s.notes,
    submitted_by: s.submittedBy,
    submitted_at: toIso(s.submittedAt),
    return_reason: s.returnReason,
    returned_by: s.returnedBy,
    returned_at: toIsoOrNull(s.returnedAt),
    final_score: show ? num(s.finalScore) : null,
    band_code: show ? s.bandCode : null,
    band_label: show ? s.bandLabel : null,
    is_passing: show ? s.isPassing : null,
    score_spread: show ? num(s.scoreSpread) : null,
    needs_calibration: show ? s.needsCalibration : null,
    published_by: s.publishedBy,
    published_at: toIsoOrNull(s.publishedAt),
    files: x.files.map((f) => ({ id: f.link.id, original_name: f.link.originalName, mime_type: f.file.mimeType, size_bytes: f.file.sizeBytes, sha256: f.file.sha256 })),
    criterion_averages: show ? (s.criterionAverages ?? []) : [],
    evaluations: show ? (x.evaluations ?? []) : [],
  };
}
