/**
 * R39: a critical service `down` for 180 s continuously produces one `gateway.service_down` request to
 * the notification service (through the outbox), and its recovery one `gateway.service_recovered`. The
 * incident start in the idempotency key is the shared row's `status_since`, so every instance derives
 * the same key and admins get one message.
 */
import type { Database } from '@sicora/platform/db';
import { enqueue } from '@sicora/platform/outbox';
import { outbox } from './db/schema.ts';
import type { RegistryRepo } from './registry.repo.ts';

export interface IncidentNotifierDeps {
  database: Database;
  registry: RegistryRepo;
  downAfterMs: number;
  publicBaseUrl: string;
  now?: () => Date;
  onError?: (err: unknown) => void;
}

const PATH = '/api/v1/notifications';

export function createIncidentNotifier(deps: IncidentNotifierDeps) {
  const now = deps.now ?? (() => new Date());
  const open = new Map<string, Date>(); // service → incident start already announced
  let timer: NodeJS.Timeout | undefined;

  async function check(): Promise<void> {
    const rows = await deps.registry.rows();
    const t = now();
    for (const row of rows) {
      if (!row.critical) continue;
      const announced = open.get(row.name);
      if (row.status === 'down' && row.enabled && !announced && t.getTime() - row.statusSince.getTime() >= deps.downAfterMs) {
        const start = row.statusSince;
        await enqueue(deps.database.db, outbox, {
          target: 'notification',
          path: PATH,
          idempotencyKey: `gateway:gateway.service_down:${row.name}:${Math.floor(start.getTime() / 1000)}`,
          body: {
            type: 'gateway.service_down',
            target_roles: ['admin'],
            priority: 'high',
            data: {
              service_name: row.name,
              display_name: row.displayName,
              down_since: start.toISOString(),
              last_error_code: row.lastErrorCode,
              status_page_url: `${deps.publicBaseUrl.replace(/\/+$/, '')}/api/v1/gateway/status/page`,
            },
            entity_type: 'service',
            entity_id: row.name,
            idempotency_key: `gateway:gateway.service_down:${row.name}:${Math.floor(start.getTime() / 1000)}`,
          },
        });
        open.set(row.name, start);
      } else if (row.status === 'up' && announced) {
        const key = `gateway:gateway.service_recovered:${row.name}:${Math.floor(announced.getTime() / 1000)}`;
        await enqueue(deps.database.db, outbox, {
          target: 'notification',
          path: PATH,
          idempotencyKey: key,
          body: {
            type: 'gateway.service_recovered',
            target_roles: ['admin'],
            priority: 'normal',
            data: {
              service_name: row.name,
              display_name: row.displayName,
              down_since: announced.toISOString(),
              recovered_at: row.statusSince.toISOString(),
              down_minutes: Math.round((row.statusSince.getTime() - announced.getTime()) / 60_000),
            },
            entity_type: 'service',
            entity_id: row.name,
            idempotency_key: key,
          },
        });
        open.delete(row.name);
      }
    }
  }

  return {
    check,
    start(intervalMs: number) {
      timer ??= setInterval(() => void check().catch((err) => deps.onError?.(err)), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
