/**
 * A6 (§6): the deliveries of A4's filters as CSV — UTF-8 with BOM, CRLF, RFC 4180 quoting, cells that
 * start with = + - @ prefixed with ', times ISO-8601 in Bogotá with their offset — streamed page by page.
 */
import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { AppError, errors } from '@sicora/platform/errors';
import { MIN_INSTANT } from '@sicora/platform/validation';
import { maskDestination } from '../domain/rules.ts';
import type { Channel } from '../domain/enums.ts';
import type { DeliveryFilter } from '../infrastructure/admin.repo.ts';
import type { ExportQuery, ExportRepo } from '../infrastructure/export.repo.ts';

const COLUMNS = ['created_at', 'delivery_id', 'notification_id', 'type', 'category', 'priority', 'channel', 'status', 'status_reason', 'user_id', 'destination_masked', 'provider', 'attempt_count', 'sent_at', 'delivered_at', 'dead_at', 'last_error_code'];
const MAX_ROWS = 100_000;
const DAY = 86_400_000;

/** ISO-8601 local time with the zone's offset at that instant (e.g. 2026-03-02T09:05:00-05:00). */
export function localIso(value: string | Date | null, zone: string): string {
  if (!value) return '';
  const at = new Date(value);
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(at).map((x) => [x.type, x.value]));
  const local = `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
  const offsetMin = Math.round((Date.parse(`${local}Z`) - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const safe = (v: unknown) => { const s = v === null || v === undefined ? '' : String(v); return /^[=+\-@]/.test(s) ? `'${s}` : s; };

export function createExportService(d: { exports: ExportRepo; now: () => Date; zone: string }) {
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
      const exports = d.exports;
      async function* rows() {
        for (let offset = 0; offset < count; offset += 5000) {
          for (const r of await exports.page(query, offset, 5000)) {
            yield [localIso(r.created_at, zone), r.id, r.notification_id, r.type, r.category, r.priority, r.channel, r.status, r.status_reason, r.user_id,
              maskDestination(r.channel as Channel, r.destination), r.provider, r.attempt_count, localIso(r.sent_at, zone), localIso(r.delivered_at, zone),
              localIso(r.dead_at, zone), r.last_error_code].map(safe);
          }
        }
      }
      const stringifier = stringify({ bom: true, record_delimiter: '\r\n', header: true, columns: COLUMNS, quoted_match: /[",\r\n]/ });
      // Pages are written as they arrive, so memory stays flat for large exports.
      (async () => {
        for await (const row of rows()) {
          if (!stringifier.write(row)) await new Promise((r) => stringifier.once('drain', r));
        }
        stringifier.end();
      })().catch((err: Error) => stringifier.destroy(err));
      const stamp = localIso(now, zone).slice(0, 10).replace(/-/g, '');
      return { filename: `notificaciones_entregas_${stamp}.csv`, stream: stringifier };
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
