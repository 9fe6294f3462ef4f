/**
 * The service's own counters (§4.7: refreshes and service-token grants are counted, not logged as events).
 */
import { Counter, type Registry } from 'prom-client';

export function createUsersMetrics(registry: Registry) {
  return {
    logins: new Counter({ name: 'users_logins_total', help: 'Login attempts by outcome', labelNames: ['outcome'] as const, registers: [registry] }),
    refreshes: new Counter({ name: 'users_token_refreshes_total', help: 'Refresh-token exchanges by outcome', labelNames: ['outcome'] as const, registers: [registry] }),
    serviceTokens: new Counter({ name: 'users_service_tokens_total', help: 'Service tokens granted by client', labelNames: ['client'] as const, registers: [registry] }),
  };
}

export type UsersMetrics = ReturnType<typeof createUsersMetrics>;
