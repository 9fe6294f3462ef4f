/**
 * A6's read side: deliveries of A4's filters joined with their notification, counted once and then read
 * in keyset batches in A4's order (newest first: `created_at` desc, then `id` desc), so an export of
 * 100 000 rows never sits in memory and no batch pays for the rows before it (no OFFSET).
 */
import type { Database } from '@sicora/platform/db';
import type { DeliveryFilter } from './admin.repo.ts';

export interface ExportRow {
  created_at: string | Date; id: string; notification_id: string; type: string; category: string; priority: string; channel: string; status: string;
  status_reason: string | null; user_id: string; destination: string | null; provider: string | null; attempt_count: number;
  sent_at: string | Date | null; delivered_at: string | Date | null; dead_at: string | Date | null; last_error_code: string | null;
  /** `created_at` to the microsecond (a JS Date keeps milliseconds only), the first half of the cursor. */
  key_at: string;
}

/** The last row of a batch: the next batch starts strictly after it in (created_at, id) descending order. */
export interface ExportCursor { at: string; id: string }

export interface ExportQuery { from: Date; to?: Date; filter: Pick<DeliveryFilter, 'user_id' | 'notification_id' | 'type' | 'channel' | 'status'> }

export function createExportRepo(database: Database) {
  function base(q: ExportQuery): { sql: string; params: unknown[] } {
    const params: unknown[] = [q.from.toISOString()];
    let where = 'd.created_at >= $1::timestamptz';
    if (q.to) { params.push(q.to.toISOString()); where += ` AND d.created_at < $${params.length}::timestamptz`; }
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
    /** Up to `limit` rows after `after` (undefined: from the newest), in A4's order. */
    async batch(q: ExportQuery, after: ExportCursor | undefined, limit: number): Promise<ExportRow[]> {
      const b = base(q);
      const params = [...b.params];
      let keyset = '';
      if (after) {
        params.push(after.at, after.id);
        keyset = ` AND (d.created_at, d.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
      }
      params.push(limit);
      return database.query<ExportRow>(
        `SELECT d.created_at, d.id, d.notification_id, n.type, n.category, d.priority, d.channel, d.status, d.status_reason, d.user_id, d.destination, d.provider,
                d.attempt_count, d.sent_at, d.delivered_at, d.dead_at, d.last_error_code,
                to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS key_at
           ${b.sql}${keyset} ORDER BY d.created_at DESC, d.id DESC LIMIT $${params.length}`, params);
    },
  };
}

export type ExportRepo = ReturnType<typeof createExportRepo>;
