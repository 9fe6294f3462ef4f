/** Schemas of P34–P44 (deliverables and submissions). */
import { Type } from 'typebox';
import { Nullable, Timestamp, Uuid } from '@sicora/platform/schemas';
import { DELIVERABLE_TYPES, EVALUATION_STATUSES, SUBMISSION_STATUSES } from '../domain/enums.ts';
import { HttpUrl, Instant, NInstant, NString, NUuid, OneOf, PageQuery, SortQuery, Text } from './common.schemas.ts';

export const DeliverableSchema = Type.Object({
  id: Uuid,
  project_id: Uuid,
  title: Type.String(),
  description: NString,
  deliverable_type: OneOf(DELIVERABLE_TYPES),
  due_at: Instant,
  rubric_id: Uuid,
  weight: Type.Integer(),
  created_by: Uuid,
  created_at: Instant,
  updated_at: Instant,
  is_open: Type.Boolean(),
  overdue: Type.Boolean(),
  current_submission: Nullable(Type.Object({ id: Uuid, version: Type.Integer(), status: OneOf(SUBMISSION_STATUSES), final_score: Nullable(Type.Number()), band_label: NString })),
});

export const DeliverableCreateBody = Type.Object(
  {
    title: Text(3, 200),
    deliverable_type: OneOf(DELIVERABLE_TYPES),
    due_at: Timestamp,
    rubric_id: Uuid,
    weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    description: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  },
  { additionalProperties: false },
);
export const DeliverablePatchBody = Type.Object(
  {
    title: Type.Optional(Text(3, 200)),
    description: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
    due_at: Type.Optional(Timestamp),
    rubric_id: Type.Optional(Uuid),
    weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const DeliverableListQuery = Type.Object({ ...PageQuery, sort: SortQuery(['due_at', 'title']) });

export const ScoreSchema = Type.Object({ criterion_id: Uuid, criterion_name: Type.String(), weight: Type.Integer(), score: Type.Number(), comment: NString });
export const EvaluationSchema = Type.Object({
  id: Uuid,
  submission_id: Uuid,
  session_id: Uuid,
  evaluator_id: Uuid,
  evaluator_name: NString,
  rubric_id: Uuid,
  status: OneOf(EVALUATION_STATUSES),
  general_comments: NString,
  recommendations: NString,
  total_score: Nullable(Type.Number()),
  band_code: NString,
  completed_at: NInstant,
  published_at: NInstant,
  created_at: Instant,
  updated_at: Instant,
  scores: Type.Array(ScoreSchema),
});

export const SubmissionSchema = Type.Object({
  id: Uuid,
  deliverable_id: Uuid,
  deliverable_title: NString,
  project_id: Uuid,
  team_id: Uuid,
  team_name: NString,
  version: Type.Integer(),
  status: OneOf(SUBMISSION_STATUSES),
  repository_url: NString,
  deployment_url: NString,
  notes: NString,
  submitted_by: Uuid,
  submitted_at: Instant,
  return_reason: NString,
  returned_by: NUuid,
  returned_at: NInstant,
  final_score: Nullable(Type.Number()),
  band_code: NString,
  band_label: NString,
  is_passing: Nullable(Type.Boolean()),
  score_spread: Nullable(Type.Number()),
  needs_calibration: Nullable(Type.Boolean()),
  published_by: NUuid,
  published_at: NInstant,
  files: Type.Array(Type.Object({ id: Uuid, original_name: Type.String(), mime_type: Type.String(), size_bytes: Type.Integer(), sha256: Type.String() })),
  criterion_averages: Type.Array(Type.Object({ criterion_id: Uuid, average: Type.Number() })),
  evaluations: Type.Array(EvaluationSchema),
});

const FileBinary = Type.String({ contentMediaType: 'application/octet-stream', description: '.pdf .doc .docx .odt .txt .md .ppt .pptx .odp .xls .xlsx .ods .csv .sql .zip .png .jpg .jpeg, contenido acorde a la extensión, ≤ 25 MiB' });
export const SubmitFields = {
  repository_url: Type.Optional(HttpUrl()),
  deployment_url: Type.Optional(HttpUrl()),
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
};
/** P39's multipart body (documented; the handler reads the stream). */
export const SubmitUpload = Type.Object({ ...SubmitFields, files: Type.Optional(Type.Array(FileBinary, { maxItems: 5 })) }, { additionalProperties: false });
export const SubmitJson = Type.Object(SubmitFields, { additionalProperties: false });

export const SubmissionListQuery = Type.Object({
  ...PageQuery,
  deliverable_id: Type.Optional(Uuid),
  project_id: Type.Optional(Uuid),
  team_id: Type.Optional(Uuid),
  group_id: Type.Optional(Uuid),
  student_id: Type.Optional(Uuid),
  status: Type.Optional(OneOf(SUBMISSION_STATUSES)),
  include_superseded: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Type.Union([Type.Literal('-submitted_at'), Type.Literal('-published_at')])),
});
export const ReturnBody = Type.Object({ reason: Text(10, 1000) }, { additionalProperties: false });
export { FileBinary };
