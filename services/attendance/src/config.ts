/**
 * The attendance service's configuration: the platform's shared variables plus its own settings.
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const attendanceSettingsSchema = Type.Object({
  /** Deliver outbox notifications from this process (off where a separate relay runs). */
  ATTENDANCE_OUTBOX_RELAY: Type.Boolean({ default: true }),
  /** R14: the QR signing key (base64, ≥ 32 bytes); unset = a random key kept in `attendance.secrets`. */
  ATTENDANCE_QR_SECRET: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/]{43,}={0,2}$' })),
  /** Proxies whose X-Forwarded-For is believed for the client IP masked into `qr_codes.ip_masked`. */
  TRUST_PROXY: Type.String({ default: '127.0.0.1/32,::1/128' }),
  /** Key prefix of the R20 counters in Redis (REDIS_URL set). */
  ATTENDANCE_RATE_LIMIT_PREFIX: Type.String({ default: 'sicora:attendance', minLength: 1 }),
});

export type AttendanceConfig = ServiceConfig<(typeof attendanceSettingsSchema)['properties']>;

export function loadConfig(env: Env): AttendanceConfig {
  return loadServiceConfig('attendance', attendanceSettingsSchema, env);
}
