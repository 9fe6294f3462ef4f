#!/usr/bin/env node
// Schedules service benchmark (issue figure: "A CSV of a full trimester for 50 fichas imports in one
// transaction; report the time").
// The whole platform runs as a real process (`sicora start`, embedded PGlite, demo data) on a fresh data
// dir and its own loopback ports. Through the gateway the script creates what the CSV references —
// 50 instructors (users B1 import), 50 venues (V7) and 50 fichas (G6) — then sends ONE schedules CSV
// (S8): a 12-week trimester for the 50 fichas, each with its own instructor and venue and a Monday–Friday
// week of two entries a day (500 rows), so no row conflicts with another or
// with the demo entries. It times that single request from send to response and checks the stored count.
// Writes bench/results/schedules-<date>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminToken as firstAdminToken, apiClient, expectStatus as expect, root, startPlatform } from './lib/platform.mjs';

const ADMIN = { email: 'admin@sicora.sena.edu.co', password: 'Bench#Horarios-2026x', newPassword: 'Rendimiento#2027-Xy' };
const FICHAS = 50;
const WEEKS = 12;

// Own port range (BENCH_BASE_PORT, default 18310), so a running `sicora start` on the defaults is not disturbed.
const platform = startPlatform({ name: 'schedules', basePort: Number(process.env.BENCH_BASE_PORT ?? 18310), admin: ADMIN, hardLimitMs: 10 * 60_000 });
const { base } = platform;
const api = apiClient(base);
const adminToken = () => firstAdminToken(api, ADMIN);

async function storedEntries(token) {
  const res = await api('GET', '/api/v1/schedules?page_size=1', { token });
  expect(res, 200, 'schedules count');
  return res.body.meta.pagination.total;
}

function csvForm(csv, filename) {
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), filename);
  return form;
}

async function importCsv(token, path, csv, filename, what) {
  const data = expect(await api('POST', path, { token, form: csvForm(csv, filename) }), 201, what);
  if (data.created !== data.total_rows) throw new Error(`${what}: created ${data.created} of ${data.total_rows}`);
  return data;
}

// Dates are plain calendar days (UTC arithmetic on YYYY-MM-DD is exact for them).
const day = (d) => d.toISOString().slice(0, 10);
const addDays = (d, n) => new Date(d.getTime() + n * 86_400_000);
function nextMonday() {
  const t = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  return addDays(t, ((8 - t.getUTCDay()) % 7) || 7);
}

const FIRST = ['Andrés', 'Carolina', 'Julián', 'Marcela', 'Sebastián', 'Paola', 'Camilo', 'Natalia', 'Felipe', 'Lorena'];
const LAST = ['Gómez Ruiz', 'Pardo Díaz', 'Suárez León', 'Rojas Peña', 'Cárdenas Mora', 'Quintero Sanz', 'Niño Vega', 'Torres Ríos', 'Salazar Gil', 'Acosta Mejía'];
const instructorDoc = (i) => String(71_500_000 + i);
const venueCode = (i) => `BEN${String(i + 1).padStart(2, '0')}`;
const fichaNumber = (i) => String(3_100_000 + i);
const SHIFTS = ['MANANA', 'TARDE', 'NOCHE'];

function instructorsCsv() {
  const lines = ['first_name,last_name,email,document_type,document_number'];
  for (let i = 0; i < FICHAS; i++) {
    lines.push(`${FIRST[i % 10]},${LAST[Math.floor(i / 10) % 10]},instructor${i}@bench.sicora.test,CC,${instructorDoc(i)}`);
  }
  return lines.join('\n') + '\n';
}

function venuesCsv() {
  const lines = ['code,name,campus_code,type,capacity,floor'];
  for (let i = 0; i < FICHAS; i++) {
    const type = i % 2 === 0 ? 'AULA' : 'LABORATORIO';
    lines.push(`${venueCode(i)},${type === 'AULA' ? 'Aula' : 'Laboratorio'} de carga ${i + 1},${i % 2 === 0 ? 'CALLE52' : 'FONTIBON'},${type},30,${(i % 5) + 1}`);
  }
  return lines.join('\n') + '\n';
}

function groupsCsv(periodStart, periodEnd) {
  const lines = ['number,program_code,campus_code,shift,start_date,end_date,current_quarter,max_apprentices'];
  const programs = ['ADSO', 'GRD', 'SIS', 'PROGSOFT'];
  for (let i = 0; i < FICHAS; i++) {
    lines.push(`${fichaNumber(i)},${programs[i % 4]},${i % 2 === 0 ? 'CALLE52' : 'FONTIBON'},${SHIFTS[i % 3]},${periodStart},${periodEnd},2,30`);
  }
  return lines.join('\n') + '\n';
}

// Per shift, two consecutive entries a day (start hour, hours each): mañana 06–09 + 09–12, tarde 12–15 +
// 15–18, noche 18–20 + 20–22. The second entry of each day uses the `blocks` form, the first the times.
const DAY_SLOTS = { MANANA: [[6, 3], [9, 3]], TARDE: [[12, 3], [15, 3]], NOCHE: [[18, 2], [20, 2]] };
const LETTER = { MANANA: 'M', TARDE: 'T', NOCHE: 'N' };
const WINDOW_START = { MANANA: 6, TARDE: 12, NOCHE: 18 };
const DAY_CODE = ['', 'LUN', 'MAR', 'MIE', 'JUE', 'VIE'];
const SUBJECTS = [
  'Construcción de software: backend',
  'Bases de datos: modelado y SQL',
  'Inglés técnico',
  'Análisis y diseño de sistemas',
  'Ética y emprendimiento',
  'Matemáticas aplicadas',
  'Construcción de software: frontend',
  'Redes y comunicaciones',
  'Lógica de programación',
  'Cultura física',
];
const hh = (h) => `${String(h).padStart(2, '0')}:00`;

function schedulesCsv(start, end) {
  const lines = ['group_number,instructor_document,venue_code,subject,day_of_week,start_time,end_time,blocks,start_date,end_date,notes'];
  for (let i = 0; i < FICHAS; i++) {
    const shift = SHIFTS[i % 3];
    for (let dow = 1; dow <= 5; dow++) {
      DAY_SLOTS[shift].forEach(([from, hours], k) => {
        const subject = SUBJECTS[((dow - 1) * 2 + k + i) % SUBJECTS.length];
        let cols;
        if (k === 0) {
          cols = `${dow},${hh(from)},${hh(from + hours)},`;
        } else {
          const first = from - WINDOW_START[shift] + 1;
          const code = `${LETTER[shift]}${DAY_CODE[dow]}`;
          cols = `,,,${code}${first}-${code}${first + hours - 1}`;
        }
        lines.push(`${fichaNumber(i)},${instructorDoc(i)},${venueCode(i)},"${subject}",${cols},${start},${end},Trimestre de carga`);
      });
    }
  }
  return lines.join('\r\n') + '\r\n';
}

const results = { date: new Date().toISOString(), node: process.version, database: 'pglite (embedded)', fichas: FICHAS, weeks: WEEKS };
try {
  results.ready_ms = await platform.waitReady();
  const token = await adminToken();

  const monday = nextMonday();
  const trimesterStart = day(monday);
  const trimesterEnd = day(addDays(monday, WEEKS * 7 - 1));
  const periodStart = day(addDays(monday, -182));
  const periodEnd = day(addDays(monday, 546));

  await importCsv(token, '/api/v1/users/import?role=instructor', instructorsCsv(), 'instructores.csv', 'instructors import');
  await importCsv(token, '/api/v1/venues/import', venuesCsv(), 'ambientes.csv', 'venues import');
  await importCsv(token, '/api/v1/groups/import', groupsCsv(periodStart, periodEnd), 'fichas.csv', 'fichas import');

  const totalBefore = await storedEntries(token);

  const csv = schedulesCsv(trimesterStart, trimesterEnd);
  const form = csvForm(csv, 'horarios_trimestre.csv');
  const started = performance.now();
  const res = await fetch(`${base}/api/v1/schedules/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = await res.json();
  const ms = Math.round(performance.now() - started);

  const totalAfter = await storedEntries(token);
  const report = body.data ?? body.error?.details ?? {};
  results.import = {
    trimester: { start_date: trimesterStart, end_date: trimesterEnd },
    rows: csv.trim().split('\r\n').length - 1,
    bytes: Buffer.byteLength(csv),
    status: res.status,
    total_rows: report.total_rows ?? null,
    created: report.created ?? null,
    error_rows: report.error_rows ?? null,
    stored_entries_added: totalAfter - totalBefore,
    weekly_class_hours: csvHours(),
    ms,
  };
  console.log(
    `import trimester CSV (${FICHAS} fichas, ${results.import.rows} rows, ${WEEKS} weeks ${trimesterStart}..${trimesterEnd}): ` +
      `HTTP ${res.status}, created ${results.import.created}, stored +${results.import.stored_entries_added}, ${ms} ms`,
  );
  if (res.status !== 201) {
    console.log(JSON.stringify(body).slice(0, 2000));
    process.exitCode = 1;
  }
} catch (err) {
  console.error(`schedules bench failed: ${err.message}`);
  results.error = err.message;
  process.exitCode = 1;
} finally {
  await platform.stop();
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, `bench/results/schedules-${results.date.slice(0, 10)}.json`), JSON.stringify(results, null, 2));

function csvHours() {
  let hours = 0;
  for (let i = 0; i < FICHAS; i++) for (const [, h] of DAY_SLOTS[SHIFTS[i % 3]]) hours += h * 5;
  return hours;
}
