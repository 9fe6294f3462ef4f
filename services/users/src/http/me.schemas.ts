/**
 * Schemas of the own-account routes P1–P4.
 */
import { Type } from 'typebox';
import { Nullable, Uuid } from '@sicora/platform/schemas';

export const UpdateMeBody = Type.Object({
  first_name: Type.Optional(Type.String({ maxLength: 200 })),
  last_name: Type.Optional(Type.String({ maxLength: 200 })),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  avatar_url: Type.Optional(Nullable(Type.String({ maxLength: 600 }))),
  email: Type.Optional(Type.String({ maxLength: 300 })),
  current_password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
}, { additionalProperties: false, minProperties: 1 });

export const SessionList = Type.Array(Type.Object({
  id: Type.String(), started_at: Type.String(), last_used_at: Type.String(), expires_at: Type.String(),
  user_agent: Type.String(), ip_masked: Type.String(),
}));

export const SessionParams = Type.Object({ session_id: Uuid });
