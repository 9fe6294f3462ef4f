/**
 * A6 (§6): the deliveries of A4's filters as CSV — the platform's export (UTF-8 with BOM, CRLF, RFC 4180
 * quoting, formula-safe cells), times ISO-8601 in Bogotá with their offset — streamed in keyset batches.
 * The window and the row count are checked first, so a refusal is still a JSON error.
 */
import type { Readable } from 'node:stream';
import { csvExport, keysetBatches, localIso } from '@sicora/platform/csv-export';
import { AppError, errors } from '@sicora/platform/errors';
import { MIN_INSTANT } from '@sicora/platform/validation';
import { maskDestination } from '../domain/rules.ts';
import type { Channel } from '../domain/enums.ts';
import type { DeliveryFilter } from '../infrastructure/admin.repo.ts';
import type { ExportCursor, ExportQuery, ExportRepo, ExportRow } from '../infrastructure/export.repo.ts';

const COLUMNS = ['created_at', 'delivery_id', 'notification_id', 'type', 'category', 'priority', 'channel', 'status', 'status_reason', 'user_id', 'destination_masked', 'provider', 'attempt_count', 'sent_at', 'delivered_at', 'dead_at', 'last_error_code'];
const MAX_ROWS = 100_000;
const DAY = 86_400_000;

export function createExportService(d: { exports: ExportRepo; now: () => Date; zone: string; batchSize?: number }) {
  const batchSize = d.batchSize ?? 1000;
  return {
    async deliveries(f: DeliveryFilter): Promise<{ filename: string; stream: Readable }> {
      const now = d.now();
      const to = f.to ? new Date(f.to) : now;
      // The default window never starts before year 1 (PostgreSQL has no year 0).
      const from = f.from ? new Date(f.from) : new Date(Math.max(to.getTime() - 92 * DAY, MIN_INSTANT));
      if (to.getTime() - from.getTime() > 92 * DAY || from >= to) throw errors.validation([{ field: 'from', reason: 'range', message: 'El rango debe ser de 92 días como máximo' }]);
      // Without `to` there is no upper bound: everything created up to now is included.
      const query: ExportQuery = { from, ...(f.to ? { to } : {}), filter: f };
      const count = await d.exports.count(query);
      if (count > MAX_ROWS) throw new AppError('EXPORT_TOO_LARGE', 'invalid', 'La exportación supera 100 000 filas; acote los filtros', { rows: count, max: MAX_ROWS });
      const zone = d.zone;
      const stream = csvExport<ExportRow>({
        columns: COLUMNS,
        batches: keysetBatches<ExportRow, ExportCursor>((after, limit) => d.exports.batch(query, after, limit), (r) => ({ at: r.key_at, id: r.id }), batchSize),
        toRecord: (r) => [localIso(r.created_at, zone), r.id, r.notification_id, r.type, r.category, r.priority, r.channel, r.status, r.status_reason, r.user_id,
          maskDestination(r.channel as Channel, r.destination), r.provider, r.attempt_count, localIso(r.sent_at, zone), localIso(r.delivered_at, zone),
          localIso(r.dead_at, zone), r.last_error_code],
      });
      const stamp = localIso(now, zone).slice(0, 10).replace(/-/g, '');
      return { filename: `notificaciones_entregas_${stamp}.csv`, stream };
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
