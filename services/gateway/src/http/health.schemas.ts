/**
 * Schemas of the platform-wide health report (gateway.md H1, R36).
 */
import { Type } from 'typebox';

const Check = Type.Union([Type.Literal('ok'), Type.Literal('error'), Type.Literal('not_configured')]);

export const HealthReportSchema = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('unhealthy')]),
  checked_at: Type.String({ format: 'date-time' }),
  gateway: Type.Object({
    database: Check,
    redis: Check,
    jwks: Check,
    config_version: Type.Union([Type.Integer(), Type.Null()]),
  }),
  services: Type.Array(
    Type.Object({
      name: Type.String(),
      display_name: Type.String(),
      status: Type.Union([Type.Literal('unknown'), Type.Literal('up'), Type.Literal('down'), Type.Literal('disabled')]),
      critical: Type.Boolean(),
      latency_ms: Type.Union([Type.Integer(), Type.Null()]),
      checked_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      circuit: Type.Union([
        Type.Literal('closed'),
        Type.Literal('half_open'),
        Type.Literal('open'),
        Type.Literal('forced_open'),
        Type.Literal('forced_closed'),
      ]),
    }),
  ),
  summary: Type.Object({ up: Type.Integer(), down: Type.Integer(), disabled: Type.Integer(), total: Type.Integer() }),
});
