/**
 * The gateway's configuration: the platform's shared variables (including every `<SERVICE>_URL`) plus
 * its own timing, breaker and probe settings. The timing variables, when set, replace the per-service
 * defaults of gateway.md R29 for every upstream.
 */
import { Type } from 'typebox';
import { loadServiceConfig, type Env, type ServiceConfig } from '@sicora/platform/config';

export const gatewaySettingsSchema = Type.Object({
  GATEWAY_ATTEMPT_TIMEOUT_MS: Type.Optional(Type.Integer({ minimum: 50, maximum: 120_000 })),
  GATEWAY_DEADLINE_MS: Type.Optional(Type.Integer({ minimum: 50, maximum: 300_000 })),
  GATEWAY_MAX_RETRIES: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
  GATEWAY_BREAKER_RESET_MS: Type.Integer({ default: 30_000, minimum: 100, maximum: 600_000 }),
  GATEWAY_BREAKER_VOLUME: Type.Integer({ default: 20, minimum: 1, maximum: 10_000 }),
  GATEWAY_PROBE_INTERVAL_MS: Type.Integer({ default: 10_000, minimum: 50, maximum: 300_000 }),
});

export type GatewayConfig = ServiceConfig<(typeof gatewaySettingsSchema)['properties']>;

export function loadConfig(env: Env): GatewayConfig {
  return loadServiceConfig('gateway', gatewaySettingsSchema, env);
}
