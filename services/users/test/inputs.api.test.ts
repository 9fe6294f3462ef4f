/**
 * The OpenAPI document tells the truth (00-conventions §2, issue 10): the bounds, enums and alternatives
 * the server enforces are the ones its document states, because they are the same TypeBox schema; the
 * files are documented in their media types and the upload with its multipart body.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { bearer, PASSWORD, startUsers, type Harness } from './harness.ts';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; anyOf?: Schema[]; oneOf?: Schema[] };
interface Operation {
  parameters?: Array<{ name: string; in: string; schema: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}

let h: Harness;
let doc: { paths: Record<string, Record<string, Operation>> };
let coord: string;

beforeAll(async () => {
  h = await startUsers();
  coord = (await h.tokenFor('coordinador')).token;
  doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
});
afterAll(async () => {
  await h.close();
});

const op = (path: string, method: string) => doc.paths[path][method];
const param = (o: Operation, name: string) => o.parameters!.find((p) => p.name === name)!.schema;
const fieldsOf = (err: { details?: unknown }) => [...new Set((err.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field))];
const constants = (s: Schema) => s.enum as string[];

let n = 0;
const person = (extra: Record<string, unknown> = {}) => {
  n += 1;
  return { first_name: 'Camila', last_name: 'Gómez Ruiz', email: `entrada${n}@x.co`, document_type: 'CC', document_number: `7200${String(n).padStart(4, '0')}`, role: 'instructor', ...extra };
};
const create = (body: unknown) => h.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(coord), payload: body as object });

describe('files in their media types', () => {
  it('when the document is read, then B2 and B5 answer 200 in text/csv only, and B1 takes a multipart body with its file part', () => {
    for (const path of ['/api/v1/users/import/template', '/api/v1/users/export']) {
      expect(Object.keys(op(path, 'get').responses['200'].content!)).toEqual(['text/csv']);
    }
    const b1 = op('/api/v1/users/import', 'post');
    expect(Object.keys(b1.requestBody!.content)).toEqual(['multipart/form-data']);
    const body = b1.requestBody!.content['multipart/form-data'].schema;
    expect(body.required).toEqual(['file']);
    expect(body.properties!.file).toMatchObject({ type: 'string', contentMediaType: 'text/csv' });
    expect(constants(param(b1, 'role'))).toEqual(['aprendiz', 'instructor', 'apprentice']);
  });

  it('when a form field comes next to the file, then 422 naming it (the options are query parameters) and nothing is stored', async () => {
    const boundary = `----u${randomBytes(6).toString('hex')}`;
    const csv = 'first_name,last_name,email,document_type,document_number,role\nAna,Paz,ana.campo@x.co,CC,73000001,instructor\n';
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="dry_run"\r\n\r\nfalse\r\n`
      + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="u.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
    const before = await h.count('SELECT count(*) n FROM users.users');
    const err = expectError(await h.app.inject({
      method: 'POST', url: '/api/v1/users/import', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...bearer(coord) },
    }), 422, 'VALIDATION_ERROR');
    expect(fieldsOf(err)).toEqual(['dry_run']);
    expect(await h.count('SELECT count(*) n FROM users.users')).toBe(before);
  });

  it('when B1 names a query role other than aprendiz or instructor, then 422 naming role before the file is read', async () => {
    const err = expectError(await h.app.inject({ method: 'POST', url: '/api/v1/users/import?role=coordinador', headers: bearer(coord), payload: { a: 1 } }), 422, 'VALIDATION_ERROR');
    expect(fieldsOf(err)).toEqual(['role']);
  });
});

describe('names (§3.1): 2–100 characters, documented as enforced', () => {
  it('when the document is read, then first_name and last_name say 2–100 with the name pattern', () => {
    const body = op('/api/v1/users', 'post').requestBody!.content['application/json'].schema;
    for (const field of ['first_name', 'last_name']) expect(body.properties![field]).toMatchObject({ minLength: 2, maxLength: 100, pattern: expect.stringContaining('\\p{L}') });
    const me = op('/api/v1/users/me', 'patch').requestBody!.content['application/json'].schema;
    expect(me.properties!.first_name).toMatchObject({ minLength: 2, maxLength: 100 });
  });

  it('when a name has 1 or 101 characters or a digit, then 422 naming it; 2 and 100 are stored, spaces collapsed', async () => {
    expect(fieldsOf(expectError(await create(person({ first_name: 'A' })), 422, 'VALIDATION_ERROR'))).toContain('first_name');
    expect(fieldsOf(expectError(await create(person({ last_name: 'ñ'.repeat(101) })), 422, 'VALIDATION_ERROR'))).toContain('last_name');
    expect(fieldsOf(expectError(await create(person({ first_name: 'Ana 2' })), 422, 'VALIDATION_ERROR'))).toContain('first_name');
    expect(fieldsOf(expectError(await create(person({ first_name: ' A ' })), 422, 'VALIDATION_ERROR'))).toContain('first_name');
    expect(expectOk(await create(person({ first_name: 'Jo' })), 201).first_name).toBe('Jo');
    const long = expectOk(await create(person({ last_name: 'ñ'.repeat(100) })), 201);
    expect(long.last_name).toHaveLength(100);
    expect(expectOk(await create(person({ first_name: '  María   José ' })), 201).first_name).toBe('María José');
  });

  it('when role or document_type is outside its enum, then 422 naming it; an English role alias is accepted', async () => {
    expect(fieldsOf(expectError(await create(person({ role: 'superadmin' })), 422, 'VALIDATION_ERROR'))).toEqual(['role']);
    expect(fieldsOf(expectError(await create(person({ document_type: 'NIT' })), 422, 'VALIDATION_ERROR'))).toEqual(['document_type']);
    const body = op('/api/v1/users', 'post').requestBody!.content['application/json'].schema;
    expect(constants(body.properties!.role)).toEqual(['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz', 'apprentice', 'coordinator', 'administrative']);
    expect(constants(body.properties!.document_type)).toEqual(['CC', 'TI', 'CE', 'PA', 'PPT']);
    const admin = await h.tokenFor('admin');
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(admin.token), payload: person({ role: 'administrative' }) });
    expect(expectOk(res, 201).role).toBe('administrativo');
  });
});

describe('U1 and B5 query parameters', () => {
  it('when the document is read, then sort lists its 14 values and role is the comma list pattern', () => {
    for (const path of ['/api/v1/users', '/api/v1/users/export']) {
      const o = op(path, 'get');
      expect(constants(param(o, 'sort'))).toHaveLength(14);
      expect(constants(param(o, 'sort'))).toContain('-last_login_at');
      expect(param(o, 'role').pattern).toContain('aprendiz');
    }
  });

  it('when sort, role or search break their rule, then 422 naming the parameter; aliases and spaced lists pass', async () => {
    const list = (q: string) => h.app.inject({ method: 'GET', url: `/api/v1/users${q}`, headers: bearer(coord) });
    expect(fieldsOf(expectError(await list('?sort=password_hash'), 422, 'VALIDATION_ERROR'))).toEqual(['sort']);
    expect(fieldsOf(expectError(await list('?role=aprendiz,jefe'), 422, 'VALIDATION_ERROR'))).toEqual(['role']);
    expect(fieldsOf(expectError(await list(`?search=${encodeURIComponent(' a ')}`), 422, 'VALIDATION_ERROR'))).toEqual(['search']);
    const aprendiz = await h.addUser({ role: 'aprendiz', lastName: 'Alias Filtro' });
    const found = expectOk(await list(`?role=${encodeURIComponent('apprentice, instructor')}&search=alias%20filtro`));
    expect(found.map((u: { id: string }) => u.id)).toEqual([aprendiz.id]);
  });
});

describe('A1 body: identifier or its alias email, exactly one', () => {
  it('when the document is read, then the body is a oneOf of { identifier, password } and { email, password }', () => {
    const body = op('/api/v1/auth/login', 'post').requestBody!.content['application/json'].schema;
    expect(body.oneOf!.map((s) => s.required)).toEqual([['identifier', 'password'], ['email', 'password']]);
  });

  it('when both, neither or an unknown field are sent, then 422; either one alone logs in', async () => {
    const u = await h.addUser();
    const login = (payload: object) => h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
    expectError(await login({ identifier: u.email, email: u.email, password: PASSWORD }), 422, 'VALIDATION_ERROR');
    expectError(await login({ password: PASSWORD }), 422, 'VALIDATION_ERROR');
    expectError(await login({ identifier: u.email, password: PASSWORD, remember: true }), 422, 'VALIDATION_ERROR');
    expectOk(await login({ identifier: u.documentNumber, password: PASSWORD }));
    expectOk(await login({ email: u.email, password: PASSWORD }));
    expect(await h.count("SELECT count(*) n FROM users.security_events WHERE type='LOGIN_FAILED' AND user_id=$1", [u.id])).toBe(0);
  });
});

describe('other fields as enforced', () => {
  it('when phone, avatar_url, area or group_number break their documented rule, then 422 naming each', async () => {
    const err = expectError(await create(person({ phone: '12345', avatar_url: 'http://x.co/a.png', area: 'x'.repeat(101), group_number: '12' })), 422, 'VALIDATION_ERROR');
    expect(fieldsOf(err).sort()).toEqual(['area', 'avatar_url', 'group_number', 'phone']);
    const ok = expectOk(await create(person({ phone: '(300) 123-4567', avatar_url: 'https://x.co/a.png', area: 'a'.repeat(100) })), 201);
    expect(ok).toMatchObject({ phone: '+573001234567', avatar_url: 'https://x.co/a.png' });
  });
});
