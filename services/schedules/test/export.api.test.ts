/**
 * W5 as files (§6.4): documented as text/calendar and text/csv, the CSV streamed in keyset batches in W2
 * order (its rows are W2's, batch boundaries inside a date included), refusals still JSON envelopes, and
 * the 10 000-row cap (CSV rows, iCalendar events) checked before the first byte.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, setupBasics, type Harness } from './harness.ts';

// "now" = Monday 2026-03-09 07:00 Bogotá.
let h: Harness;
let b: Awaited<ReturnType<typeof setupBasics>>;
let X: { id: string };
let admin: { authorization: string };

/** Weekly entries written straight to the table (the rules they skip are not what this file tests). */
async function insertEntries(n: number, o: { dow: number; from: string; to: string; subject: string }) {
  await h.db.query(
    `INSERT INTO schedules.schedule_entries (group_id, instructor_id, venue_id, subject, day_of_week, start_time, end_time, start_date, end_date)
     SELECT CASE WHEN i % 2 = 0 THEN $1::uuid ELSE $2::uuid END, $3::uuid, CASE WHEN i % 3 = 0 THEN $4::uuid ELSE $5::uuid END,
            $6 || ' ' || i, $7, make_time(6 + i % 6, 0, 0), make_time(7 + i % 6, 0, 0), $8::date, $9::date
     FROM generate_series(1, $10::int) i`,
    [b.groupA.id, b.groupB.id, X.id, b.venue205.id, b.venue412.id, o.subject, o.dow, o.from, o.to, n],
  );
}

beforeAll(async () => {
  h = await createHarness();
  b = await setupBasics(h);
  X = h.users.add({ role: 'instructor', first_name: 'Carlos', last_name: 'Rodríguez' });
  admin = await h.as('admin');
  // 384 Monday entries over the whole window: many share a start time and a ficha (ties broken by id).
  await insertEntries(384, { dow: 1, from: '2026-03-02', to: '2026-08-31', subject: 'Clase' });
  // One Tuesday session whose subject a spreadsheet would run as a formula and that needs quoting.
  await h.db.query(
    `INSERT INTO schedules.schedule_entries (group_id, instructor_id, venue_id, subject, day_of_week, start_time, end_time, start_date, end_date)
     VALUES ($1, $2, $3, '=HIPERVINCULO("x"), sí', 2, '08:00', '10:00', '2026-03-03', '2026-03-03')`,
    [b.groupA.id, X.id, b.venue205.id],
  );
});
afterAll(async () => h.close());

const exportFile = (query: string, headers = admin) => h.app.inject({ method: 'GET', url: `/api/v1/schedules/export?${query}`, headers });
const rowsOf = (csv: string): string[][] => parse(csv.replace(/^\ufeff/, ''), { relaxQuotes: false }).slice(1);

describe('W5 CSV streams W2\'s sessions', () => {
  it('when March (1 921 sessions, two keyset batches) is exported, then the file holds W2\'s rows in W2\'s order', async () => {
    const res = await exportFile('format=csv&from=2026-03-02&to=2026-03-31&include_cancelled=true');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="horario_20260302_20260331.csv"');
    expect(res.body.startsWith('\ufeffdate,day_name,start_time,end_time,blocks,group_number,program_code,subject,instructor_name,venue_code,campus_code,status\r\n')).toBe(true);
    expect(res.body.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const w2 = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/sessions?from=2026-03-02&to=2026-03-31&include_cancelled=true', headers: admin }));
    expect(w2).toHaveLength(5 * 384 + 1);
    const expected = w2.map((s: { date: string; start_time: string; group: { number: string }; subject: string; status: string; instructor: { full_name: string } }) => [
      s.date,
      s.start_time,
      s.group.number,
      s.subject.startsWith('=') ? `'${s.subject}` : s.subject,
      s.instructor.full_name,
      s.status,
    ]);
    expect(rowsOf(res.body).map((r) => [r[0], r[2], r[5], r[7], r[8], r[11]])).toEqual(expected);
    // The San José Monday is listed as cancelled only because include_cancelled asked for it.
    expect(rowsOf(res.body).filter((r) => r[0] === '2026-03-23').every((r) => r[11] === 'CANCELLED')).toBe(true);
    expect(rowsOf((await exportFile('format=csv&from=2026-03-02&to=2026-03-31')).body).some((r) => r[0] === '2026-03-23')).toBe(false);
  });

  it('when the window holds exactly 10 000 rows, then 200 with all of them; one more session, then 422 EXPORT_TOO_LARGE as JSON', async () => {
    // 384 × 26 Mondays + the Tuesday + 15 Mondays from 18 May = 10 000.
    await insertEntries(1, { dow: 1, from: '2026-05-18', to: '2026-08-31', subject: 'Tardía' });
    const query = 'format=csv&from=2026-03-02&to=2026-08-30&include_cancelled=true';
    const res = await exportFile(query);
    expect(res.statusCode).toBe(200);
    const rows = rowsOf(res.body);
    expect(rows).toHaveLength(10_000);
    const keys = rows.map((r) => `${r[0]} ${r[2]} ${r[5]}`);
    expect(keys).toEqual([...keys].sort());
    await insertEntries(1, { dow: 3, from: '2026-03-04', to: '2026-03-04', subject: 'Una más' });
    const err = expectError(await exportFile(query), 422, 'EXPORT_TOO_LARGE');
    expect(err.details).toEqual({ max_rows: 10_000 });
  });

  it('when the window exceeds 184 days or to is before from, then 422 VALIDATION_ERROR naming to, as JSON', async () => {
    const long = expectError(await exportFile('format=csv&from=2026-03-01&to=2026-09-01'), 422, 'VALIDATION_ERROR');
    expect(long.details).toMatchObject({ fields: [expect.objectContaining({ field: 'to' })] });
    expectError(await exportFile('format=ics&from=2026-03-10&to=2026-03-09'), 422, 'VALIDATION_ERROR');
    expectError(await exportFile('format=pdf&from=2026-03-09&to=2026-03-15'), 422, 'VALIDATION_ERROR');
  });
});

describe('W5 iCalendar', () => {
  it('when the window holds more than 10 000 scheduled sessions, then 422 EXPORT_TOO_LARGE before any event; under it, text/calendar', async () => {
    const query = 'format=ics&from=2026-03-02&to=2026-08-30';
    const ok = await exportFile(query);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('text/calendar; charset=utf-8');
    // Holidays hold no event (seven Mondays of 2026 in the window): 384 × 19 + 9 of the late Monday + the Tuesday + the Wednesday.
    expect(ok.body.match(/BEGIN:VEVENT/g)).toHaveLength(384 * 19 + 9 + 1 + 1);
    await insertEntries(120, { dow: 4, from: '2026-03-05', to: '2026-08-27', subject: 'Jueves' });
    const err = expectError(await exportFile(query), 422, 'EXPORT_TOO_LARGE');
    expect(err.details).toEqual({ max_rows: 10_000 });
  });
});

describe('W5 and S9 in the document', () => {
  it('then W5\'s 200 is text/calendar or text/csv and S9\'s text/csv, not JSON', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths['/api/v1/schedules/export'].get.responses['200'].content)).toEqual(['text/calendar', 'text/csv']);
    expect(Object.keys(doc.paths['/api/v1/schedules/import/templates/{kind}'].get.responses['200'].content)).toEqual(['text/csv']);
    const format = doc.paths['/api/v1/schedules/export'].get.parameters.find((p: { name: string }) => p.name === 'format');
    expect(JSON.stringify(format.schema)).toContain('"ics"');
  });
});
