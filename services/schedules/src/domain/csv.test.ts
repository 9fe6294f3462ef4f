import { describe, expect, it } from 'vitest';
import { AppError } from '@sicora/platform/errors';
import { parseCsvDate, parseCsvDay, parseCsvEnum, parseCsvTime, readCsv } from './csv.ts';

const cols = [
  { name: 'code', aliases: ['codigo'], required: true },
  { name: 'name', aliases: ['nombre'], required: true },
  { name: 'notes', aliases: ['observaciones'] },
];
const enc = (s: string) => new TextEncoder().encode(s);
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as AppError).code;
  }
};

describe('CSV reading', () => {
  it('when a ; file with BOM, Spanish accented headers, quotes, CRLF and blank lines is read, then rows keep physical lines', () => {
    const { rows } = readCsv(enc('\ufeffCódigo;NOMBRE\r\nA1;"Sede; uno"\r\n\r\nB2;Dos\r\n'), cols, 10);
    expect(rows).toEqual([
      { line: 2, values: { code: 'A1', name: 'Sede; uno' } },
      { line: 4, values: { code: 'B2', name: 'Dos' } },
    ]);
  });

  it('when the file is empty, header-only, badly headed, Windows-1252 or too long, then the §6.1 codes', () => {
    expect(code(() => readCsv(enc(''), cols, 10))).toBe('CSV_EMPTY');
    expect(code(() => readCsv(enc('code,name\n'), cols, 10))).toBe('CSV_EMPTY');
    expect(code(() => readCsv(enc('code,color\nA,b\n'), cols, 10))).toBe('CSV_HEADER_INVALID');
    expect(code(() => readCsv(enc('code,code,name\nA,b,c\n'), cols, 10))).toBe('CSV_HEADER_INVALID');
    expect(code(() => readCsv(enc('code\nA\n'), cols, 10))).toBe('CSV_HEADER_INVALID');
    expect(code(() => readCsv(Uint8Array.from([...enc('code,name\nA,Mart'), 0xed, ...enc('nez\n')]), cols, 10))).toBe('CSV_ENCODING_INVALID');
    expect(code(() => readCsv(enc('code,name\nA,b\nC,d\n'), cols, 1))).toBe('CSV_TOO_MANY_ROWS');
  });

  it('when values use the accepted spellings, then they are normalised', () => {
    expect(parseCsvDate('02/03/2026')).toBe('2026-03-02');
    expect(parseCsvDate('2026-02-30')).toBeNull();
    expect(parseCsvTime('6:00')).toBe('06:00');
    expect(parseCsvDay('miércoles')).toBe(3);
    expect(parseCsvDay('SAB')).toBe(6);
    expect(parseCsvDay('8')).toBeNull();
    expect(parseCsvEnum('Mañana', ['MANANA', 'TARDE'] as const)).toBe('MANANA');
  });
});
