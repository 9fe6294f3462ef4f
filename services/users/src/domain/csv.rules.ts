/**
 * The file-level checks of §6.1 in their order (encoding, empty, header, row count) and the parsing of
 * the rows with their physical line numbers. Pure: bytes in, rows or a coded error out.
 */
import { parse } from 'csv-parse/sync';
import { AppError } from '@sicora/platform/errors';
import { fold } from './identity.rules.ts';

export const IMPORT_COLUMNS = ['first_name', 'last_name', 'email', 'document_type', 'document_number', 'role', 'group_number', 'phone', 'area'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export const MAX_ROWS = 10_000;

const ALIASES: Record<ImportColumn, string[]> = {
  first_name: ['first_name', 'nombres', 'nombre'],
  last_name: ['last_name', 'apellidos', 'apellido'],
  email: ['email', 'correo', 'correo_electronico'],
  document_type: ['document_type', 'tipo_documento'],
  document_number: ['document_number', 'documento', 'numero_documento'],
  role: ['role', 'rol'],
  group_number: ['group_number', 'ficha', 'numero_ficha'],
  phone: ['phone', 'telefono', 'celular'],
  area: ['area'],
};

const headerKey = (name: string) => fold(name).replace(/[\s_-]/g, '');
const BY_KEY = new Map<string, ImportColumn>();
for (const [column, names] of Object.entries(ALIASES)) for (const n of names) BY_KEY.set(headerKey(n), column as ImportColumn);

export interface CsvRow {
  line: number;
  values: Partial<Record<ImportColumn, string>>;
}

export const csvErrors = {
  encoding: (line: number) =>
    new AppError('CSV_ENCODING_INVALID', 'invalid_input', `El archivo no es UTF-8 válido (línea ${line}); guarde el archivo como CSV UTF-8`, { line }),
  empty: () => new AppError('CSV_EMPTY', 'invalid_input', 'El archivo no tiene filas de datos'),
  header: (details: Record<string, unknown>) =>
    new AppError('CSV_HEADER_INVALID', 'invalid_input', `Encabezado no válido; columnas esperadas: ${IMPORT_COLUMNS.join(', ')}`, {
      expected: [...IMPORT_COLUMNS], ...details,
    }),
  tooMany: (rows: number) => new AppError('CSV_TOO_MANY_ROWS', 'invalid', `El archivo supera ${MAX_ROWS} filas de datos`, { rows, max_rows: MAX_ROWS }),
};

function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, i));
        } catch {
          throw csvErrors.encoding(line);
        }
        line += 1;
        start = i + 1;
      }
    }
    throw csvErrors.encoding(1);
  }
}

/** Bytes → header columns and data rows; `requireRole` is false when the query gives the role. */
export function readCsv(bytes: Buffer, requireRole: boolean): { columns: ImportColumn[]; rows: CsvRow[] } {
  let text = decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw csvErrors.empty();
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { delimiter, info: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true }) as unknown as typeof records;
  } catch (err) {
    throw new AppError('CSV_HEADER_INVALID', 'invalid_input', 'El archivo CSV no se pudo leer', { reason: (err as Error).message.slice(0, 200) });
  }
  const [head, ...data] = records;
  const columns: ImportColumn[] = [];
  const unknown: string[] = [];
  const repeated: string[] = [];
  for (const raw of head.record) {
    const col = BY_KEY.get(headerKey(raw));
    if (!col) unknown.push(raw);
    else if (columns.includes(col)) repeated.push(raw);
    columns.push(col as ImportColumn);
  }
  const required: ImportColumn[] = ['first_name', 'last_name', 'email', 'document_type', 'document_number', ...(requireRole ? ['role' as const] : [])];
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length || unknown.length || repeated.length) throw csvErrors.header({ missing, unknown, repeated });
  const rows: CsvRow[] = data
    .filter((r) => r.record.some((v) => v.trim() !== ''))
    .map((r) => {
      const values: Partial<Record<ImportColumn, string>> = {};
      columns.forEach((c, i) => (values[c] = (r.record[i] ?? '').trim()));
      const innerBreaks = r.record.reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0);
      return { line: r.info.lines - innerBreaks, values };
    });
  if (rows.length === 0) throw csvErrors.empty();
  if (rows.length > MAX_ROWS) throw csvErrors.tooMany(rows.length);
  return { columns, rows };
}
