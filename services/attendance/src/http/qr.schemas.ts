/** TypeBox schemas of Q1/Q2 (§4.1). */
import { Type } from 'typebox';
import { LocalDate, Nullable, Uuid } from '@sicora/platform/schemas';
import { CountsSchema, Instant, OneOf, RecordSchema } from './common.schemas.ts';

export const CodeBody = Type.Object(
  {
    schedule_id: Uuid,
    device_id: Uuid,
    include_png: Type.Optional(Type.Boolean({ description: 'true: la respuesta trae también el código como imagen PNG (png_data_url)' })),
  },
  { additionalProperties: false },
);

export const CodeSchema = Type.Object({
  code: Type.String({ minLength: 49, maxLength: 49 }),
  expires_at: Instant,
  expires_in_seconds: Type.Integer({ minimum: 1 }),
  refresh_after_seconds: Type.Integer({ minimum: 1 }),
  session: Type.Object({ schedule_id: Uuid, session_date: LocalDate, subject: Type.String(), start_time: Type.String(), end_time: Type.String(), group_number: Type.String() }),
  png_data_url: Type.Optional(Type.String({ pattern: '^data:image/png;base64,', description: 'Only with include_png: the code as a 256-pixel PNG' })),
});

export const ScanBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 100 }), schedule_id: Uuid }, { additionalProperties: false });

export const ScanSchema = Type.Object({
  outcome: OneOf(['RECORDED', 'UPDATED', 'ALREADY_RECORDED']),
  replayed: Type.Boolean(),
  record: RecordSchema,
  student: Type.Object({ id: Uuid, full_name: Nullable(Type.String()), avatar_url: Nullable(Type.String()), document_last4: Nullable(Type.String()) }),
  roll: Type.Object({ id: Uuid, status: OneOf(['OPEN', 'CLOSED']), counts: CountsSchema }),
  scan: Type.Object({ scanned_at: Instant, code_age_seconds: Type.Integer({ minimum: 0 }), flags: Type.Array(Type.String()) }),
});
