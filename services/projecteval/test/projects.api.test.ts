import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, createHarness, type Harness } from './harness.ts';
import { approvedIdea, project } from './fixtures.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const scope = 'Un sistema web de inventario y pedidos.';

describe('projects (US-PEV-03, US-PEV-15)', () => {
  let projectId = '';

  it('when the advisor creates the project from the approved idea, then 201 active with the idea title and SENA as IP owner; a second is PROJECT_ALREADY_EXISTS', async () => {
    const { team, idea, ideas } = await approvedIdea(h);
    const rejectedLike = ideas[1];
    expect((await h.inject('POST', `${BASE}/projects`, h.x, { idea_id: rejectedLike.id, project_type: 'web_application', scope, expected_end_date: '2026-09-30' })).json().error.code).toBe('IDEA_NOT_APPROVED');
    expect((await h.inject('POST', `${BASE}/projects`, h.x, { idea_id: idea.id, project_type: 'web_application', scope, expected_end_date: '2026-03-12' })).json().error.code).toBe('INVALID_PROJECT_DATES');
    expect((await h.inject('POST', `${BASE}/projects`, h.y, { idea_id: idea.id, project_type: 'web_application', scope, expected_end_date: '2026-09-30' })).statusCode).toBe(403);
    expect((await h.inject('POST', `${BASE}/projects`, h.fichaA.apprentices[0], { idea_id: idea.id, project_type: 'web_application', scope, expected_end_date: '2026-09-30' })).statusCode).toBe(403);
    const res = await h.inject('POST', `${BASE}/projects`, h.x, { idea_id: idea.id, project_type: 'web_application', scope, expected_end_date: '2026-09-30', intellectual_property_owner: 'Otro' });
    expect(res.statusCode).toBe(422);
    const p = await h.ok(201, 'POST', `${BASE}/projects`, h.x, { idea_id: idea.id, project_type: 'web_application', scope, expected_end_date: '2026-09-30' });
    expect(p).toMatchObject({ status: 'active', title: 'Idea número 1', intellectual_property_owner: 'SENA', scope_version: 1, start_date: '2026-03-09', team: { id: team.id } });
    projectId = p.id;
    expect((await h.inject('POST', `${BASE}/projects`, h.x, { idea_id: idea.id, project_type: 'web_application', scope, expected_end_date: '2026-09-30' })).json().error.code).toBe('PROJECT_ALREADY_EXISTS');
  });

  it('given the scope is unlocked, when scope is edited, then scope_version 2 and P22 shows before and after', async () => {
    const p = await h.ok(200, 'PATCH', `${BASE}/projects/${projectId}`, h.x, { scope: 'Un sistema web de inventario, pedidos y domicilios.', reason: 'Ajuste acordado' });
    expect(p.scope_version).toBe(2);
    const history = await h.ok<any[]>(200, 'GET', `${BASE}/projects/${projectId}/scope-history`, h.fichaA.apprentices[1]);
    expect(history[0]).toMatchObject({ scope_version: 2, changes: { scope: { from: scope, to: 'Un sistema web de inventario, pedidos y domicilios.' } }, reason: 'Ajuste acordado', change_request_id: null });
    // the same value again changes nothing
    expect((await h.ok(200, 'PATCH', `${BASE}/projects/${projectId}`, h.x, { scope: 'Un sistema web de inventario, pedidos y domicilios.' })).scope_version).toBe(2);
  });

  it('given the scope is locked, when scope is patched, then 409 SCOPE_LOCKED; repository_url still changes; locking twice is INVALID_STATE', async () => {
    const locked = await h.ok(200, 'PUT', `${BASE}/projects/${projectId}/scope-lock`, h.x, { locked: true, reason: 'Alcance acordado con el aliado.' });
    expect(locked).toMatchObject({ scope_locked: true, scope_locked_by: h.x.id });
    const [note] = await h.outbox('projecteval.scope_lock_changed');
    expect(note.body.data).toMatchObject({ locked: true, project_title: 'Idea número 1' });
    expect((await h.inject('PATCH', `${BASE}/projects/${projectId}`, h.x, { scope: 'Otro alcance completamente distinto.' })).json().error.code).toBe('SCOPE_LOCKED');
    const repo = await h.ok(200, 'PATCH', `${BASE}/projects/${projectId}`, h.x, { repository_url: 'https://github.com/sena/inventario' });
    expect(repo.repository_url).toBe('https://github.com/sena/inventario');
    expect((await h.inject('PUT', `${BASE}/projects/${projectId}/scope-lock`, h.x, { locked: true, reason: 'Alcance acordado otra vez.' })).json().error.code).toBe('INVALID_STATE');
    expect((await h.inject('PATCH', `${BASE}/projects/${projectId}`, h.x, { repository_url: 'ftp://x' })).statusCode).toBe(422);
  });

  it('apprentices read their own project (stakeholder limited to public fields) and get 404 for others', async () => {
    const s = await h.ok(201, 'POST', `${BASE}/stakeholders`, h.x, { name: 'Panadería La Espiga S.A.S.', stakeholder_type: 'company', contact_person: 'Martha Lucía Rincón', email: 'contacto@laespiga.example', sector: 'Alimentos' });
    await h.ok(200, 'PATCH', `${BASE}/projects/${projectId}`, h.x, { stakeholder_id: s.id, stakeholder_expectations_documented: true });
    const mine = await h.ok(200, 'GET', `${BASE}/projects/${projectId}`, h.fichaA.apprentices[0]);
    expect(mine.stakeholder).toEqual({ id: s.id, name: 'Panadería La Espiga S.A.S.', stakeholder_type: 'company', sector: 'Alimentos', website: null });
    const staff = await h.ok(200, 'GET', `${BASE}/projects/${projectId}`, h.administrativo);
    expect(staff.stakeholder.email).toBe('contacto@laespiga.example');
    expect((await h.inject('GET', `${BASE}/projects/${projectId}`, h.fichaA.apprentices[7])).json().error.code).toBe('PROJECT_NOT_FOUND');
    expect(await h.ok<any[]>(200, 'GET', `${BASE}/projects`, h.fichaA.apprentices[7])).toEqual([]);
    expect((await h.ok<any[]>(200, 'GET', `${BASE}/projects?search=número&sort=title`, h.y)).length).toBe(1);
    const detail = await h.ok(200, 'GET', `${BASE}/stakeholders/${s.id}`, h.y);
    expect(detail.projects).toEqual([{ id: projectId, title: 'Idea número 1', status: 'active' }]);
    expect((await h.inject('GET', `${BASE}/stakeholders/${s.id}`, h.fichaA.apprentices[0])).statusCode).toBe(403);
  });

  it('status: suspend and resume with a reason; completing with no deliverables closes the team', async () => {
    expect((await h.inject('POST', `${BASE}/projects/${projectId}/status`, h.x, { status: 'suspended', reason: 'corto' })).statusCode).toBe(422);
    expect((await h.ok(200, 'POST', `${BASE}/projects/${projectId}/status`, h.x, { status: 'suspended', reason: 'Pausa por vacaciones.' })).status).toBe('suspended');
    expect((await h.inject('POST', `${BASE}/projects/${projectId}/status`, h.x, { status: 'completed', reason: 'Terminado por completo.' })).json().error.code).toBe('INVALID_STATE');
    await h.ok(200, 'POST', `${BASE}/projects/${projectId}/status`, h.x, { status: 'active', reason: 'Regreso de vacaciones.' });
    const done = await h.ok(200, 'POST', `${BASE}/projects/${projectId}/status`, h.x, { status: 'completed', reason: 'Proyecto terminado.' });
    expect(done.status).toBe('completed');
    const team = await h.ok(200, 'GET', `${BASE}/teams/${done.team_id}`, h.x);
    expect(team.status).toBe('closed');
    expect((await h.inject('PATCH', `${BASE}/projects/${projectId}`, h.x, { repository_url: 'https://github.com/sena/otro' })).json().error.code).toBe('INVALID_STATE');
  });

  it('a team cannot close while its project is active (TEAM_HAS_ACTIVE_PROJECT)', async () => {
    const { team } = await project(h, { advisor: h.y, members: h.fichaA.apprentices.slice(4, 7), name: 'Equipo Dos' });
    expect((await h.inject('POST', `${BASE}/teams/${team.id}/close`, h.y, { reason: 'Cierre anticipado del equipo.' })).json().error.code).toBe('TEAM_HAS_ACTIVE_PROJECT');
  });
});

describe('stakeholders (R15)', () => {
  it('names are unique case-insensitively; administrativo reads but does not write; apprentices are refused', async () => {
    const body = { name: 'Fundación Huellas de Esperanza', stakeholder_type: 'ngo', contact_person: 'Jorge Iván Pardo', email: 'jorge@huellas.example' };
    const s = await h.ok(201, 'POST', `${BASE}/stakeholders`, h.coordinador, body);
    expect(s).toMatchObject({ status: 'active', stakeholder_type: 'ngo' });
    expect((await h.inject('POST', `${BASE}/stakeholders`, h.admin, { ...body, name: 'FUNDACIÓN HUELLAS DE ESPERANZA' })).json().error.code).toBe('STAKEHOLDER_ALREADY_EXISTS');
    expect((await h.inject('POST', `${BASE}/stakeholders`, h.administrativo, { ...body, name: 'Otro aliado' })).statusCode).toBe(403);
    expect((await h.inject('GET', `${BASE}/stakeholders`, h.fichaA.apprentices[0])).statusCode).toBe(403);
    const list = await h.ok<any[]>(200, 'GET', `${BASE}/stakeholders?stakeholder_type=ngo&search=Huellas`, h.administrativo);
    expect(list.length).toBe(1);
    expect((await h.inject('PATCH', `${BASE}/stakeholders/${s.id}`, h.x, { name: 'Panadería La Espiga S.A.S.' })).json().error.code).toBe('STAKEHOLDER_ALREADY_EXISTS');
    expect((await h.inject('GET', `${BASE}/stakeholders/00000000-0000-4000-8000-000000000009`, h.x)).json().error.code).toBe('STAKEHOLDER_NOT_FOUND');
  });
});
