/** E1–E8 (US-EVI-01, US-EVI-02): the question bank, its rules and the CSV bulk upload. */
import { describe, expect, it } from 'vitest';
import { expectError, expectOk } from './http.ts';
import { ROLES, useHarness } from './harness.ts';

const ref = useHarness();
const URL = '/api/v1/evalin/questions';

function upload(csv: string | Buffer, query = '', name = 'preguntas.csv', type = 'text/csv') {
  const boundary = '----evalin';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`;
  const payload = Buffer.concat([Buffer.from(head), Buffer.isBuffer(csv) ? csv : Buffer.from(csv), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return async () => ref.h.app.inject({ method: 'POST', url: `${URL}/bulk-upload${query}`, headers: { ...(await ref.h.as(ref.h.admin)), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
}

describe('question bank (E1–E6)', () => {
  it('when the admin posts a likert question in "Dominio del Tema", then 201, active, order_index = highest + 1', async () => {
    const h = ref.h;
    const a = expectOk(await h.inject('POST', URL, h.admin, { text: 'El instructor domina el tema.', question_type: 'likert', category: 'Dominio del Tema' }), 201);
    expect(a).toMatchObject({ is_active: true, order_index: 1, is_required: true, options: null, locked: false, questionnaire_count: 0 });
    const b = expectOk(await h.inject('POST', URL, h.admin, { text: 'Resuelve con seguridad las dudas técnicas.', question_type: 'ESCALA', category: 'dominio del tema' }), 201);
    expect(b).toMatchObject({ question_type: 'likert', order_index: 2 });
    const t = expectOk(await h.inject('POST', URL, h.admin, { text: '¿Qué fortalezas destaca del instructor?', question_type: 'abierta', category: 'Preguntas abiertas' }), 201);
    expect(t).toMatchObject({ question_type: 'text', is_required: false });
  });

  it('when the same text is posted with other case and double spaces, then 409 QUESTION_ALREADY_EXISTS', async () => {
    const h = ref.h;
    const err = expectError(await h.inject('POST', URL, h.admin, { text: 'el instructor  domina el tema.', question_type: 'likert', category: 'Otra' }), 409, 'QUESTION_ALREADY_EXISTS');
    expect(err.details.question_id).toBeTruthy();
  });

  it('when options break R3, then 422 QUESTION_OPTIONS_INVALID with the reason', async () => {
    const h = ref.h;
    const post = (options: unknown, type = 'single_choice') => h.inject('POST', URL, h.admin, { text: 'Pregunta con opciones de prueba', question_type: type, category: 'Recursos', options });
    expect(expectError(await post(['Sí']), 422, 'QUESTION_OPTIONS_INVALID').details.reason).toBe('too_few');
    expect(expectError(await post(['Sí', 'sí']), 422, 'QUESTION_OPTIONS_INVALID').details.reason).toBe('duplicate');
    expect(expectError(await post(Array.from({ length: 11 }, (_, i) => `O${i}`)), 422, 'QUESTION_OPTIONS_INVALID').details.reason).toBe('too_many');
    expect(expectError(await post(['x'.repeat(101), 'b']), 422, 'QUESTION_OPTIONS_INVALID').details.reason).toBe('too_long');
    expect(expectError(await post(['a', 'b'], 'likert'), 422, 'QUESTION_OPTIONS_INVALID').details.reason).toBe('not_allowed');
    expect(expectOk(await post(['Siempre', ' ', 'Nunca']), 201).options).toEqual(['Siempre', 'Nunca']);
  });

  it('when text is short, type unknown or order_index negative, then 422 VALIDATION_ERROR', async () => {
    const h = ref.h;
    expectError(await h.inject('POST', URL, h.admin, { text: 'Corta', question_type: 'likert', category: 'Xx' }), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('POST', URL, h.admin, { text: 'Un texto suficientemente largo', question_type: 'semaforo', category: 'Xx' }), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('POST', URL, h.admin, { text: 'Un texto suficientemente largo', question_type: 'likert', category: 'Xx', order_index: -1 }), 422, 'VALIDATION_ERROR');
  });

  it('when E1 filters by type alias, category and an accent-free search, then only matching live questions come back', async () => {
    const h = ref.h;
    const list = (q: string) => h.inject('GET', `${URL}?${q}`, h.x);
    expect(expectOk(await list('question_type=escala')).map((q: { text: string }) => q.text)).toEqual(['El instructor domina el tema.', 'Resuelve con seguridad las dudas técnicas.']);
    expect(expectOk(await list('category=DOMINIO%20DEL%20TEMA')).length).toBe(2);
    expect(expectOk(await list('search=TECNICAS')).length).toBe(1);
    expectError(await list('sort=colour'), 422, 'VALIDATION_ERROR');
  });

  it('when E6 is read, then categories are grouped case-insensitively with the most used spelling', async () => {
    const cats = expectOk(await ref.h.inject('GET', `${URL}/categories`, ref.h.coordinador));
    expect(cats.find((c: { category: string }) => c.category.toLowerCase() === 'dominio del tema')).toEqual({ category: 'Dominio del Tema', question_count: 2, active_count: 2 });
  });

  it('when a question held by a questionnaire is deleted, then 409 QUESTION_IN_USE naming it; after removing it, 204 and E1 no longer lists it', async () => {
    const h = ref.h;
    const q = expectOk(await h.inject('POST', URL, h.admin, { text: 'Pregunta que se eliminará luego', question_type: 'likert', category: 'Temporal' }), 201);
    const qn = expectOk(await h.inject('POST', '/api/v1/evalin/questionnaires', h.admin, { name: 'Cuestionario temporal', question_ids: [q.id] }), 201);
    const err = expectError(await h.inject('DELETE', `${URL}/${q.id}`, h.admin), 409, 'QUESTION_IN_USE');
    expect(err.details.questionnaires).toEqual([{ id: qn.id, name: 'Cuestionario temporal' }]);
    expect(expectOk(await h.inject('GET', `${URL}/${q.id}`, h.administrativo)).questionnaires).toEqual([{ id: qn.id, name: 'Cuestionario temporal' }]);
    expectOk(await h.inject('DELETE', `/api/v1/evalin/questionnaires/${qn.id}/questions/${q.id}`, h.admin));
    expect((await h.inject('DELETE', `${URL}/${q.id}`, h.admin)).statusCode).toBe(204);
    expectError(await h.inject('GET', `${URL}/${q.id}`, h.admin), 404, 'QUESTION_NOT_FOUND');
    expect(expectOk(await h.inject('GET', `${URL}?category=Temporal`, h.admin))).toEqual([]);
    // R6: the text is free again.
    expectOk(await h.inject('POST', URL, h.admin, { text: 'Pregunta que se eliminará luego', question_type: 'likert', category: 'Temporal' }), 201);
  });

  it('when E4 changes fields, then the question is updated and a duplicate text is 409', async () => {
    const h = ref.h;
    const q = expectOk(await h.inject('POST', URL, h.admin, { text: 'Pregunta para editar luego', question_type: 'likert', category: 'Edición' }), 201);
    const e = expectOk(await h.inject('PATCH', `${URL}/${q.id}`, h.admin, { description: 'Ayuda', is_active: false, question_type: 'single_choice', options: ['Sí', 'No'] }));
    expect(e).toMatchObject({ description: 'Ayuda', is_active: false, question_type: 'single_choice', options: ['Sí', 'No'] });
    expectError(await h.inject('PATCH', `${URL}/${q.id}`, h.admin, { text: 'El instructor domina el tema.' }), 409, 'QUESTION_ALREADY_EXISTS');
    expectError(await h.inject('PATCH', `${URL}/00000000-0000-4000-8000-000000000000`, h.admin, { is_active: true }), 404, 'QUESTION_NOT_FOUND');
  });

  it.each(ROLES)('when %s reads and writes the bank, then readers are staff and instructors, the writer is admin', async (role) => {
    const h = ref.h;
    const read = await h.inject('GET', URL, role);
    if (role === 'aprendiz') expectError(read, 403, 'INSUFFICIENT_PERMISSIONS');
    else expectOk(read);
    const write = await h.inject('POST', URL, role, { text: `Pregunta creada por el rol ${role}`, question_type: 'likert', category: 'Roles' });
    if (role === 'admin') expectOk(write, 201);
    else expectError(write, 403, 'INSUFFICIENT_PERMISSIONS');
  });
});

describe('bulk upload (E7, E8, §6.1)', () => {
  const rows = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `Pregunta ${prefix} número ${i + 1} del archivo;escala;Carga ${prefix};;;;`);

  it('when a valid 20-row file with `;` and alias escala is uploaded, then created = 20 and E1 lists canonical types', async () => {
    const h = ref.h;
    const csv = `\ufefftext;question_type;category;options;is_required;order_index;description\n${rows(20, 'A').join('\n')}\n\n`;
    const report = expectOk(await (upload(csv))());
    expect(report).toMatchObject({ total_rows: 20, created: 20, updated: 0, skipped: 0, dry_run: false });
    expect(report.rows[0]).toMatchObject({ row: 2, action: 'created' });
    const listed = expectOk(await h.inject('GET', `${URL}?category=Carga%20A&page_size=100`, h.admin));
    expect(listed).toHaveLength(20);
    expect(listed.every((q: { question_type: string }) => q.question_type === 'likert')).toBe(true);
  });

  it('when rows 4 and 9 are invalid, then 422 CSV_VALIDATION_FAILED lists them with column and code and nothing is created', async () => {
    const h = ref.h;
    const r = rows(9, 'B');
    r[2] = 'Corta;likert;Carga B;;;;';
    r[7] = 'Pregunta con tipo desconocido en fila;semaforo;Carga B;;;;';
    const err = expectError(await (upload(`text;question_type;category\n${r.map((x) => x.split(';').slice(0, 3).join(';')).join('\n')}`))(), 422, 'CSV_VALIDATION_FAILED');
    expect(err.details.errors).toEqual([
      expect.objectContaining({ row: 4, column: 'text', code: 'too_short' }),
      expect.objectContaining({ row: 9, column: 'question_type', code: 'invalid_type' }),
    ]);
    expect(err.details.error_count).toBe(2);
    expect(expectOk(await h.inject('GET', `${URL}?category=Carga%20B`, h.admin))).toEqual([]);
  });

  it('when 3 rows repeat existing texts, then skip counts them and update changes them; dry_run writes nothing', async () => {
    const h = ref.h;
    const csv = (cat: string) => `text,question_type,category,description\n${rows(3, 'A').map((x) => x.split(';').slice(0, 2).join(',') + `,${cat},Nueva ayuda`).join('\n')}\nPregunta nueva del archivo de prueba,likert,${cat},`;
    expectError(await (upload(csv('Carga A')))(), 422, 'CSV_VALIDATION_FAILED');
    const skipped = expectOk(await (upload(csv('Carga A'), '?on_duplicate=skip&dry_run=true'))());
    expect(skipped).toMatchObject({ skipped: 3, created: 1, dry_run: true });
    expect(expectOk(await h.inject('GET', `${URL}?search=pregunta%20nueva%20del%20archivo`, h.admin))).toEqual([]);
    const updated = expectOk(await (upload(csv('Carga C'), '?on_duplicate=update'))());
    expect(updated).toMatchObject({ updated: 3, created: 1 });
    expect(expectOk(await h.inject('GET', `${URL}?category=Carga%20C`, h.admin)).map((q: { description: string }) => q.description)).toContain('Nueva ayuda');
  });

  it('when the file is not UTF-8, has a bad header, no rows, too many rows or is not a CSV, then the file-level codes', async () => {
    expectError(await (upload(Buffer.from([0x74, 0x65, 0x78, 0x74, 0x0a, 0xff, 0xfe, 0x41])))(), 400, 'CSV_ENCODING_INVALID');
    const header = expectError(await (upload('text,question_type,colour\nx,y,z'))(), 400, 'CSV_HEADER_INVALID');
    expect(header.details).toEqual({ missing: ['category'], unknown: ['colour'] });
    expectError(await (upload('text,question_type,category\n\n'))(), 400, 'CSV_EMPTY');
    expectError(await (upload(`text,question_type,category\n${Array.from({ length: 1001 }, (_, i) => `Texto de la fila ${i},likert,Mucho`).join('\n')}`))(), 422, 'CSV_TOO_MANY_ROWS');
    expectError(await (upload('a', '', 'preguntas.txt', 'text/plain'))(), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('when the template is downloaded, then it has the header in order and one row per type', async () => {
    const res = await ref.h.inject('GET', `${URL}/bulk-upload/template`, ref.h.admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('text,question_type,category,options,is_required,order_index,description');
    expect(lines).toHaveLength(5);
    expectError(await ref.h.inject('GET', `${URL}/bulk-upload/template`, ref.h.coordinador), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});
