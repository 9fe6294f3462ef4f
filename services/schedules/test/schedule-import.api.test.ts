import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, form, multipart, setupBasics, type Harness } from './harness.ts';

let h: Harness;
let b: Awaited<ReturnType<typeof setupBasics>>;
const docs = ['1019023456', '52345678', '79845123', '1032456789'];

beforeAll(async () => {
  h = await createHarness();
  b = await setupBasics(h);
  for (const d of docs) h.users.add({ role: 'instructor', document_number: d });
});
afterAll(async () => h.close());

const HEADER = 'group_number,instructor_document,venue_code,subject,day_of_week,start_time,end_time,blocks,start_date,end_date,notes';

/** 20 valid rows for two fichas: each ficha 10 one-hour blocks (Monday–Friday × 2), no clashes. */
function twentyRows(start = '2026-04-06', end = '2026-06-28') {
  const rows: string[] = [];
  const days = ['LUN', 'MAR', 'MIE', 'JUE', 'VIE'];
  days.forEach((d, i) => {
    rows.push(`${b.groupA.number},${docs[0]},205,Backend ${d},,,,M${d}1-M${d}2,${start},${end},`);
    rows.push(`${b.groupA.number},${docs[1]},205,Bases ${d},,,,M${d}3,${start},${end},`);
    rows.push(`${b.groupB.number},${docs[2]},412,Lógica ${d},${i + 1},06:00,08:00,,${start},${end},`);
    rows.push(`${b.groupB.number},${docs[3]},412,Inglés ${d},${i + 1},8:00,09:00,,${start},${end},Traer diccionario`);
  });
  return [HEADER, ...rows].join('\r\n') + '\r\n';
}

const upload = async (csv: string | Uint8Array, query = '') => {
  const m = multipart(csv);
  return h.app.inject({ method: 'POST', url: `/api/v1/schedules/import${query}`, headers: { ...(await h.as('coordinador')), ...m.headers }, payload: m.payload });
};
const entryCount = async () => (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schedules.schedule_entries'))[0].n;

describe('US-SCH-11 load a trimester by CSV', () => {
  it('when dry_run=true, then 200 with valid_rows=20, created=0 and nothing stored', async () => {
    const report = expectOk(await upload(twentyRows(), '?dry_run=true'), 200);
    expect(report).toMatchObject({ dry_run: true, total_rows: 20, valid_rows: 20, created: 0, error_rows: 0 });
    expect(await entryCount()).toBe(0);
  });

  it('when 20 valid rows for two fichas are uploaded, then 201 created=20, S1 lists them, one published per ficha and per instructor', async () => {
    const report = expectOk(await upload(twentyRows()), 201);
    expect(report).toMatchObject({ created: 20, skipped: 0 });
    expect(report.created_ids[0]).toMatchObject({ line: 2 });
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/schedules?page_size=100', headers: await h.as('admin') });
    expect(res.json().meta.pagination.total).toBe(20);
    const out = await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM schedules.outbox WHERE body->>'type' = 'schedule.published'");
    expect(out[0].n).toBe(2 + 4);
  });

  it('when the same file is uploaded again with on_existing=skip, then 201 created=0 skipped=20; without skip, 422', async () => {
    expect(expectOk(await upload(twentyRows(), '?on_existing=skip'), 201)).toMatchObject({ created: 0, skipped: 20 });
    const err = expectError(await upload(twentyRows()), 422, 'CSV_VALIDATION_FAILED');
    expect((err.details as { error_rows: number }).error_rows).toBe(20);
    expect((err.details as { errors: Array<{ code: string }> }).errors[0].code).toBe('SCHEDULE_CONFLICT');
    expect(await entryCount()).toBe(20);
  });
});

describe('US-SCH-12 CSV errors, nothing half-written', () => {
  it('when line 4 has an unknown document, line 9 is outside the shift and line 15 clashes with line 6 on the venue, then 422 naming those lines and nothing stored', async () => {
    const rows: string[] = [];
    for (let line = 2; line <= 16; line++) {
      const day = ((line - 2) % 5) + 1;
      const hour = 6 + Math.floor((line - 2) / 5);
      let row = `${b.groupA.number},${docs[0]},205,Fila ${line},${day},${String(hour).padStart(2, '0')}:00,${String(hour + 1).padStart(2, '0')}:00,,2026-09-07,2026-11-29,`;
      if (line === 4) row = row.replace(docs[0], '99999999');
      if (line === 9) row = `${b.groupA.number},${docs[0]},205,Fila 9,3,14:00,15:00,,2026-09-07,2026-11-29,`;
      // Line 6 is Friday 06:00 in 205 with ficha A; line 15 books 205 at the same time for ficha B with another instructor.
      if (line === 15) row = `${b.groupB.number},${docs[1]},205,Fila 15,5,06:00,07:00,,2026-09-07,2026-11-29,`;
      rows.push(row);
    }
    const before = await entryCount();
    const err = expectError(await upload([HEADER, ...rows].join('\n') + '\n'), 422, 'CSV_VALIDATION_FAILED');
    const report = err.details as { errors: Array<{ line: number; code: string; message: string }>; error_rows: number };
    expect(report.errors.map((e) => [e.line, e.code])).toEqual([
      [4, 'INVALID_INSTRUCTOR'],
      [9, 'OUTSIDE_SHIFT'],
      [15, 'SCHEDULE_CONFLICT'],
    ]);
    expect(report.errors[2].message).toContain('línea 6');
    expect(await entryCount()).toBe(before);
  });

  it('when the header lacks subject, then 400 CSV_HEADER_INVALID; Windows-1252 → 400 CSV_ENCODING_INVALID; 5 001 rows → 422 CSV_TOO_MANY_ROWS; empty → 400 CSV_EMPTY', async () => {
    expectError(await upload('group_number,instructor_document,venue_code,blocks,start_date,end_date\n1,2,3,MLUN1,2026-01-01,2026-02-01\n'), 400, 'CSV_HEADER_INVALID');
    const latin = Buffer.concat([Buffer.from(`${HEADER}\n${b.groupA.number},${docs[0]},205,Mart`), Buffer.from([0xed]), Buffer.from('nez,1,06:00,07:00,,2026-09-07,2026-11-29,\n')]);
    const enc = expectError(await upload(latin), 400, 'CSV_ENCODING_INVALID');
    expect(enc.details).toMatchObject({ line: 2 });
    const many = [HEADER, ...Array.from({ length: 5001 }, () => `${b.groupA.number},${docs[0]},205,X,1,06:00,07:00,,2026-09-07,2026-11-29,`)].join('\n');
    expectError(await upload(many), 422, 'CSV_TOO_MANY_ROWS');
    expectError(await upload(''), 400, 'CSV_EMPTY');
  });

  it('when the upload is not a CSV, then 415', async () => {
    const m = multipart('x', 'horario.pdf', 'application/pdf');
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/import', headers: { ...(await h.as('admin')), ...m.headers }, payload: m.payload }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/import', headers: await h.as('admin'), payload: { file: HEADER } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('when a ;-delimited file has Spanish headers and miércoles as day, then it imports', async () => {
    const csv = `ficha;documento_instructor;ambiente;competencia;dia;hora_inicio;hora_fin;fecha_inicio;fecha_fin\n${b.groupB.number};${docs[2]};412;Ética;miércoles;10:00;12:00;07/09/2026;29/11/2026\n`;
    const report = expectOk(await upload(csv), 201);
    expect(report.created).toBe(1);
    const [row] = await h.db.query<{ day_of_week: number; start_date: string }>('SELECT day_of_week, start_date::text FROM schedules.schedule_entries WHERE id = $1', [report.created_ids[0].id]);
    expect(row).toEqual({ day_of_week: 3, start_date: '2026-09-07' });
  });

  it('when the S9 template is downloaded, then it is UTF-8 with BOM, CRLF and two example rows', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/schedules/import/templates/schedules', headers: await h.as('admin') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body.startsWith('\ufeffgroup_number,')).toBe(true);
    expect(res.body.split('\r\n').filter(Boolean)).toHaveLength(3);
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/import/templates/schedules', headers: await h.as('instructor') }), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});

describe('§6.1 transport through the platform\'s upload reader', () => {
  const post = async (parts: Parameters<typeof form>[0], query = '') => {
    const f = form(parts);
    return h.app.inject({ method: 'POST', url: `/api/v1/schedules/import${query}`, headers: { ...(await h.as('coordinador')), ...f.headers }, payload: f.payload });
  };
  const file = (csv: string) => ({ name: 'file', value: csv, filename: 'horarios.csv', type: 'text/csv' });
  const oneRow = () => `${HEADER}\r\n${b.groupB.number},${docs[2]},412,Emprendimiento,6,06:00,08:00,,2026-09-07,2026-11-29,\r\n`;

  it('when the form has no file part, then 422 VALIDATION_ERROR naming file (the local reader said 415)', async () => {
    const err = expectError(await post([{ name: 'dry_run', value: 'true' }]), 422, 'VALIDATION_ERROR');
    expect(err.details).toEqual({ fields: [expect.objectContaining({ field: 'file', reason: 'required' })] });
  });

  it('when the file is over SCHEDULES_CSV_MAX_BYTES, then 413 with max_bytes', async () => {
    const err = expectError(await upload('x'.repeat(5 * 1024 * 1024 + 1)), 413, 'PAYLOAD_TOO_LARGE');
    expect(err.details).toEqual({ max_bytes: 5 * 1024 * 1024 });
  });

  it('when dry_run=true and on_existing=skip come as form fields before the file, then they apply', async () => {
    const before = await entryCount();
    expect(expectOk(await post([{ name: 'dry_run', value: 'true' }, file(oneRow())]), 200)).toMatchObject({ dry_run: true, valid_rows: 1, created: 0 });
    expect(await entryCount()).toBe(before);
    expect(expectOk(await post([{ name: 'dry_run', value: 'false' }, file(oneRow())]), 201)).toMatchObject({ created: 1 });
    expect(expectOk(await post([{ name: 'on_existing', value: 'skip' }, file(oneRow())]), 201)).toMatchObject({ created: 0, skipped: 1 });
    // The query wins over a form field.
    expect(expectOk(await post([{ name: 'dry_run', value: 'false' }, file(oneRow())], '?dry_run=true&on_existing=skip'), 200)).toMatchObject({ dry_run: true, skipped: 1 });
    expect(await entryCount()).toBe(before + 1);
  });

  it('when a form field is outside its enum or unknown, then 422 naming it and nothing written (a mistyped dry_run never imports)', async () => {
    const before = await entryCount();
    const row = `${HEADER}\r\n${b.groupB.number},${docs[2]},412,Ética,6,08:00,10:00,,2026-09-07,2026-11-29,\r\n`;
    for (const [name, value] of [['dry_run', 'sí'], ['on_existing', 'overwrite'], ['dryrun', 'true']]) {
      const err = expectError(await post([{ name, value }, file(row)]), 422, 'VALIDATION_ERROR');
      expect(err.details).toEqual({ fields: [expect.objectContaining({ field: name })] });
    }
    expect(await entryCount()).toBe(before);
  });

  it('then every import documents its multipart body: the file part and the option fields with their enums', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const path of ['/api/v1/schedules/import', '/api/v1/programs/import', '/api/v1/venues/import', '/api/v1/groups/import']) {
      const body = doc.paths[path].post.requestBody;
      expect(Object.keys(body.content), path).toEqual(['multipart/form-data']);
      const schema = body.content['multipart/form-data'].schema;
      expect(schema.required).toEqual(['file']);
      expect(schema.properties.file).toMatchObject({ type: 'string', contentMediaType: 'text/csv' });
      expect(JSON.stringify(schema.properties.dry_run)).toContain('"true"');
      expect(JSON.stringify(schema.properties.on_existing)).toContain('"skip"');
      expect(schema.additionalProperties).toBe(false);
    }
  });
});
