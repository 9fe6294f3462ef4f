/** TypeBox schemas of RC1–RC5 (§4.2). */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { Nullable, Uuid } from '@sicora/platform/schemas';
import { Instant, OneOf, PeriodQuery, RECORD_METHODS, RECORD_STATUSES, SortQuery } from './common.schemas.ts';

export const RECORD_SORT = ['session_date', 'start_time', 'status', 'updated_at'] as const;

export const RecordListQuery = Type.Object(
  {
    ...PageQuery,
    student_id: Type.Optional(Uuid),
    apprentice_id: Type.Optional(Uuid),
    group_id: Type.Optional(Uuid),
    schedule_id: Type.Optional(Uuid),
    instructor_id: Type.Optional(Uuid),
    status: Type.Optional(Type.String({ pattern: `^(${RECORD_STATUSES.join('|')})(,(${RECORD_STATUSES.join('|')})){0,4}$`, description: 'Lista separada por comas' })),
    method: Type.Optional(OneOf(RECORD_METHODS)),
    flagged: Type.Optional(Type.Boolean()),
    ...PeriodQuery,
    sort: SortQuery(RECORD_SORT, 'Por defecto -session_date,-start_time'),
  },
  { additionalProperties: false, description: 'Periodo por defecto: los últimos 30 días; como máximo 366 (R41)' },
);

/** RC6: RC1's filters without paging or sort. */
export const RecordExportQuery = Type.Omit(RecordListQuery, ['page', 'page_size', 'sort'], { additionalProperties: false });

export const RecordParams = Type.Object({ record_id: Uuid });

export const RecordPatchBody = Type.Object(
  {
    status: Type.Optional(OneOf(RECORD_STATUSES, { description: 'JUSTIFIED → 422 STATUS_NOT_SETTABLE' })),
    late_minutes: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 600 }))),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    reason: Type.Optional(Type.String({ maxLength: 300, description: '5–300; obligatorio después del cierre (R9, R10)' })),
    expected_version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const DeleteQuery = Type.Object({ reason: Type.String({ minLength: 5, maxLength: 300 }) }, { additionalProperties: false });

export const ChangeSchema = Type.Object({
  id: Uuid,
  at: Instant,
  actor_id: Nullable(Uuid),
  actor_name: Nullable(Type.String()),
  actor_role: Nullable(Type.String()),
  source: OneOf(['MANUAL', 'QR_SCAN', 'ROLL_CLOSE', 'JUSTIFICATION_APPROVED', 'CORRECTION', 'DELETE']),
  from_status: Nullable(OneOf(RECORD_STATUSES)),
  to_status: Nullable(OneOf(RECORD_STATUSES)),
  from_late_minutes: Nullable(Type.Integer()),
  to_late_minutes: Nullable(Type.Integer()),
  notes_changed: Type.Boolean(),
  reason: Nullable(Type.String()),
});
