/**
 * Schemas of D1–D4: a push device as the API shows it (never the whole token) and the registration body.
 */
import { Type } from 'typebox';
import { Nullable, Timestamp } from '@sicora/platform/schemas';
import { PLATFORMS } from '../domain/enums.ts';

const Platform = Type.Union([Type.Literal(PLATFORMS[0]), Type.Literal(PLATFORMS[1]), Type.Literal(PLATFORMS[2])]);

export const DeviceSchema = Type.Object({
  id: Type.String(), platform: Platform, token_suffix: Type.String(), app_version: Nullable(Type.String()),
  device_name: Nullable(Type.String()), created_at: Timestamp, last_seen_at: Timestamp,
});

const Token = Type.String({ minLength: 1, maxLength: 4096 });

export const RegisterDeviceBody = Type.Object({
  token: Token, platform: Platform,
  app_version: Type.Optional(Type.String({ maxLength: 50 })), device_name: Type.Optional(Type.String({ maxLength: 100 })),
}, { additionalProperties: false });

export const UnregisterBody = Type.Object({ token: Token }, { additionalProperties: false });
