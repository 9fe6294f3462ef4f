/** §6.1: the bulk question upload's file rules, pure (encoding, delimiter, header, rows). */
import { parse } from 'csv-parse/sync';
import { evalinErrors } from './errors.ts';

export const CSV_COLUMNS = ['text', 'question_type', 'category', 'options', 'is_required', 'order_index', 'description'] as const;
const REQUIRED = ['text', 'question_type', 'category'];

export interface CsvRow {
  /** Spreadsheet row number (header = 1). */
  row: number;
  values: Record<string, string>;
}

/** Decodes and splits the file; throws the 400/422 file-level codes. */
export function readQuestionCsv(bytes: Buffer, maxRows: number): CsvRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw evalinErrors.csvEncoding();
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.split(/\r?\n/).find((l) => l.trim().length > 0) ?? '';
  const delimiter = firstLine.includes(',') || !firstLine.includes(';') ? ',' : ';';
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, info: true, bom: false }) as unknown as typeof records;
  } catch {
    throw evalinErrors.csvHeader([], []);
  }
  if (records.length === 0) throw evalinErrors.csvEmpty();
  const header = records[0].record.map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (unknown.length || missing.length) throw evalinErrors.csvHeader(missing, unknown);
  const rows = records.slice(1).filter((r) => r.record.some((c) => c.trim().length > 0));
  if (rows.length === 0) throw evalinErrors.csvEmpty();
  if (rows.length > maxRows) throw evalinErrors.csvTooManyRows(maxRows);
  return rows.map((r) => ({ row: r.info.lines, values: Object.fromEntries(header.map((h, i) => [h, r.record[i] ?? ''])) }));
}

/** `true`/`false`/`si`/`sí`/`no`/`1`/`0`; empty → undefined; anything else → null (an error). */
export function parseBool(v: string): boolean | undefined | null {
  const t = v.trim().toLowerCase();
  if (t === '') return undefined;
  if (['true', 'si', 'sí', '1'].includes(t)) return true;
  if (['false', 'no', '0'].includes(t)) return false;
  return null;
}

/** E8's template: the header and one example row per type. */
export const CSV_TEMPLATE = [
  CSV_COLUMNS.join(','),
  'El instructor explica los temas con claridad.,likert,Metodología y Didáctica,,true,,Escala de 1 a 5',
  '¿Con qué frecuencia usa la plataforma virtual?,single_choice,Recursos,Siempre|Casi siempre|A veces|Nunca,true,,',
  '¿Qué recursos usa con mayor frecuencia?,multiple_choice,Recursos,Guías|Videos|Laboratorios,false,,',
  '¿Qué fortalezas destaca del instructor?,text,Preguntas abiertas,,false,,Respuesta abierta',
].join('\r\n') + '\r\n';
