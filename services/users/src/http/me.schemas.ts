/**
 * Schemas of the own-account routes P1–P4.
 */
import { Type } from 'typebox';
import { Uuid } from '@sicora/platform/schemas';
import { AvatarInput, EmailInput, Name, PhoneInput } from './users.schemas.ts';

export const UpdateMeBody = Type.Object({
  first_name: Type.Optional(Name),
  last_name: Type.Optional(Name),
  phone: Type.Optional(PhoneInput),
  avatar_url: Type.Optional(AvatarInput),
  email: Type.Optional(EmailInput),
  current_password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'Obligatoria cuando cambia `email` (R31)' })),
}, { additionalProperties: false, minProperties: 1 });

export const SessionList = Type.Array(Type.Object({
  id: Type.String(), started_at: Type.String(), last_used_at: Type.String(), expires_at: Type.String(),
  user_agent: Type.String(), ip_masked: Type.String(),
}));

export const SessionParams = Type.Object({ session_id: Uuid });
