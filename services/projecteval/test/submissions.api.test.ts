import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, createHarness, type Harness } from './harness.ts';
import { activeRubric, deliverable, PDF, upload } from './fixtures.ts';

let h: Harness;
let world: Awaited<ReturnType<typeof deliverable>>;
const member = () => h.fichaA.apprentices[0];
const files = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)) : []);

beforeAll(async () => {
  h = await createHarness();
  world = await deliverable(h);
});
afterAll(async () => h.close());

describe('deliverables (US-PEV-05)', () => {
  it('when a deliverable is due in the past, then 422 DUE_DATE_IN_PAST; with a draft rubric, 409 RUBRIC_NOT_ACTIVE; valid, 201 and the team is notified', async () => {
    const base = { title: 'Documento de requisitos', deliverable_type: 'documentation', rubric_id: world.rubricId };
    const past = await h.inject('POST', `${BASE}/projects/${world.project.id}/deliverables`, h.x, { ...base, due_at: '2026-03-01T00:00:00Z' });
    expect([past.statusCode, past.json().error.code]).toEqual([422, 'DUE_DATE_IN_PAST']);
    const draft = await h.ok(201, 'POST', `${BASE}/rubrics`, h.coordinador, { name: 'Rúbrica en borrador', criteria: [{ name: 'Único', weight: 100 }] });
    expect((await h.inject('POST', `${BASE}/projects/${world.project.id}/deliverables`, h.x, { ...base, due_at: '2026-04-01T00:00:00Z', rubric_id: draft.id })).json().error.code).toBe('RUBRIC_NOT_ACTIVE');
    expect((await h.inject('POST', `${BASE}/projects/${world.project.id}/deliverables`, h.y, { ...base, due_at: '2026-04-01T00:00:00Z' })).statusCode).toBe(403);
    const d = await h.ok(201, 'POST', `${BASE}/projects/${world.project.id}/deliverables`, h.x, { ...base, due_at: '2026-04-01T00:00:00-05:00' });
    expect(d).toMatchObject({ is_open: true, overdue: false, current_submission: null, weight: 1 });
    const notes = await h.outbox('projecteval.deliverable_assigned');
    expect(notes.at(-1)!.body).toMatchObject({ data: { deliverable_title: 'Documento de requisitos', rubric_name: 'Rúbrica de desarrollo de software ADSO', due_at: '2026-04-01T05:00:00.000Z' } });
    expect(notes.at(-1)!.body.target_users).toHaveLength(4);
    expect((await h.inject('POST', `${BASE}/projects/${world.project.id}/deliverables`, h.x, { ...base, due_at: '2026-04-01T00:00:00Z' })).json().error.code).toBe('DELIVERABLE_ALREADY_EXISTS');
    const listed = await h.ok<any[]>(200, 'GET', `${BASE}/projects/${world.project.id}/deliverables?sort=title`, member());
    expect(listed.map((x) => x.title)).toEqual(['Documento de requisitos', 'Prototipo funcional del módulo de inventario']);
    const patched = await h.ok(200, 'PATCH', `${BASE}/deliverables/${d.id}`, h.x, { weight: 3, description: 'SRS completo' });
    expect(patched).toMatchObject({ weight: 3, description: 'SRS completo' });
    expect((await h.inject('PATCH', `${BASE}/deliverables/${d.id}`, h.x, { due_at: '2026-03-01T00:00:00Z' })).json().error.code).toBe('DUE_DATE_IN_PAST');
    await h.ok(204, 'DELETE', `${BASE}/deliverables/${d.id}`, h.x);
  });
});

describe('upload limits (P81)', () => {
  it('any signed-in role reads the §6 rules P39 enforces; without a token, 401', async () => {
    const limits = await h.ok<any>(200, 'GET', `${BASE}/upload-limits`, member());
    expect(limits).toEqual({ allowed_extensions: expect.arrayContaining(['pdf', 'md', 'zip', 'png', 'jpeg']), max_file_bytes: 25 * 1024 * 1024, max_submission_bytes: 100 * 1024 * 1024, max_submission_files: 5 });
    expect(limits.allowed_extensions).toHaveLength(18);
    expect(limits.allowed_extensions).not.toContain('exe');
    expect((await h.app.inject({ method: 'GET', url: `${BASE}/upload-limits` })).statusCode).toBe(401);
  });
});

describe('submissions (US-PEV-06)', () => {
  let firstId = '';

  it('when a member submits a repository URL and a PDF, then 201 version 1 submitted, the file is stored outside the web root and the advisor notified', async () => {
    const res = await upload(h, `${BASE}/deliverables/${world.deliverable.id}/submissions`, member(), { repository_url: 'https://github.com/sena/inventario' }, [{ name: 'informe.pdf', content: PDF, type: 'application/pdf' }]);
    expect(res.statusCode).toBe(201);
    const s = res.json().data;
    expect(s).toMatchObject({ version: 1, status: 'submitted', repository_url: 'https://github.com/sena/inventario', final_score: null });
    expect(s.files).toHaveLength(1);
    expect(s.files[0]).toMatchObject({ original_name: 'informe.pdf', mime_type: 'application/pdf', size_bytes: PDF.length });
    firstId = s.id;
    const stored = files(h.filesDir);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/\/2026\/03\/[0-9a-f-]{36}$/);
    const [note] = await h.outbox('projecteval.submission_received');
    expect(note.body).toMatchObject({ target_users: [h.x.id], data: { version: 1, team_name: 'Equipo Innovadores' } });
    // download: the same bytes, as an attachment, not sniffed
    const dl = await h.app.inject({ method: 'GET', url: `${BASE}/submissions/${s.id}/files/${s.files[0].id}`, headers: await h.headers(h.fichaA.apprentices[1]) });
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(PDF)).toBe(true);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-disposition']).toContain("filename*=UTF-8''informe.pdf");
  });

  it('when a member of another team reads the submission or its file, then 404', async () => {
    const other = h.fichaA.apprentices[7];
    expect((await h.inject('GET', `${BASE}/submissions/${firstId}`, other)).json().error.code).toBe('SUBMISSION_NOT_FOUND');
    const s = await h.ok(200, 'GET', `${BASE}/submissions/${firstId}`, h.administrativo);
    expect((await h.inject('GET', `${BASE}/submissions/${firstId}/files/${s.files[0].id}`, other)).statusCode).toBe(404);
    expect((await h.inject('GET', `${BASE}/submissions/${firstId}/files/${firstId}`, h.x)).json().error.code).toBe('FILE_NOT_FOUND');
    expect(await h.ok<any[]>(200, 'GET', `${BASE}/submissions`, other)).toEqual([]);
  });

  it('when they submit again before the due date, then version 2 is current and version 1 superseded', async () => {
    const s = await h.ok(201, 'POST', `${BASE}/deliverables/${world.deliverable.id}/submissions`, h.fichaA.apprentices[1], { deployment_url: 'https://inventario.example.com' });
    expect(s).toMatchObject({ version: 2, status: 'submitted', files: [] });
    const all = await h.ok<any[]>(200, 'GET', `${BASE}/submissions?deliverable_id=${world.deliverable.id}&include_superseded=true`, h.x);
    expect(all.map((x) => [x.version, x.status]).sort()).toEqual([[1, 'superseded'], [2, 'submitted']]);
    const current = await h.ok<any[]>(200, 'GET', `${BASE}/submissions?deliverable_id=${world.deliverable.id}`, member());
    expect(current.map((x) => x.version)).toEqual([2]);
    const d = await h.ok(200, 'GET', `${BASE}/deliverables/${world.deliverable.id}`, member());
    expect(d.current_submission).toMatchObject({ version: 2, status: 'submitted' });
    expect((await h.inject('DELETE', `${BASE}/deliverables/${world.deliverable.id}`, h.x)).json().error.code).toBe('DELIVERABLE_HAS_SUBMISSIONS');
  });

  it('with neither link nor file, 422 SUBMISSION_EMPTY; an .exe or a PDF that is not one, 415; 6 files, 422 TOO_MANY_FILES; none of them leaves a row or a file', async () => {
    const before = files(h.filesDir).length;
    const url = `${BASE}/deliverables/${world.deliverable.id}/submissions`;
    expect((await h.inject('POST', url, member(), {})).json().error.code).toBe('SUBMISSION_EMPTY');
    expect((await upload(h, url, member(), { notes: 'solo notas' }, [])).json().error.code).toBe('SUBMISSION_EMPTY');
    expect((await upload(h, url, member(), {}, [{ name: 'virus.exe', content: 'MZ\x90\x00' }])).statusCode).toBe(415);
    expect((await upload(h, url, member(), {}, [{ name: 'falso.pdf', content: 'no soy un pdf' }])).statusCode).toBe(415);
    expect((await upload(h, url, member(), {}, [{ name: 'ok.pdf', content: PDF }, { name: 'malo.png', content: PDF }])).statusCode).toBe(415);
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `n${i}.md`, content: `# Nota ${i}\n` }));
    const many = await upload(h, url, member(), {}, six);
    expect([many.statusCode, many.json().error.code]).toEqual([422, 'TOO_MANY_FILES']);
    expect((await upload(h, url, member(), { repository_url: 'ftp://no' }, [{ name: 'a.md', content: '# A' }])).statusCode).toBe(422);
    expect((await upload(h, url, member(), { other: 'x' }, [])).statusCode).toBe(422);
    expect((await h.inject('POST', url, member(), { repository_url: 42 })).statusCode).toBe(422);
    expect(files(h.filesDir).length).toBe(before);
    const all = await h.ok<any[]>(200, 'GET', `${BASE}/submissions?deliverable_id=${world.deliverable.id}&include_superseded=true`, h.x);
    expect(all).toHaveLength(2);
  });

  it('when a file is over 25 MiB, then 413 and nothing stays on disk', async () => {
    const before = files(h.filesDir).length;
    const big = Buffer.alloc(25 * 1024 * 1024 + 10, 0x41);
    const res = await upload(h, `${BASE}/deliverables/${world.deliverable.id}/submissions`, member(), {}, [{ name: 'grande.txt', content: big }]);
    expect(res.statusCode).toBe(413);
    expect(files(h.filesDir).length).toBe(before);
  });

  it('only open members submit: staff, instructors and other apprentices are refused', async () => {
    const url = `${BASE}/deliverables/${world.deliverable.id}/submissions`;
    expect((await h.inject('POST', url, h.x, { repository_url: 'https://x.example' })).statusCode).toBe(403);
    expect((await h.inject('POST', url, h.fichaA.apprentices[7], { repository_url: 'https://x.example' })).json().error.code).toBe('DELIVERABLE_NOT_FOUND');
  });

  it('returning: only the advisor or coordination, with a reason; the team gets submission_returned and may submit again', async () => {
    const [current] = await h.ok<any[]>(200, 'GET', `${BASE}/submissions?deliverable_id=${world.deliverable.id}`, h.x);
    expect((await h.inject('POST', `${BASE}/submissions/${current.id}/return`, h.y, { reason: 'Falta el manual técnico.' })).statusCode).toBe(403);
    const returned = await h.ok(200, 'POST', `${BASE}/submissions/${current.id}/return`, h.x, { reason: 'Falta el manual técnico.' });
    expect(returned).toMatchObject({ status: 'returned', return_reason: 'Falta el manual técnico.' });
    expect((await h.inject('POST', `${BASE}/submissions/${current.id}/return`, h.x, { reason: 'Falta el manual técnico.' })).json().error.code).toBe('SUBMISSION_LOCKED');
    expect((await h.outbox('projecteval.submission_returned'))[0].body.data.reason).toBe('Falta el manual técnico.');
    const again = await h.ok(201, 'POST', `${BASE}/deliverables/${world.deliverable.id}/submissions`, member(), { repository_url: 'https://github.com/sena/inventario' });
    expect(again.version).toBe(3);
  });

  it('when a member submits after the due date, then 409 DELIVERABLE_CLOSED', async () => {
    h.clock.now = new Date(h.clock.now.getTime() + 11 * 86_400_000);
    const res = await h.inject('POST', `${BASE}/deliverables/${world.deliverable.id}/submissions`, member(), { repository_url: 'https://github.com/sena/tarde' });
    h.clock.now = new Date(h.clock.now.getTime() - 11 * 86_400_000);
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'DELIVERABLE_CLOSED']);
  });

  it('a rubric change is refused with RUBRIC_NOT_ACTIVE for archived rubrics', async () => {
    const other = await activeRubric(h, 'Rúbrica alterna de proyecto', [50, 50]);
    await h.ok(200, 'POST', `${BASE}/rubrics/${other.id}/archive`, h.coordinador);
    expect((await h.inject('PATCH', `${BASE}/deliverables/${world.deliverable.id}`, h.x, { rubric_id: other.id })).json().error.code).toBe('RUBRIC_NOT_ACTIVE');
  });
});
