/**
 * CSV exports (00-conventions §6.1): UTF-8 with BOM, CRLF, RFC 4180 quoting, a header row, cells that
 * start with = + - @ prefixed with ' (so a spreadsheet never runs them as formulas), instants as ISO-8601
 * local time with the zone's offset.
 *
 * Exports stream: rows are read a batch at a time (`keysetBatches`: `WHERE key > last ORDER BY key LIMIT n`,
 * never OFFSET), written as the client takes them (the stream's backpressure pauses the reads), and each
 * batch yields to the event loop, so one big export in the embedded process (nine services in one
 * Node.js process) never stalls the others' requests.
 */
import { Readable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { stringify } from 'csv-stringify';

/** A cell as §6.1 writes it: empty for null, formula-looking text made inert. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /^[=+\-@]/.test(text) ? `'${text}` : text;
}

const partsFormat = new Map<string, Intl.DateTimeFormat>();

/** ISO-8601 local time with the zone's offset at that instant (2026-03-02T09:05:00-05:00); '' for null. */
export function localIso(value: string | Date | null | undefined, zone: string): string {
  if (value === null || value === undefined || value === '') return '';
  const at = new Date(value);
  let format = partsFormat.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    partsFormat.set(zone, format);
  }
  const p = Object.fromEntries(format.formatToParts(at).map((x) => [x.type, x.value]));
  const local = `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
  const offsetMin = Math.round((Date.parse(`${local}Z`) - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Batches of a keyset read: `read(after, limit)` returns the next `limit` rows after the key `after`
 * (undefined for the first batch) in key order; the last row's key is the next cursor.
 */
export async function* keysetBatches<T, K>(read: (after: K | undefined, limit: number) => Promise<T[]>, keyOf: (row: T) => K, batchSize = 1000): AsyncGenerator<T[]> {
  let after: K | undefined;
  for (;;) {
    const rows = await read(after, batchSize);
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    after = keyOf(rows[rows.length - 1]);
  }
}

export interface CsvExportOptions<T> {
  columns: readonly string[];
  /** The rows, a batch at a time (a keyset read, or one array for a small export). */
  batches: AsyncIterable<readonly T[]> | Iterable<readonly T[]>;
  /** One record, in `columns` order; cells go through `csvCell`. */
  toRecord: (row: T) => readonly unknown[];
}

/** The CSV as a stream: read on demand, one batch at a time, yielding between batches. */
export function csvExport<T>(o: CsvExportOptions<T>): Readable {
  async function* records() {
    for await (const batch of o.batches) {
      for (const row of batch) yield o.toRecord(row).map(csvCell);
      // Other requests of this process run between two batches.
      await yieldToLoop();
    }
  }
  const stringifier = stringify({ bom: true, header: true, columns: [...o.columns], record_delimiter: '\r\n', quoted_match: /[",\r\n]/ });
  // pipe() honours backpressure: the generator is pulled only as fast as the client reads.
  const source = Readable.from(records());
  source.on('error', (err) => stringifier.destroy(err));
  return source.pipe(stringifier);
}

/** The `Content-Disposition` of a download. */
export function attachment(filename: string): string {
  return `attachment; filename="${filename.replace(/["\\\r\n]/g, '_')}"`;
}
