/**
 * B2 template and B5 export as files (§6.2, §6.3): documented as text/csv, streamed a keyset batch at a
 * time in U1's order, refusals still JSON envelopes, the 50 000-row cap checked before the first byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '@sicora/platform/testing/http';
import { bearer, startUsers, type Harness } from './harness.ts';

let h: Harness;
let coord: string;

/** Keyset reads of 500 rows here (5 000 in service): 1 100 people cross two batch boundaries as 11 000 would. */
const BATCH = 500;
const PEOPLE = 1_100;

beforeAll(async () => {
  h = await startUsers({ overrides: { exportBatchSize: BATCH } });
  coord = (await h.tokenFor('coordinador')).token;
  // 1 100 people (three keyset batches of 500) with many ties on every sort column: 13 last
  // names, 7 creation instants a microsecond apart (a JS Date would lose that), a third never logged in.
  await h.db.query(`
    INSERT INTO users.users (first_name, last_name, email, document_type, document_number, role, group_number, search_text, must_change_password, created_at, updated_at, last_login_at)
    SELECT 'Ana', 'Serie ' || chr(65 + i % 13), 'serie' || i || '@x.co', 'CC', (80000000 + i)::text, 'aprendiz', '2826503', 'ana serie', false,
      timestamptz '2026-03-01 10:00:00+00' + (i % 7) * interval '1 microsecond', timestamptz '2026-03-01 10:00:00+00',
      CASE WHEN i % 3 = 0 THEN NULL ELSE timestamptz '2026-03-01 12:00:00+00' + (i % 5) * interval '1 second' END
    FROM generate_series(1, $1::int) i`, [PEOPLE]);
});
afterAll(async () => {
  await h.close();
});

const exportCsv = (query: string, token = coord) => h.app.inject({ method: 'GET', url: `/api/v1/users/export${query}`, headers: bearer(token) });
const idsOf = (csv: string) => csv.split('\r\n').slice(1).filter(Boolean).map((line) => line.split(',')[0]);

describe('B5 streams every row once, in U1 order', () => {
  const ORDERS: Array<[string, string]> = [
    ['last_name', 'last_name ASC NULLS FIRST, id ASC'],
    ['last_login_at', 'last_login_at ASC NULLS FIRST, id ASC'],
    ['-last_login_at', 'last_login_at DESC NULLS LAST, id DESC'],
    ['-created_at', 'created_at DESC NULLS LAST, id DESC'],
  ];
  for (const [sort, orderBy] of ORDERS) {
    it(`when 1 100 matching users (three keyset batches) are exported with sort=${sort}, then the file holds each once, in the database's order`, async () => {
      const res = await exportCsv(`?group_number=2826503&sort=${sort}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      const expected = (await h.db.query<{ id: string }>(`SELECT id FROM users.users WHERE deleted_at IS NULL AND group_number = '2826503' ORDER BY ${orderBy}`)).map((r) => r.id);
      const ids = idsOf(res.body);
      expect(ids).toHaveLength(PEOPLE);
      expect(new Set(ids).size).toBe(PEOPLE);
      expect(ids).toEqual(expected);
    });
  }

  it('when the U1 filters are used, then the export has the rows U1 lists and U1\'s first page starts the file', async () => {
    const csv = idsOf((await exportCsv('?search=serie&sort=email')).body);
    const list = await h.app.inject({ method: 'GET', url: '/api/v1/users?search=serie&sort=email&page_size=100', headers: bearer(coord) });
    expect(list.json().meta.pagination.total).toBe(csv.length);
    expect(csv.slice(0, 100)).toEqual(list.json().data.map((u: { id: string }) => u.id));
  });

  it('when timestamps are written, then they are Bogotá local time with the offset, and a never-logged-in user has an empty cell', async () => {
    const rows = (await exportCsv('?group_number=2826503&sort=last_login_at')).body.split('\r\n');
    expect(rows[1]).toMatch(/,false,,2026-03-01T05:00:00-05:00$/);
    expect(rows[PEOPLE]).toMatch(/,false,2026-03-01T07:00:0\d-05:00,2026-03-01T05:00:00-05:00$/);
  });

  it('when a filter or sort is refused, then the answer is a JSON error envelope, not a file', async () => {
    const bad = await exportCsv('?sort=password_hash');
    expect(bad.headers['content-type']).toContain('application/json');
    expectError(bad, 422, 'VALIDATION_ERROR');
    expectError(await exportCsv('?include_deleted=true'), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});

describe('B5 cap (§6.3) and B2 template', () => {
  it('when more than 50 000 users match, then 422 EXPORT_TOO_LARGE as JSON; a narrower filter exports', async () => {
    const other = await startUsers();
    try {
      const token = (await other.tokenFor('administrativo')).token;
      await other.db.query(`
        INSERT INTO users.users (first_name, last_name, email, document_type, document_number, role, search_text, must_change_password)
        SELECT 'Ana', 'Masiva', 'masiva' || i || '@x.co', 'CC', (90000000 + i)::text, 'instructor', 'ana masiva', false FROM generate_series(1, 50000) i`);
      const total = await other.count('SELECT count(*) n FROM users.users WHERE deleted_at IS NULL');
      expect(total).toBeGreaterThan(50_000);
      const big = await other.app.inject({ method: 'GET', url: '/api/v1/users/export', headers: bearer(token) });
      expect(big.headers['content-type']).toContain('application/json');
      expectError(big, 422, 'EXPORT_TOO_LARGE');
      // Exactly 50 000 rows is still allowed: the file starts (read only its first chunk; the rest streams on demand).
      const capped = await other.app.inject({ method: 'GET', url: '/api/v1/users/export?role=instructor&search=masiva', headers: bearer(token), payloadAsStream: true });
      expect(capped.statusCode).toBe(200);
      expect(capped.headers['content-type']).toBe('text/csv; charset=utf-8');
      const stream = capped.stream();
      const [first] = await stream.take(1).toArray();
      stream.destroy();
      expect(String(first)).toMatch(/^\ufeffid,first_name,/);
    } finally {
      await other.close();
    }
  }, 120_000);

  it('when staff download the template, then it is built by the platform: BOM, CRLF, header and the two §6.2 rows', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/users/import/template', headers: bearer(coord) });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="plantilla_usuarios.csv"');
    expect(res.body).toBe('\ufeff' + [
      'first_name,last_name,email,document_type,document_number,role,group_number,phone,area',
      'Sara Lucía,Méndez Rivera,sara.mendez@demo.sicora.test,CC,1023999001,aprendiz,2826503,3001234567,',
      'Óscar Iván,Prieto Salcedo,oscar.prieto@demo.sicora.test,CC,79999002,instructor,,3109876543,Teleinformática',
    ].join('\r\n') + '\r\n');
  });
});
