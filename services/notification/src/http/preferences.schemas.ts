/**
 * Schemas of P1–P3: the effective preferences (channels, categories, quiet hours, digest) and the
 * partial update body.
 */
import { Type } from 'typebox';
import { Nullable, Timestamp, Uuid } from '@sicora/platform/schemas';
import { CATEGORIES } from '../domain/enums.ts';

const Hhmm = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });
const Toggles = Type.Object({ email: Type.Optional(Type.Boolean()), sms: Type.Optional(Type.Boolean()), push: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
const Channels = Type.Object({
  // in_app cannot be turned off: `true` is accepted (and ignored), anything else is refused.
  in_app: Type.Optional(Type.Literal(true)), email: Type.Optional(Type.Boolean()), sms: Type.Optional(Type.Boolean()), push: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const PreferencesSchema = Type.Object({
  locale: Type.String(),
  channels: Type.Object({ in_app: Type.Boolean(), email: Type.Boolean(), sms: Type.Boolean(), push: Type.Boolean() }),
  categories: Type.Record(Type.String(), Type.Object({ email: Type.Boolean(), sms: Type.Boolean(), push: Type.Boolean() })),
  mandatory_types: Type.Array(Type.String()),
  quiet_hours: Type.Object({ enabled: Type.Boolean(), start: Type.String(), end: Type.String(), timezone: Type.String() }),
  digest: Type.String(), digest_hour: Type.Integer(), updated_at: Nullable(Timestamp),
});

export const PreferencesBody = Type.Object({
  locale: Type.Optional(Type.String({ maxLength: 35, pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$' })),
  channels: Type.Optional(Channels),
  categories: Type.Optional(Type.Object(Object.fromEntries(CATEGORIES.map((c) => [c, Type.Optional(Toggles)])), { additionalProperties: false })),
  mandatory_types: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100, description: 'Ignorado si es la lista que muestra P1 (en cualquier orden); otra lista → 422' })),
  quiet_hours: Type.Optional(Type.Object({ enabled: Type.Optional(Type.Boolean()), start: Type.Optional(Hhmm), end: Type.Optional(Hhmm), timezone: Type.Optional(Type.String({ maxLength: 64, description: 'Ignorada si es la zona de la plataforma (SICORA_TIMEZONE, America/Bogota por defecto); otra → 422' })) }, { additionalProperties: false })),
  digest: Type.Optional(Type.Union([Type.Literal('off'), Type.Literal('hourly'), Type.Literal('daily')])),
  digest_hour: Type.Optional(Type.Integer({ minimum: 0, maximum: 23 })),
}, { additionalProperties: false });

export const UserParams = Type.Object({ user_id: Uuid });
