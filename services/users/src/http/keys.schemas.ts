/**
 * Schemas of the keys routes K1–K4.
 */
import { Type } from 'typebox';
import { Nullable, Timestamp } from '@sicora/platform/schemas';

export const Jwk = Type.Object({
  kty: Type.String(), crv: Type.Optional(Type.String()), x: Type.Optional(Type.String()), n: Type.Optional(Type.String()),
  e: Type.Optional(Type.String()), kid: Type.String(), alg: Type.String(), use: Type.Literal('sig'),
});
export const JwksSchema = Type.Object({ keys: Type.Array(Jwk) });

export const KeyRow = Type.Object({
  kid: Type.String(), alg: Type.String(), status: Type.String(), source: Type.String(),
  created_at: Timestamp, retire_at: Nullable(Timestamp),
});

export const KeyList = Type.Array(KeyRow);

export const RotationSchema = Type.Object({ active_kid: Type.String(), retiring_kid: Type.String(), retire_at: Timestamp });

export const RevocationsQuery = Type.Object({ since: Type.String({ format: 'date-time' }) }, { additionalProperties: false });
export const RevocationsSchema = Type.Object({
  revoked_jtis: Type.Array(Type.Object({ jti: Type.String(), expires_at: Type.String() })),
  users: Type.Array(Type.Object({ user_id: Type.String(), tokens_valid_after: Type.String() })),
  until: Type.String(),
});
