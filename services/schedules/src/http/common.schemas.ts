/** Schema pieces every resource of this service shares (the generic ones come from the platform). */
import { Type, type TSchema } from 'typebox';
import { Envelope } from '@sicora/platform/envelope';
import { Nullable, Uuid } from '@sicora/platform/schemas';
import { DAY_NAMES } from '../domain/calendar.ts';
import { SHIFTS } from '../domain/shifts.ts';

export { SHIFTS };

export const AuditFields = {
  created_by: Nullable(Uuid),
  updated_by: Nullable(Uuid),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
};

/** `{ id, code, name }` of a campus or program shown beside another resource. */
export const Ref = Type.Object({ id: Uuid, code: Type.String(), name: Type.String() });

export const ListEnvelope = <T extends TSchema>(item: T) => Envelope(Type.Array(item));

export const Security = [{ bearer: [] }];

/** A closed set of strings, documented as the enum the server enforces. */
export function OneOf<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v)), options));
}

/**
 * `sort` of a list (00-conventions §3): `field` or `-field` from its allow-list, the first field being the
 * default. The route parses it with `parseSort` over the same list, so the document and the server agree.
 */
export function SortQuery(fields: readonly string[]) {
  return Type.Optional(OneOf(fields.flatMap((f) => [f, `-${f}`]), { description: `Orden: campo o -campo (descendente); por defecto ${fields[0]}` }));
}

/** ISO weekday, 1 = lunes … 7 = domingo. */
export const DayOfWeek = Type.Integer({ minimum: 1, maximum: 7 });

/** A whole hour as entries take it (R8: `HH:00` or `H:00`, 00–24). */
export const WholeHour = Type.String({ pattern: '^([01]?[0-9]|2[0-4]):00$', description: 'Hora local en punto, HH:00 (Bogotá)' });

/** A time of day as responses give it. */
export const ClockTime = Type.String({ pattern: '^\\d{2}:\\d{2}$', description: 'Hora local HH:MM (Bogotá)' });

export const ShiftSchema = OneOf(SHIFTS);
export const VENUE_TYPES = ['AULA', 'LABORATORIO', 'TALLER', 'AUDITORIO', 'BIBLIOTECA'] as const;
export const PROGRAM_LEVELS = ['TECNICO', 'TECNOLOGO', 'ESPECIALIZACION', 'COMPLEMENTARIO', 'CURSO_CORTO'] as const;
export const ENTRY_STATUSES = ['ACTIVE', 'CANCELLED'] as const;
export const PHASES = ['CANCELLED', 'UPCOMING', 'CURRENT', 'FINISHED'] as const;
export const DayName = OneOf(DAY_NAMES);
/** A block id (§3.5). */
export const BlockId = Type.String({ pattern: '^[MTN](LUN|MAR|MIE|JUE|VIE|SAB)([1-9]|1[0-2])$' });
