// The centre a benchmark builds through the API: names users R… accepts (letters only), one client address
// per simulated person (sent as X-Forwarded-For through the trusted loopback hop), CSV imports checked row
// for row, and local dates of the platform's zone.
import { expectStatus } from './platform.mjs';

/** The index spelt in letters (0 → "A", 27 → "Bb"): names take letters only. */
export const word = (i) => { let s = ''; do { s = String.fromCharCode(97 + (i % 26)) + s; i = Math.floor(i / 26); } while (i > 0); return s[0].toUpperCase() + s.slice(1); };
/** Person i's address in 10.<second>.x.y; each benchmark has its own second octet. */
export const ipOf = (second, i) => `10.${second + Math.floor(i / 65_025)}.${Math.floor(i / 255) % 255}.${(i % 255) + 1}`;
export const csvForm = (csv, name) => { const f = new FormData(); f.append('file', new Blob([csv], { type: 'text/csv' }), name); return f; };
export const lines = (header, rows) => [header, ...rows].join('\r\n') + '\r\n';

/** A CSV import that must store every row (201, created = total_rows). */
export async function importCsv(api, token, path, csv, name, what) {
  const data = expectStatus(await api('POST', path, { token, form: csvForm(csv, name) }), 201, what);
  if (data.created !== data.total_rows) throw new Error(`${what}: created ${data.created} of ${data.total_rows}`);
  return data;
}

export const addDays = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Today's date, hour and ISO weekday (1 = Monday) in `zone`. */
export function localParts(zone, at = new Date()) {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hour12: false, weekday: 'short' });
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday) + 1;
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) % 24, weekday };
}

/**
 * A zone where a morning class (07:00–10:59 local, Monday–Friday) is in progress now: Bogotá when its clock
 * allows, otherwise a whole-hour Etc/GMT zone (SICORA_TIMEZONE is configurable); BENCH_TIMEZONE forces one.
 */
export function classZone() {
  if (process.env.BENCH_TIMEZONE) return process.env.BENCH_TIMEZONE;
  const ok = (z) => { const l = localParts(z); return l.weekday <= 5 && l.hour >= 7 && l.hour <= 10; };
  if (ok('America/Bogota')) return 'America/Bogota';
  for (let o = -12; o <= 14; o++) {
    const zone = o === 0 ? 'Etc/GMT' : `Etc/GMT${o > 0 ? '-' : '+'}${Math.abs(o)}`; // Etc/GMT+5 is UTC−5
    if (ok(zone)) return zone;
  }
  return undefined;
}
