/**
 * S1 (gateway.md §4.2): this instance and every service view.
 */
import { Type } from 'typebox';
import { Nullable } from '@sicora/platform/schemas';
import { Instant } from './schema-parts.ts';
import { ServiceView } from './services.schemas.ts';

export const GatewayStatus = Type.Object({
  version: Type.String(),
  instance_id: Type.String(),
  started_at: Instant,
  config_version: Type.Integer(),
  rate_limit_store: Type.Object({ kind: Type.Union([Type.Literal('memory'), Type.Literal('redis')]), healthy: Type.Boolean() }),
  jwks: Type.Object({ kids: Type.Array(Type.String()), fetched_at: Nullable(Instant), stale: Type.Boolean() }),
  revocation_feed: Type.Object({ last_success_at: Nullable(Instant), revoked_jtis: Type.Integer({ minimum: 0 }) }),
  services: Type.Array(ServiceView),
});
