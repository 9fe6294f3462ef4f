/**
 * What the reports journey (web.md §5 (6)) needs beside web.support.ts: a past weekday in Bogotá for a
 * session nobody took the roll of, the first sign-in through the UI, and the RP5 CSV's columns as
 * attendance §6.2 lists them.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectAccessible } from './web.support.ts';

/** attendance §6.2, RP5 missing rolls (`tomas_pendientes` / date). */
export const MISSING_ROLLS_COLUMNS = ['date', 'instructor_name', 'group_number', 'program_code', 'subject', 'blocks', 'start_time', 'end_time', 'venue_code', 'campus_name', 'state', 'minutes_since_end'];

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Bogotá's local date and ISO weekday (1 = Monday) of `at`. */
export function bogota(at: Date): { date: string; dayOfWeek: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: 'America/Bogota', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at).map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, dayOfWeek: WEEKDAYS[parts.weekday] };
}

/** The latest Monday–Friday strictly before today in Bogotá: every session of it has ended (RP5 R43). */
export function lastWeekday(now: Date): { date: string; dayOfWeek: number } {
  for (let back = 1; back <= 7; back++) {
    const day = bogota(new Date(now.getTime() - back * 86_400_000));
    if (day.dayOfWeek <= 5) return day;
  }
  throw new Error('no weekday in the last week');
}

/** Sign-in with the first password (the document number) and the forced change (users A6) through the UI. */
export async function firstSignIn(page: Page, gateway: string, doc: string, next: string, shot: (p: Page, name: string) => Promise<void>, where: string): Promise<void> {
  await page.goto(`${gateway}/`);
  await page.getByRole('heading', { name: 'Ingresar' }).waitFor();
  await shot(page, 'ingresar');
  await expectAccessible(page, `${where} /login`);
  await page.getByLabel(/^Documento o correo/).fill(doc);
  await page.getByLabel(/^Contraseña/).fill(doc);
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await page.getByRole('heading', { name: 'Cambiar contraseña' }).waitFor();
  await page.getByLabel(/^Contraseña actual/).fill(doc);
  await page.getByLabel(/^Nueva contraseña/).fill(next);
  await page.getByLabel(/^Confirme la nueva contraseña/).fill(next);
  await shot(page, 'cambio-obligatorio');
  await expectAccessible(page, `${where} /cambiar-contrasena`);
  await page.getByRole('button', { name: 'Guardar contraseña' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  expect(new URL(page.url()).pathname).toBe('/');
}

/** A CSV of §6.2 (UTF-8 with BOM, CRLF) as its rows of cells; quoting as RFC 4180. */
export function parseCsv(text: string): string[][] {
  expect(text.charCodeAt(0), 'the CSV starts with a BOM').toBe(0xfeff);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.slice(1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && body[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}
