/** TypeBox schemas of J1–J9 (§4.3, JustificationView of §4.6). */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { LocalDate, Nullable, Uuid } from '@sicora/platform/schemas';
import { Instant, Link, OneOf, PeriodQuery, RECORD_STATUSES, SortQuery } from './common.schemas.ts';

export const JUSTIFICATION_TYPES = ['MEDICAL', 'FAMILY', 'PERSONAL', 'WORK', 'INSTITUTIONAL', 'OTHER'] as const;
export const JUSTIFICATION_KINDS = ['AFTER_ABSENCE', 'ADVANCE_NOTICE'] as const;
export const JUSTIFICATION_STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;
export const JUSTIFICATION_SORT = ['submitted_at', 'deadline_at'] as const;

const statusList = `(${JUSTIFICATION_STATUSES.join('|')})`;

export const JustificationListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Type.String({ pattern: `^${statusList}(,${statusList}){0,2}$`, description: 'Lista separada por comas' })),
    kind: Type.Optional(OneOf(JUSTIFICATION_KINDS)),
    type: Type.Optional(OneOf(JUSTIFICATION_TYPES)),
    student_id: Type.Optional(Uuid),
    group_id: Type.Optional(Uuid),
    overdue: Type.Optional(Type.Boolean()),
    ...PeriodQuery,
    sort: SortQuery(JUSTIFICATION_SORT, 'Por defecto -submitted_at'),
  },
  { additionalProperties: false, description: 'Periodo sobre submitted_at; por defecto los últimos 30 días (R41)' },
);

export const JustificationParams = Type.Object({ justification_id: Uuid });
export const FileParams = Type.Object({ justification_id: Uuid, file_id: Uuid });

export const JustificationPatchBody = Type.Object(
  {
    type: Type.Optional(OneOf(JUSTIFICATION_TYPES)),
    reason: Type.Optional(Type.String({ minLength: 10, maxLength: 1000, pattern: '^[^\\u0000]*$', description: '10–1000 caracteres, sin espacios al inicio o al final' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ReviewBody = Type.Object(
  {
    decision: OneOf(['APPROVED', 'REJECTED'] as const),
    comment: Type.Optional(Type.String({ maxLength: 1000, pattern: '^[^\\u0000]*$', description: '10–1000 caracteres; obligatorio al rechazar (422 REVIEW_COMMENT_REQUIRED)' })),
  },
  { additionalProperties: false },
);

const FileBinary = Type.String({ contentMediaType: 'application/octet-stream', description: 'PDF, JPEG o PNG (por sus primeros bytes), hasta 5 MiB' });

/** J1's documented multipart body (Fastify cannot validate a streamed body: the handler reads it). */
export const SubmitUpload = Type.Object(
  {
    sessions: Type.String({ description: 'JSON: [{schedule_id, session_date}], 1–10 clases distintas' }),
    type: OneOf(JUSTIFICATION_TYPES),
    reason: Type.String({ minLength: 10, maxLength: 1000 }),
    files: Type.Array(FileBinary, { minItems: 1, maxItems: 3 }),
  },
  { additionalProperties: false },
);

/** J6's documented multipart body. */
export const FilesUpload = Type.Object({ files: Type.Array(FileBinary, { minItems: 1, maxItems: 3 }) }, { additionalProperties: false });

export const JustificationSchema = Type.Object({
  id: Uuid,
  student_id: Uuid,
  group_id: Uuid,
  kind: OneOf(JUSTIFICATION_KINDS),
  type: OneOf(JUSTIFICATION_TYPES),
  reason: Type.String(),
  status: OneOf(JUSTIFICATION_STATUSES),
  submitted_at: Instant,
  deadline_at: Nullable(Instant),
  reviewed_by: Nullable(Uuid),
  reviewed_at: Nullable(Instant),
  review_comment: Nullable(Type.String()),
  overdue_notified_at: Nullable(Instant),
  created_at: Instant,
  updated_at: Instant,
  student_name: Nullable(Type.String()),
  group_number: Nullable(Type.String()),
  reviewer_name: Nullable(Type.String()),
  overdue: Type.Boolean(),
  items: Type.Array(
    Type.Object({
      schedule_id: Uuid,
      session_date: LocalDate,
      subject: Type.String(),
      start_time: Type.String(),
      end_time: Type.String(),
      instructor_id: Uuid,
      instructor_name: Nullable(Type.String()),
      record_id: Nullable(Uuid),
      record_status: Nullable(OneOf(RECORD_STATUSES)),
      applied: Type.Boolean(),
    }),
  ),
  files: Type.Array(
    Type.Object({
      id: Uuid,
      file_name: Type.String(),
      media_type: OneOf(['application/pdf', 'image/jpeg', 'image/png'] as const),
      size_bytes: Type.Integer({ minimum: 1 }),
      sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
      uploaded_at: Instant,
      purged: Type.Boolean(),
      download_url: Type.String(),
    }),
  ),
  records_updated: Type.Optional(Type.Integer({ minimum: 0 })),
  links: Type.Optional(Type.Record(Type.String(), Link)),
});
