import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { bearer, startUsers, type Harness } from './harness.ts';

let h: Harness;
let coord: string;
let administrativo: string;

beforeAll(async () => {
  h = await startUsers();
  coord = (await h.tokenFor('coordinador')).token;
  administrativo = (await h.tokenFor('administrativo')).token;
  h.groups.add({ number: '2826503' });
  h.groups.add({ number: '2901817', max_apprentices: 3 });
  h.groups.add({ number: '1000001', is_active: false });
});
afterAll(async () => {
  await h.close();
});

function multipart(content: Buffer | string, opts: { filename?: string; type?: string; field?: string } = {}) {
  const boundary = `----sicora${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${opts.field ?? 'file'}"; filename="${opts.filename ?? 'usuarios.csv'}"\r\nContent-Type: ${opts.type ?? 'text/csv'}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), Buffer.isBuffer(content) ? content : Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const upload = (token: string, content: Buffer | string, query = '', opts: Parameters<typeof multipart>[1] = {}) => {
  const { payload, headers } = multipart(content, opts);
  return h.app.inject({ method: 'POST', url: `/api/v1/users/import${query}`, payload, headers: { ...headers, ...bearer(token) } });
};

const HEADER = 'first_name,last_name,email,document_type,document_number,role,group_number';
const apprentice = (i: number, prefix = '10234560') => `Laura ${String.fromCharCode(65 + (i % 26))},Gómez Ruiz,laura.${prefix}${i}@demo.sicora.test,CC,${prefix}${String(i).padStart(2, '0')},aprendiz,2826503`;
const userCount = () => h.count('SELECT count(*) n FROM users.users');

describe('US-USR-19 CSV load of apprentices', () => {
  it('when dry_run=true is sent with 30 valid rows, then 200 with valid_rows=30, created=0 and nothing stored', async () => {
    const csv = [HEADER, ...Array.from({ length: 30 }, (_, i) => apprentice(i, '10234561'))].join('\n');
    const before = await userCount();
    const report = expectOk(await upload(coord, csv, '?dry_run=true'), 200);
    expect(report).toMatchObject({ dry_run: true, total_rows: 30, valid_rows: 30, created: 0, error_rows: 0, errors: [] });
    expect(await userCount()).toBe(before);
  });

  it('when a valid CSV of 30 apprentices for ficha 2826503 is loaded, then 201, created=30, welcomes queued, each logs in with the document', async () => {
    const csv = [HEADER, ...Array.from({ length: 30 }, (_, i) => apprentice(i))].join('\r\n') + '\r\n';
    const res = await upload(coord, csv);
    const report = expectOk(res, 201);
    expect(report).toMatchObject({ dry_run: false, total_rows: 30, valid_rows: 30, created: 30, skipped: 0 });
    expect(report.created_users[0]).toMatchObject({ line: 2, document_number: '1023456000', role: 'aprendiz', group_number: '2826503' });
    for (const u of report.created_users as Array<{ document_number: string }>) {
      expect((await h.login(u.document_number, u.document_number)).must_change_password).toBe(true);
    }
    expect(await h.count("SELECT count(*) n FROM users.outbox WHERE body->>'type'='user.welcome'")).toBe(30);
    const [ev] = await h.db.query<{ details: Record<string, number> }>("SELECT details FROM users.security_events WHERE type='USERS_IMPORTED'");
    expect(ev.details).toMatchObject({ created: 30 });
    expect(h.groups.calls).toBeGreaterThan(0);
  });

  it('when the file uses ; with a UTF-8 BOM and Spanish headers, then it imports the same way', async () => {
    const csv = '\ufeffNombres;Apellidos;Correo;Tipo_Documento;Documento;Rol;Ficha\n' +
      'María José;Rojas Cárdenas;maria.rojas23@demo.sicora.test;CC;1.023.456.123;aprendiz;2826503\n\n' +
      'Santiago;Torres Díaz;santiago.torres24@demo.sicora.test;TI;1023456124;apprentice;2826503\n';
    const report = expectOk(await upload(administrativo, csv), 201);
    expect(report.created).toBe(2);
    expect(report.created_users.map((u: { line: number }) => u.line)).toEqual([2, 4]);
    expect(report.created_users[0].document_number).toBe('1023456123');
  });

  it('when the file has no role column, then the query role applies; other roles are row errors', async () => {
    const csv = 'nombres,apellidos,correo,tipo_documento,documento,area\nÓscar,Prieto Salcedo,oscar.p@demo.sicora.test,CC,79999002,Teleinformática\n';
    const report = expectOk(await upload(coord, csv, '?role=instructor'), 201);
    expect(report.created_users[0].role).toBe('instructor');
    const bad = expectError(await upload(coord, `${HEADER.replace(',group_number', '')}\nAna,Paz,ana.paz@x.co,CC,79999003,coordinador\n`), 422, 'CSV_VALIDATION_FAILED');
    expect((bad.details as { errors: Array<{ code: string }> }).errors[0].code).toBe('ROLE_NOT_ALLOWED');
  });
});

// The full 10 000-row file (R7's ceiling) is timed and checked by `npm run bench -- users`; here a file
// one row past an insert chunk (1 000 rows a statement) proves the same rule: every chunk in one
// transaction, one USERS_IMPORTED event, one welcome per user.
describe('US-USR-19 a file of several insert chunks', () => {
  it('when 1 001 apprentices are loaded, then all are created in one transaction with one USERS_IMPORTED event', async () => {
    const rows = Array.from({ length: 1_001 }, (_, i) => `Ana María,Pérez Gil,ana.perez${i}@demo.sicora.test,CC,${30_000_000 + i},aprendiz,2826503`);
    const before = await userCount();
    const report = expectOk(await upload(coord, [HEADER, ...rows].join('\r\n')), 201);
    expect(report).toMatchObject({ total_rows: 1_001, created: 1_001 });
    expect(report.created_users[1_000]).toMatchObject({ line: 1_002, document_number: '30001000' });
    expect(await userCount()).toBe(before + 1_001);
    expect(await h.count("SELECT count(*) n FROM users.security_events WHERE type='USERS_IMPORTED' AND (details->>'created')::int = 1001")).toBe(1);
    expect(await h.count("SELECT count(*) n FROM users.outbox WHERE body->>'type'='user.welcome' AND body->'data'->'login_identifiers'->>'document_number' LIKE '3000%'")).toBe(1_001);
  });
});

describe('US-USR-20 CSV errors, nothing half-written', () => {
  it('when line 7 has a bad e-mail and line 12 repeats line 3\'s document, then 422 naming both lines and nothing is stored', async () => {
    const rows = Array.from({ length: 11 }, (_, i) => apprentice(i, '10234562'));
    rows[5] = rows[5].replace(/laura\.[^,]+/, 'no-es-un-correo');
    rows[10] = rows[10].replace(/,CC,\d+,/, `,CC,${'10234562'}01,`);
    const before = await userCount();
    const err = expectError(await upload(coord, [HEADER, ...rows].join('\n')), 422, 'CSV_VALIDATION_FAILED');
    const report = err.details as { errors: Array<{ line: number; code: string; column: string; message: string }>; created: number; error_rows: number };
    expect(report.errors.map((e) => [e.line, e.code])).toEqual([[7, 'VALIDATION_ERROR'], [12, 'DUPLICATE_IN_FILE']]);
    expect(report.errors[1].message).toContain('línea 3');
    expect(report).toMatchObject({ created: 0, error_rows: 2 });
    expect(await userCount()).toBe(before);
  });

  it('when a row\'s document exists, then DOCUMENT_ALREADY_EXISTS; with on_existing=skip and the same e-mail it is skipped and the rest created', async () => {
    const existing = await h.addUser({ role: 'aprendiz', documentNumber: '1023456399', email: 'ya.existe@demo.sicora.test', groupNumber: '2826503' });
    const csv = [HEADER, `Ya,Existe,${existing.email},CC,${existing.documentNumber},aprendiz,2826503`, apprentice(1, '10234564')].join('\n');
    const err = expectError(await upload(coord, csv), 422, 'CSV_VALIDATION_FAILED');
    expect((err.details as { errors: Array<{ code: string; line: number }> }).errors.map((e) => [e.line, e.code])).toEqual([[2, 'EMAIL_ALREADY_EXISTS'], [2, 'DOCUMENT_ALREADY_EXISTS']]);
    const report = expectOk(await upload(coord, csv, '?on_existing=skip'), 201);
    expect(report).toMatchObject({ created: 1, skipped: 1 });
    const partial = [HEADER, `Ya,Existe,otro.correo@demo.sicora.test,CC,${existing.documentNumber},aprendiz,2826503`].join('\n');
    const perr = expectError(await upload(coord, partial, '?on_existing=skip'), 422, 'CSV_VALIDATION_FAILED');
    expect((perr.details as { errors: Array<{ code: string }> }).errors.map((e) => e.code)).toEqual(['DOCUMENT_ALREADY_EXISTS']);
  });

  it('when fichas are unknown, inactive or full across the file, then each row says so', async () => {
    const csv = [HEADER,
      'Ana,Uno,a1@x.co,CC,70000001,aprendiz,9999999',
      'Ana,Dos,a2@x.co,CC,70000002,aprendiz,1000001',
      ...[3, 4, 5, 6].map((i) => `Ana,Tres,a${i}@x.co,CC,7000000${i},aprendiz,2901817`),
      'Ana,Siete,a7@x.co,CC,70000007,instructor,2901817',
      'Ana,Ocho,a8@x.co,CC,70000008,aprendiz,',
    ].join('\n');
    const err = expectError(await upload(coord, csv), 422, 'CSV_VALIDATION_FAILED');
    expect((err.details as { errors: Array<{ code: string; line: number }> }).errors.map((e) => [e.line, e.code])).toEqual([
      [2, 'GROUP_NOT_FOUND'], [3, 'GROUP_INACTIVE'], [7, 'GROUP_FULL'], [8, 'GROUP_NOT_ALLOWED'], [9, 'GROUP_REQUIRED'],
    ]);
  });

  it('when the header lacks email, the bytes are Latin-1, the file is empty or 5 MiB + 1, then 400/400/400/413 and nothing is stored', async () => {
    const before = await userCount();
    const header = expectError(await upload(coord, 'first_name,last_name,document_type,document_number,role\nA,B,CC,12345678,instructor\n'), 400, 'CSV_HEADER_INVALID');
    expect((header.details as { missing: string[]; expected: string[] }).missing).toEqual(['email']);
    const latin1 = Buffer.from(`${HEADER}\nJos\xe9,Pe\xf1a,jose@x.co,CC,70000009,instructor,\n`, 'latin1');
    const enc = expectError(await upload(coord, latin1), 400, 'CSV_ENCODING_INVALID');
    expect(enc.details).toEqual({ line: 2 });
    expect(enc.message).toContain('CSV UTF-8');
    expectError(await upload(coord, ''), 400, 'CSV_EMPTY');
    expectError(await upload(coord, `${HEADER}\n\n`), 400, 'CSV_EMPTY');
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 'a');
    expectError(await upload(coord, big), 413, 'PAYLOAD_TOO_LARGE');
    expectError(await upload(coord, 'first_name,last_name,email,email,document_type,document_number,role\n'), 400, 'CSV_HEADER_INVALID');
    expectError(await upload(coord, `${HEADER},apodo\n`), 400, 'CSV_HEADER_INVALID');
    expect(await userCount()).toBe(before);
  });

  it('when the part is not a .csv or not multipart, then 415; 10 001 rows are 422 CSV_TOO_MANY_ROWS', async () => {
    expectError(await upload(coord, `${HEADER}\n`, '', { filename: 'usuarios.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await upload(coord, `${HEADER}\n`, '', { type: 'image/png' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/users/import', headers: bearer(coord), payload: { a: 1 } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const rows = Array.from({ length: 10_001 }, (_, i) => `A,B,x${i}@x.co,CC,${80000000 + i},instructor,`);
    expectError(await upload(coord, [HEADER, ...rows].join('\n')), 422, 'CSV_TOO_MANY_ROWS');
  });
});

describe('B1 while schedules is down', () => {
  it('when fichas cannot be resolved, then 503 SERVICE_UNAVAILABLE and nothing is stored', async () => {
    const before = await userCount();
    const original = h.groups.byNumbers;
    h.groups.byNumbers = async () => {
      const { errors } = await import('@sicora/platform/errors');
      throw errors.unavailable({ service: 'schedules' });
    };
    try {
      expectError(await upload(coord, [HEADER, apprentice(1, '10234569')].join('\n')), 503, 'SERVICE_UNAVAILABLE');
    } finally {
      h.groups.byNumbers = original;
    }
    expect(await userCount()).toBe(before);
  });
});

describe('B2 template and permissions', () => {
  it('when staff download the template, then it is the §6.2 file; instructors get 403', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/users/import/template', headers: bearer(administrativo) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('plantilla_usuarios.csv');
    expect(res.body.startsWith('\ufefffirst_name,last_name,email,document_type,document_number,role,group_number,phone,area\r\n')).toBe(true);
    expect(res.body.split('\r\n')).toHaveLength(4);
    const instr = await h.tokenFor('instructor');
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/users/import/template', headers: bearer(instr.token) }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await upload(instr.token, `${HEADER}\n`), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});
