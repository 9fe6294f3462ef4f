/**
 * R39: a critical service `down` for 180 s continuously produces one `gateway.service_down` request to
 * the notification service (through the outbox), and its recovery one `gateway.service_recovered`. The
 * incident start in the idempotency key is the shared row's `status_since`, so every instance derives
 * the same key and admins get one message: the check runs on every instance, the outbox keeps one row.
 */
import type { Database } from '@sicora/platform/db';
import type { JobDefinition } from '@sicora/platform/jobs';
import type { NotificationProducer } from '@sicora/platform/notify';
import type { RegistryRepo } from './registry.repo.ts';

export interface IncidentNotifierDeps {
  database: Database;
  registry: Pick<RegistryRepo, 'rows'>;
  notifications: NotificationProducer;
  downAfterMs: number;
  publicBaseUrl: string;
  now: () => Date;
  onError?: (err: unknown) => void;
}

export type IncidentNotifier = JobDefinition & { check(): Promise<void> };

const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

export function createIncidentNotifier(deps: IncidentNotifierDeps): IncidentNotifier {
  const open = new Map<string, Date>(); // service → incident start already announced

  async function check(): Promise<void> {
    const rows = await deps.registry.rows();
    const t = deps.now();
    for (const row of rows) {
      if (!row.critical) continue;
      const announced = open.get(row.name);
      if (row.status === 'down' && row.enabled && !announced && t.getTime() - row.statusSince.getTime() >= deps.downAfterMs) {
        const start = row.statusSince;
        await deps.notifications.enqueue(deps.database.db, {
          type: 'gateway.service_down',
          key: [row.name, epochSeconds(start)],
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
        });
        open.set(row.name, start);
      } else if (row.status === 'up' && announced) {
        await deps.notifications.enqueue(deps.database.db, {
          type: 'gateway.service_recovered',
          key: [row.name, epochSeconds(announced)],
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
        });
        open.delete(row.name);
      }
    }
  }

  return {
    name: 'incident-notifier',
    // At least every 10 s, and often enough for a delay shorter than that.
    everyMs: Math.min(10_000, deps.downAfterMs),
    // Every instance checks (its own `open` map); the idempotency key keeps one outbox row per incident.
    runOn: 'every-replica',
    // A database that is away fails the check until it returns: a warning each time, not a job failure.
    run: () => check().catch((err) => deps.onError?.(err)),
    check,
  };
}
