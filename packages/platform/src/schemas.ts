/**
 * TypeBox pieces every service's `<resource>.schemas.ts` repeats (00-conventions §2, §5): ids, instants,
 * local dates and times, nullable fields. One definition keeps validation and the OpenAPI document alike
 * across services.
 */
import { Type, type TNull, type TSchema, type TSchemaOptions, type TUnion } from 'typebox';

/** `T | null`: a field that is always present and may be null (an optional field is `Type.Optional`). */
export function Nullable<T extends TSchema>(schema: T, options?: TSchemaOptions): TUnion<[T, TNull]> {
  return Type.Union([schema, Type.Null()], options);
}

export const Uuid = Type.String({ format: 'uuid' });

/** The largest value a PostgreSQL `integer` (int4) column holds: the `maximum` of an integer input stored in one. */
export const INT4_MAX = 2_147_483_647;

/**
 * An instant: RFC 3339 with an offset (ISO-8601 UTC on output). The pattern refuses what the date-time
 * format accepts but a PostgreSQL timestamptz cannot hold (leap seconds, offsets past ±15:59), so such
 * input is 422 instead of a database error; four-digit years keep it within 9999.
 */
export const Timestamp = Type.String({
  format: 'date-time',
  pattern: '^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:[0-5]\\d(\\.\\d+)?([Zz]|[+-](0\\d|1[0-5]):[0-5]\\d)$',
});

/** A local calendar date in SICORA_TIMEZONE, kept as a string (never a JS Date). */
export const LocalDate = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Fecha local YYYY-MM-DD (Bogotá)' });

/** A local time of day in SICORA_TIMEZONE, kept as a string. */
export const LocalTime = Type.String({ pattern: '^\\d{1,2}:\\d{2}$', description: 'Hora local HH:MM (Bogotá)' });

/** An e-mail address as input; 254 characters is the longest address SMTP carries. */
export const Email = Type.String({ format: 'email', maxLength: 254 });

/** `/{id}` path parameters. */
export const IdParams = Type.Object({ id: Uuid });

/** The HTTP edge's form of a `timestamptz` column read as a Date (see tables.ts). */
export function toIso(value: Date): string {
  return value.toISOString();
}

export function toIsoOrNull(value: Date | null | undefined): string | null {
  return value ? value.toISOString() : null;
}

/**
 * A success answered in a media type other than JSON (CSV, iCalendar, HTML, an event stream…), documented
 * as what it is: `response: { 200: MediaResponse('Usuarios en CSV', 'text/csv') }`. Fastify sends a string
 * or stream body with a non-JSON content type as is, and the document lists exactly these media types.
 */
export function MediaResponse(description: string, ...mediaTypes: [string, ...string[]]) {
  // Documented as a string; typed as unknown, so a handler may send a string, a Buffer or a stream.
  const body = Type.Unsafe<unknown>({ type: 'string' });
  return { description, content: Object.fromEntries(mediaTypes.map((t) => [t, { schema: body }])) as Record<string, { schema: typeof body }> };
}
