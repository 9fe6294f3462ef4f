import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, createHarness, type Harness } from './harness.ts';
import { PDF, project, upload } from './fixtures.ts';

let h: Harness;
let world: Awaited<ReturnType<typeof project>>;
let stakeholderId = '';
const member = () => h.fichaA.apprentices[0];
const cr = (o: object = {}) => ({ origin: 'stakeholder', change_type: 'scope', title: 'Agregar módulo de domicilios', description: 'El aliado necesita gestionar domicilios desde el sistema.', justification: 'Aumenta las ventas.', ...o });
const countFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length : 0);

beforeAll(async () => {
  h = await createHarness();
  world = await project(h);
  const s = await h.ok(201, 'POST', `${BASE}/stakeholders`, h.x, { name: 'Panadería La Espiga S.A.S.', stakeholder_type: 'company', contact_person: 'Martha Lucía Rincón', email: 'contacto@laespiga.example' });
  stakeholderId = s.id;
  await h.ok(200, 'PATCH', `${BASE}/projects/${world.project.id}`, h.x, { stakeholder_id: s.id });
});
afterAll(async () => h.close());

describe('change requests (US-PEV-12)', () => {
  it('given two stakeholder requests this quarter, when the advisor files a third, then 409 STAKEHOLDER_REQUEST_LIMIT; in the next quarter it is accepted', async () => {
    const url = `${BASE}/projects/${world.project.id}/change-requests`;
    const first = await h.ok(201, 'POST', url, h.x, cr({ stakeholder_id: stakeholderId, priority: 'critical' }));
    expect(first).toMatchObject({ status: 'submitted', origin: 'stakeholder', quarter: '2026-Q1', requested_by: h.x.id });
    const [note] = await h.outbox('projecteval.change_request_submitted');
    expect(note.body).toMatchObject({ target_users: [h.x.id], target_roles: ['coordinador'], data: { request_title: 'Agregar módulo de domicilios', origin: 'stakeholder', priority: 'critical' } });
    await h.ok(201, 'POST', url, h.coordinador, cr({ stakeholder_id: stakeholderId }));
    const third = await h.inject('POST', url, h.x, cr({ stakeholder_id: stakeholderId }));
    expect([third.statusCode, third.json().error.code]).toEqual([409, 'STAKEHOLDER_REQUEST_LIMIT']);
    expect(third.json().error.details).toEqual({ quarter: '2026-Q1', count: 2 });
    // another stakeholder is not the project's
    const other = await h.ok(201, 'POST', `${BASE}/stakeholders`, h.x, { name: 'Junta de Acción Comunal Barrio Modelia', stakeholder_type: 'ngo', contact_person: 'Luz Dary Castaño', email: 'jac@modelia.example' });
    expect((await h.inject('POST', url, h.x, cr({ stakeholder_id: other.id }))).json().error.code).toBe('STAKEHOLDER_NOT_OF_PROJECT');
    h.clock.now = new Date('2026-04-01T14:00:00Z');
    const april = await h.ok(201, 'POST', url, h.x, cr({ stakeholder_id: stakeholderId }));
    expect(april.quarter).toBe('2026-Q2');
    h.clock.now = new Date('2026-03-09T14:00:00Z');
  });

  it('when an apprentice posts a decision, then 403; an apprentice\'s own request has origin team; other origins are refused', async () => {
    const url = `${BASE}/projects/${world.project.id}/change-requests`;
    const mine = await h.ok(201, 'POST', url, member(), cr({ origin: 'team', change_type: 'technology', title: 'Cambiar a React' }));
    expect(mine.origin).toBe('team');
    expect((await h.inject('POST', url, member(), cr({ stakeholder_id: stakeholderId }))).statusCode).toBe(403);
    expect((await h.inject('POST', url, h.x, cr({ origin: 'team' }))).statusCode).toBe(403);
    expect((await h.inject('POST', `${BASE}/change-requests/${mine.id}/decision`, member(), { decision: 'approve', decision_reason: 'Me parece muy bien.' })).statusCode).toBe(403);
    expect((await h.inject('POST', `${BASE}/change-requests/${mine.id}/decision`, h.y, { decision: 'approve', decision_reason: 'Me parece muy bien.' })).statusCode).toBe(403);
    const w = await h.ok(200, 'POST', `${BASE}/change-requests/${mine.id}/withdraw`, member());
    expect(w.status).toBe('withdrawn');
    expect((await h.inject('GET', `${BASE}/change-requests/${mine.id}`, h.fichaA.apprentices[7])).json().error.code).toBe('CHANGE_REQUEST_NOT_FOUND');
    expect((await h.inject('POST', url, h.x, cr({ origin: 'instructor', proposed_changes: { budget: 10 } }))).json().error.code).toBe('PROPOSED_CHANGES_INVALID');
    expect((await h.inject('POST', url, h.x, cr({ origin: 'instructor', proposed_changes: { scope: 'corto' } }))).json().error.code).toBe('PROPOSED_CHANGES_INVALID');
  });

  it('given the scope is locked, when a request with new scope is approved, then the project shows it, scope_version + 1 and P22 names the request; a rejection without reason is 422', async () => {
    await h.ok(200, 'PUT', `${BASE}/projects/${world.project.id}/scope-lock`, h.x, { locked: true, reason: 'Alcance firmado con el aliado.' });
    const before = await h.ok(200, 'GET', `${BASE}/projects/${world.project.id}`, h.x);
    const req = await h.ok(201, 'POST', `${BASE}/projects/${world.project.id}/change-requests`, h.x, cr({ origin: 'instructor', proposed_changes: { scope: 'Inventario, pedidos y módulo de domicilios.' } }));
    const reviewed = await h.ok(200, 'POST', `${BASE}/change-requests/${req.id}/review`, h.x, { comments: 'Lo revisamos en comité.' });
    expect(reviewed.status).toBe('under_review');
    expect((await h.inject('POST', `${BASE}/change-requests/${req.id}/decision`, h.x, { decision: 'reject' })).statusCode).toBe(422);
    const decided = await h.ok(200, 'POST', `${BASE}/change-requests/${req.id}/decision`, h.x, { decision: 'approve', decision_reason: 'Aprobado por el comité.' });
    expect(decided).toMatchObject({ status: 'approved', applied_scope_version: before.scope_version + 1, project: { scope: 'Inventario, pedidos y módulo de domicilios.', scope_version: before.scope_version + 1, scope_locked: true } });
    const [last] = await h.ok<any[]>(200, 'GET', `${BASE}/projects/${world.project.id}/scope-history`, h.x);
    expect(last).toMatchObject({ change_request_id: req.id, scope_version: before.scope_version + 1 });
    const decidedNote = (await h.outbox('projecteval.change_request_decided')).at(-1)!;
    expect(decidedNote.body.data).toMatchObject({ decision: 'approved', decision_reason: 'Aprobado por el comité.' });
    expect((await h.inject('POST', `${BASE}/change-requests/${req.id}/withdraw`, h.x)).json().error.code).toBe('INVALID_STATE');
    const list = await h.ok<any[]>(200, 'GET', `${BASE}/change-requests?project_id=${world.project.id}&status=approved`, member());
    expect(list.map((x) => x.id)).toEqual([req.id]);
  });
});

describe('documents (US-PEV-13)', () => {
  let docId = '';

  it('when a member uploads SRS.pdf, then 201 version 1 draft; submitting it for review gives in_review', async () => {
    const res = await upload(h, `${BASE}/projects/${world.project.id}/documents`, member(), { title: 'Especificación de requisitos (SRS)', document_type: 'requirements' }, [{ field: 'file', name: 'SRS.pdf', content: PDF }]);
    expect(res.statusCode).toBe(201);
    const doc = res.json().data;
    expect(doc).toMatchObject({ status: 'draft', current_version: 1, approved_version: null });
    expect(doc.versions[0]).toMatchObject({ version: 1, original_name: 'SRS.pdf', mime_type: 'application/pdf' });
    docId = doc.id;
    expect((await h.ok(200, 'POST', `${BASE}/documents/${docId}/submit-review`, member())).status).toBe('in_review');
    const file = await h.app.inject({ method: 'GET', url: `${BASE}/documents/${docId}/versions/1/file`, headers: await h.headers(h.x) });
    expect(file.rawPayload.equals(PDF)).toBe(true);
    expect((await h.inject('GET', `${BASE}/documents/${docId}/versions/2/file`, h.x)).json().error.code).toBe('FILE_NOT_FOUND');
    const dup = await upload(h, `${BASE}/projects/${world.project.id}/documents`, member(), { title: 'especificación de requisitos (srs)', document_type: 'requirements' }, [{ field: 'file', name: 'SRS.pdf', content: PDF }]);
    expect(dup.json().error.code).toBe('DOCUMENT_ALREADY_EXISTS');
    expect((await upload(h, `${BASE}/projects/${world.project.id}/documents`, member(), { title: 'Sin archivo', document_type: 'other' }, [])).statusCode).toBe(422);
    expect((await upload(h, `${BASE}/projects/${world.project.id}/documents`, h.fichaA.apprentices[7], { title: 'Ajeno', document_type: 'other' }, [{ field: 'file', name: 'a.md', content: '# a' }])).statusCode).toBe(404);
  });

  it('when the advisor rejects without comments, then 422; with comments, rejected and the uploader notified; a new version returns it to draft as version 2', async () => {
    expect((await h.inject('POST', `${BASE}/documents/${docId}/review`, h.x, { decision: 'reject' })).statusCode).toBe(422);
    expect((await h.inject('POST', `${BASE}/documents/${docId}/review`, member(), { decision: 'approve' })).statusCode).toBe(403);
    expect((await upload(h, `${BASE}/documents/${docId}/versions`, member(), {}, [{ field: 'file', name: 'SRS-v2.pdf', content: PDF }])).json().error.code).toBe('INVALID_STATE');
    const rejected = await h.ok(200, 'POST', `${BASE}/documents/${docId}/review`, h.x, { decision: 'reject', comments: 'Faltan los casos de uso.' });
    expect(rejected).toMatchObject({ status: 'rejected', review_comments: 'Faltan los casos de uso.' });
    const [note] = await h.outbox('projecteval.document_reviewed');
    expect(note.body).toMatchObject({ target_users: [member().id], data: { version: 1, decision: 'rejected', comments: 'Faltan los casos de uso.' } });
    const v2 = await upload(h, `${BASE}/documents/${docId}/versions`, h.fichaA.apprentices[1], { change_note: 'Con casos de uso' }, [{ field: 'file', name: 'SRS-v2.pdf', content: PDF }]);
    expect(v2.statusCode).toBe(201);
    expect(v2.json().data).toMatchObject({ status: 'draft', current_version: 2 });
  });

  it('given a document was once approved, when deleted, then 409 DOCUMENT_NOT_DELETABLE; a draft never approved is deleted with its files', async () => {
    await h.ok(200, 'POST', `${BASE}/documents/${docId}/submit-review`, h.x);
    const approved = await h.ok(200, 'POST', `${BASE}/documents/${docId}/review`, h.x, { decision: 'approve' });
    expect(approved).toMatchObject({ status: 'approved', approved_version: 2 });
    expect((await h.inject('DELETE', `${BASE}/documents/${docId}`, h.x)).json().error.code).toBe('DOCUMENT_NOT_DELETABLE');
    const before = countFiles(h.filesDir);
    const manual = await upload(h, `${BASE}/projects/${world.project.id}/documents`, member(), { title: 'Manual de usuario', document_type: 'user_manual' }, [{ field: 'file', name: 'manual.md', content: '# Manual\n' }]);
    expect(countFiles(h.filesDir)).toBe(before + 1);
    expect((await h.inject('DELETE', `${BASE}/documents/${manual.json().data.id}`, h.fichaA.apprentices[2])).statusCode).toBe(403);
    await h.ok(204, 'DELETE', `${BASE}/documents/${manual.json().data.id}`, member());
    expect(countFiles(h.filesDir)).toBe(before);
    const list = await h.ok<any[]>(200, 'GET', `${BASE}/projects/${world.project.id}/documents?status=approved`, h.administrativo);
    expect(list.map((d) => d.title)).toEqual(['Especificación de requisitos (SRS)']);
  });
});
