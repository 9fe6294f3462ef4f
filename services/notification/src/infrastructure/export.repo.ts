/**
 * A6's read side: deliveries of A4's filters joined with their notification, counted once and then read
 * page by page (newest first) so an export of 100 000 rows never sits in memory at once.
 */
import type { Database } from '@sicora/platform/db';
import type { DeliveryFilter } from './admin.repo.ts';

export interface ExportRow {
  created_at: string | Date; id: string; notification_id: string; type: string; category: string; priority: string; channel: string; status: string;
  status_reason: string | null; user_id: string; destination: string | null; provider: string | null; attempt_count: number;
  sent_at: string | Date | null; delivered_at: string | Date | null; dead_at: string | Date | null; last_error_code: string | null;
}

export interface ExportQuery { from: Date; to?: Date; filter: Pick<DeliveryFilter, 'user_id' | 'notification_id' | 'type' | 'channel' | 'status'> }

export function createExportRepo(database: Database) {
  function base(q: ExportQuery): { sql: string; params: unknown[] } {
    const params: unknown[] = [q.from.toISOString()];
    let where = 'd.created_at >= $1';
    if (q.to) { params.push(q.to.toISOString()); where += ` AND d.created_at < $${params.length}`; }
    for (const [key, col] of [['user_id', 'd.user_id'], ['notification_id', 'd.notification_id'], ['type', 'n.type'], ['channel', 'd.channel'], ['status', 'd.status']] as const) {
      const v = q.filter[key];
      if (v) { params.push(v); where += ` AND ${col} = $${params.length}`; }
    }
    return { sql: `FROM notification.deliveries d JOIN notification.notifications n ON n.id = d.notification_id WHERE ${where}`, params };
  }
  return {
    async count(q: ExportQuery): Promise<number> {
      const b = base(q);
      const [row] = await database.query<{ n: number }>(`SELECT count(*)::int AS n ${b.sql}`, b.params);
      return row.n;
    },
    async page(q: ExportQuery, offset: number, limit: number): Promise<ExportRow[]> {
      const b = base(q);
      return database.query<ExportRow>(
        `SELECT d.created_at, d.id, d.notification_id, n.type, n.category, d.priority, d.channel, d.status, d.status_reason, d.user_id, d.destination, d.provider, d.attempt_count, d.sent_at, d.delivered_at, d.dead_at, d.last_error_code
           ${b.sql} ORDER BY d.created_at DESC, d.id DESC LIMIT ${Number(limit)} OFFSET ${Number(offset)}`, b.params);
    },
  };
}

export type ExportRepo = ReturnType<typeof createExportRepo>;
