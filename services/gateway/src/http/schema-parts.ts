/**
 * Pieces the gateway's `*.schemas.ts` share: an enum of literals, instants as output, the version check
 * of every admin write.
 */
import { Type } from 'typebox';
import { INT4_MAX } from '@sicora/platform/schemas';

/**
 * One of `values`, documented as their enum. Typed as `T`: pass `values` widened to `readonly string[]`
 * where the server reads the field as a plain string (a response built from stored text).
 */
export function literals<T extends string>(values: readonly T[], options?: { description?: string; default?: T }) {
  return Type.Unsafe<T>(Type.Union(values.map((v) => Type.Literal(v)), options));
}

/** An instant as the gateway writes it (ISO-8601 UTC). */
export const Instant = Type.String({ format: 'date-time' });

/** `expected_config_version` of every admin write: a stale one is 409 CONFIG_VERSION_CONFLICT. */
export const ExpectedVersion = Type.Integer({ minimum: 1, maximum: INT4_MAX, description: 'Versión de configuración esperada; si cambió → 409 CONFIG_VERSION_CONFLICT' });
