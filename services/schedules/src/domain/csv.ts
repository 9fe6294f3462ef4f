/**
 * CSV reading of §6.1: UTF-8 (BOM allowed, invalid bytes refused with their line), `,` or `;` by header
 * frequency, RFC 4180 quotes, blank lines skipped but counted, header names and Spanish aliases matched
 * case-, accent- and space-insensitively. Pure: bytes in, rows with physical line numbers out.
 */
import { parse } from 'csv-parse/sync';
import { AppError } from '@sicora/platform/errors';
import { DAY_CODES, isValidDate } from './calendar.ts';
import { fold } from './text.ts';

export interface CsvColumn {
  name: string;
  aliases: string[];
  required?: boolean;
}

export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

const csvError = (code: string, message: string, details?: Record<string, unknown>) => new AppError(code, 'invalid_input', message, details);

function normalizeHeader(h: string): string {
  return fold(h).trim().replace(/\s+/g, '_');
}

export function decodeUtf8(bytes: Uint8Array): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    // The lenient decoding marks the first invalid sequence with U+FFFD: its line is the one to fix.
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const at = lenient.indexOf('\ufffd');
    const line = lenient.slice(0, Math.max(0, at)).split('\n').length;
    throw csvError('CSV_ENCODING_INVALID', `El archivo no está en UTF-8 (línea ${line})`, { line });
  }
}

export function readCsv(bytes: Uint8Array, columns: CsvColumn[], maxRows: number): { header: string[]; rows: CsvRow[] } {
  const text = decodeUtf8(bytes);
  const lines = text.split(/\r?\n/);
  const dataLines = lines.slice(1).filter((l) => l.trim() !== '');
  if (text.trim() === '' || dataLines.length === 0) throw csvError('CSV_EMPTY', 'El archivo no tiene filas');
  const headerLine = lines[0];
  const delimiter = (headerLine.match(/;/g)?.length ?? 0) > (headerLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, info: true, trim: true, bom: true }) as unknown as typeof records;
  } catch (err) {
    throw csvError('CSV_HEADER_INVALID', 'El archivo CSV no se pudo interpretar', { reason: (err as Error).message });
  }
  const expected = columns.map((c) => c.name);
  const raw = records[0].record.map(normalizeHeader);
  const header: string[] = [];
  for (const h of raw) {
    const col = columns.find((c) => c.name === h || c.aliases.includes(h));
    if (!col || header.includes(col.name)) throw csvError('CSV_HEADER_INVALID', `Columna no válida o repetida: ${h}`, { column: h, expected });
    header.push(col.name);
  }
  const missing = columns.filter((c) => c.required && !header.includes(c.name)).map((c) => c.name);
  if (missing.length) throw csvError('CSV_HEADER_INVALID', `Faltan columnas obligatorias: ${missing.join(', ')}`, { missing, expected });
  const rows = records.slice(1).map((r) => {
    const values: Record<string, string> = {};
    header.forEach((name, i) => (values[name] = (r.record[i] ?? '').trim()));
    return { line: r.info.lines, values };
  });
  if (rows.length > maxRows) throw new AppError('CSV_TOO_MANY_ROWS', 'invalid', `El archivo supera ${maxRows} filas`, { max_rows: maxRows, rows: rows.length });
  return { header, rows };
}

/** `YYYY-MM-DD` or `DD/MM/YYYY` → `YYYY-MM-DD`, or null. */
export function parseCsvDate(v: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  const iso = m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : v;
  return isValidDate(iso) ? iso : null;
}

/** `HH:MM` or `H:MM` → `HH:MM`, or null. */
export function parseCsvTime(v: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(v);
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59) return null;
  return `${m[1].padStart(2, '0')}:${m[2]}`;
}

const DAY_WORDS = ['lunes', 'martes', 'miercoles', 'jueves', 'viernes', 'sabado', 'domingo'];

/** `1`–`7`, Spanish names with or without accents, or `LUN`…`DOM` → ISO weekday, or null. */
export function parseCsvDay(v: string): number | null {
  const f = fold(v).trim();
  if (/^[1-7]$/.test(f)) return Number(f);
  const byName = DAY_WORDS.indexOf(f);
  if (byName >= 0) return byName + 1;
  const byCode = DAY_CODES.findIndex((c) => c.toLowerCase() === f);
  return byCode >= 0 ? byCode + 1 : null;
}

/** Enum values case- and accent-insensitive (`MAÑANA` → `MANANA`). */
export function parseCsvEnum<T extends string>(v: string, allowed: readonly T[]): T | null {
  const f = fold(v).trim().toUpperCase().replace(/\s+/g, '_');
  return (allowed as readonly string[]).includes(f) ? (f as T) : null;
}
