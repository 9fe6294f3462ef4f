/**
 * A7's read side (R57): deliveries per hour, channel and status; latency percentiles from acceptance to
 * sent or delivered; the in-app read rate; dead letters.
 */
import type { Database } from '@sicora/platform/db';

export interface MetricsFilter { from: Date; to: Date; channel?: string; type?: string }

export function createMetricsRepo(database: Database) {
  function base(f: MetricsFilter): { sql: string; params: unknown[] } {
    const params: unknown[] = [f.from.toISOString(), f.to.toISOString()];
    let filter = '';
    if (f.channel) { params.push(f.channel); filter += ` AND d.channel = $${params.length}`; }
    if (f.type) { params.push(f.type); filter += ` AND n.type = $${params.length}`; }
    return { sql: `FROM notification.deliveries d JOIN notification.notifications n ON n.id = d.notification_id WHERE d.created_at >= $1 AND d.created_at < $2${filter}`, params };
  }
  return {
    /** Deliveries created in the range, per hour (truncated in UTC), channel and current status. */
    async hourly(f: MetricsFilter): Promise<Array<{ hour: string | Date; channel: string; status: string; n: number }>> {
      const b = base(f);
      return database.query(`SELECT date_trunc('hour', d.created_at) AS hour, d.channel, d.status, count(*)::int AS n ${b.sql} GROUP BY 1, 2, 3`, b.params);
    },
    async latency(f: MetricsFilter): Promise<Array<{ channel: string; p50: number | null; p95: number | null }>> {
      const b = base(f);
      return database.query(
        `SELECT d.channel, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM coalesce(d.sent_at, d.delivered_at) - n.created_at) * 1000) AS p50,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM coalesce(d.sent_at, d.delivered_at) - n.created_at) * 1000) AS p95
           ${b.sql} AND coalesce(d.sent_at, d.delivered_at) IS NOT NULL GROUP BY d.channel`, b.params);
    },
    async inboxReads(from: Date, to: Date): Promise<{ total: number; read: number }> {
      const [row] = await database.query<{ total: number; read: number }>(
        'SELECT count(*)::int AS total, count(read_at)::int AS read FROM notification.inbox_items WHERE created_at >= $1 AND created_at < $2', [from.toISOString(), to.toISOString()]);
      return row;
    },
    async deadLetters(since: Date): Promise<{ total: number; last_24h: number }> {
      const [row] = await database.query<{ total: number; last_24h: number }>(
        "SELECT count(*)::int AS total, count(*) FILTER (WHERE dead_at >= $1)::int AS last_24h FROM notification.deliveries WHERE status = 'dead'", [since.toISOString()]);
      return row;
    },
  };
}

export type MetricsRepo = ReturnType<typeof createMetricsRepo>;
