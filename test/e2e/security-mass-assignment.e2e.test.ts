import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallPdf } from './attendance.support.ts';
import { buildProject, buildWorld, client, createPerson, must, raw, startPlatform, step, type Person, type Platform, type ProjectWorld, type World } from './security.support.ts';

// Issue #18 item 2, mass assignment of privileged fields on every write, through the gateway of a real
// `sicora start`: role, status, owner and author ids, counters, published/approved flags and timestamps sent
// beside a legitimate change. Each must be refused — 422 VALIDATION_ERROR naming the field (00-conventions
// §2; users P2 "any other field → 422"), or the role/permission refusal the spec names for a field the
// caller's role may not set (users O1 ROLE_NOT_ALLOWED, kb "ED may send in_review/published", projecteval P4
// "advisor_id (A, C)") — or ignored, and in every case the stored state read back afterwards is unchanged.
// The contract suite sends unknown keys to each operation as admin; this file sends the fields that matter,
// as the people who would gain by them, and reads the state back.

let p: Platform;
let w: World;
let pw: ProjectWorld;
let coordinador: Person;
let administrativo: Person;
let adminSub = '';

/** A 422 VALIDATION_ERROR whose details name `field` (as `fields[].field`). */
function expectNamed(res: Awaited<ReturnType<typeof raw>>, field: string) {
  expect(`${res.status} ${res.body?.error?.code}`, `${field}: ${res.text.slice(0, 300)}`).toBe('422 VALIDATION_ERROR');
  const named = ((res.body?.error?.details?.fields ?? []) as Array<{ field: string }>).map((f) => f.field);
  expect(named.some((n) => n === field || n.endsWith(`.${field}`) || n.endsWith(`/${field}`)), `${field} among ${JSON.stringify(named)}`).toBe(true);
}

/** Refused (4xx, never a 2xx or a 5xx) with one of `codes`. */
function expectRefused(res: Awaited<ReturnType<typeof raw>>, codes: string[], what: string) {
  expect(res.status >= 400 && res.status < 500, `${what}: ${res.status} ${res.text.slice(0, 300)}`).toBe(true);
  expect(codes, `${what}: ${res.text.slice(0, 300)}`).toContain(res.body?.error?.code);
}

describe('security: mass assignment of privileged fields', () => {
  beforeAll(async () => {
    p = await startPlatform();
    adminSub = JSON.parse(Buffer.from(p.admin.split('.')[1], 'base64url').toString()).sub;
    w = await step(p, 'the world', () => buildWorld(p));
    pw = await step(p, 'the project', () => buildProject(p, w));
    coordinador = await step(p, 'the coordinador', () => createPerson(p, 'coordinador'));
    administrativo = await step(p, 'the administrativo', () => createPerson(p, 'administrativo'));
  }, 240_000);

  afterAll(async () => {
    await p?.stop();
  });

  it('when a person sends role, status, flags, ids or timestamps with a profile change (users P2), then each is 422 naming the field and the profile is unchanged', async () => {
    const me = w.instructor;
    const api = client(p.gateway, me.token);
    const before = (await api.GET('/api/v1/users/me')).data!.data;
    const privileged: Record<string, unknown> = {
      role: 'admin', is_active: false, must_change_password: true, id: randomUUID(), created_at: '2020-01-01T00:00:00Z',
      locked_until: null, group_id: w.groupId, group_number: w.groupNumber, document_number: '99999999', document_type: 'CE', area: 'Dirección',
      deleted_at: null, password_hash: 'x', last_login_at: null, tokens_valid_after: '2020-01-01T00:00:00Z',
    };
    for (const [field, value] of Object.entries(privileged)) {
      expectNamed(await raw(p.gateway, 'PATCH', '/api/v1/users/me', { token: me.token, json: { first_name: 'Cambiado', [field]: value } }), field);
    }
    const after = (await api.GET('/api/v1/users/me')).data!.data;
    expect(after).toEqual(before);
  });

  it('when a coordinador makes someone admin or coordinador, or an administrativo changes a role, activity or the forced change (users U2/U4, O1), then it is refused and nothing changes', async () => {
    const target = w.instructor.id;
    const read = () => must(200, p.gateway, 'GET', `/api/v1/users/${target}`, { token: p.admin });
    const before = await read();
    for (const role of ['admin', 'coordinador']) {
      expectRefused(await raw(p.gateway, 'PATCH', `/api/v1/users/${target}`, { token: coordinador.token, json: { role } }), ['ROLE_NOT_ALLOWED'], `coordinador → ${role}`);
    }
    for (const change of [{ role: 'coordinador' }, { role: 'administrativo' }, { is_active: false }, { must_change_password: true }]) {
      expectRefused(await raw(p.gateway, 'PATCH', `/api/v1/users/${target}`, { token: administrativo.token, json: { first_name: 'Cambiado', ...change } }), ['ROLE_NOT_ALLOWED', 'INSUFFICIENT_PERMISSIONS', 'VALIDATION_ERROR'], `administrativo ${JSON.stringify(change)}`);
    }
    const after = await read();
    expect({ ...after, updated_at: before.updated_at }).toEqual(before);

    const email = `escalada.${Date.now()}@e2e.sicora.test`;
    expectRefused(await raw(p.gateway, 'POST', '/api/v1/users', { token: coordinador.token, json: { first_name: 'Nueva', last_name: 'Administradora', email, document_type: 'CC', document_number: `6${Date.now()}`.slice(0, 10), role: 'admin' } }), ['ROLE_NOT_ALLOWED'], 'coordinador creates an admin');
    for (const [field, value] of Object.entries({ is_active: false, must_change_password: false, id: randomUUID(), created_at: '2020-01-01T00:00:00Z', last_login_at: '2020-01-01T00:00:00Z' })) {
      expectNamed(await raw(p.gateway, 'POST', '/api/v1/users', { token: p.admin, json: { first_name: 'Nueva', last_name: 'Persona', email, document_type: 'CC', document_number: `6${Date.now()}`.slice(0, 10), role: 'instructor', [field]: value } }), field);
    }
    const found = await must(200, p.gateway, 'GET', `/api/v1/users?search=${encodeURIComponent(email)}`, { token: p.admin });
    expect(found).toEqual([]);
  });

  it('when an instructor creates a kb item as published or with counters, an author or dates, then it is refused or stays a draft of its own, and a later PATCH cannot publish it', async () => {
    const cats = await must(200, p.gateway, 'GET', '/api/v1/kb/categories', { token: w.instructor.token });
    const base = { kind: 'procedure', summary: 'Resumen del procedimiento de seguridad.', title: `Pregunta de seguridad ${w.tag}`, content: '## Respuesta\n\nUna respuesta suficientemente larga para la base de conocimiento del centro.', category_id: cats[0].id };
    for (const [field, value] of Object.entries({ view_count: 9999, helpful_count: 500, author_id: adminSub, published_at: '2020-01-01T00:00:00Z', version: 42, id: randomUUID(), created_at: '2020-01-01T00:00:00Z', slug: 'preguntas-oficiales' })) {
      expectNamed(await raw(p.gateway, 'POST', '/api/v1/kb/items', { token: w.instructor.token, json: { ...base, [field]: value } }), field);
    }
    const published = await raw(p.gateway, 'POST', '/api/v1/kb/items', { token: w.instructor.token, json: { ...base, status: 'published' } });
    if (published.status !== 201) expectRefused(published, ['INSUFFICIENT_PERMISSIONS', 'VALIDATION_ERROR'], 'instructor publishes');
    const draft = published.status === 201 ? published.body!.data : await must(201, p.gateway, 'POST', '/api/v1/kb/items', { token: w.instructor.token, json: base });
    for (const [field, value] of Object.entries({ status: 'published', author_id: adminSub, view_count: 1 })) {
      expectNamed(await raw(p.gateway, 'PATCH', `/api/v1/kb/items/${draft.id}`, { token: w.instructor.token, json: { title: 'Título cambiado', [field]: value } }), field);
    }
    const stored = await must(200, p.gateway, 'GET', `/api/v1/kb/items/${draft.id}`, { token: p.admin });
    expect(stored).toMatchObject({ status: 'draft', view_count: 0, title: base.title });
    expect(stored.published_at ?? null).toBeNull();
  });

  it('when a person turns off in-app notices or their mandatory types (notification P2), then 422 and the preferences are unchanged', async () => {
    const token = w.apprentices[0].token;
    const before = await must(200, p.gateway, 'GET', '/api/v1/notifications/preferences', { token });
    for (const [field, json] of [['mandatory_types', { mandatory_types: [] }], ['in_app', { channels: { in_app: false } }]] as const) {
      const res = await raw(p.gateway, 'PUT', '/api/v1/notifications/preferences', { token, json });
      expectNamed(res, field);
    }
    expect(await must(200, p.gateway, 'GET', '/api/v1/notifications/preferences', { token })).toEqual(before);
  });

  it('when an apprentice edits an idea with its status or score, or an advisor edits a team\'s advisor or a project\'s status, owner or team, then each is refused and the stored rows are unchanged', async () => {
    const P = '/api/v1/projecteval';
    const member = w.apprentices[1];
    // The second idea of buildProject, by this member (not selected once the first was approved).
    const idea = await must(200, p.gateway, 'GET', `${P}/ideas/${pw.ideaIds[1]}`, { token: member.token });
    for (const [field, value] of Object.entries({ status: 'approved', viability_score: 100, team_id: randomUUID(), proposed_by: adminSub, decided_at: '2020-01-01T00:00:00Z' })) {
      expectNamed(await raw(p.gateway, 'PATCH', `${P}/ideas/${idea.id}`, { token: member.token, json: { title: 'Idea cambiada', [field]: value } }), field);
    }
    expect(await must(200, p.gateway, 'GET', `${P}/ideas/${idea.id}`, { token: member.token })).toEqual(idea);

    const other = await createPerson(p, 'instructor');
    const teamBefore = await must(200, p.gateway, 'GET', `${P}/teams/${pw.teamId}`, { token: p.admin });
    expectRefused(await raw(p.gateway, 'PATCH', `${P}/teams/${pw.teamId}`, { token: w.instructor.token, json: { advisor_id: other.id } }), ['INSUFFICIENT_PERMISSIONS', 'VALIDATION_ERROR', 'ADVISOR_INVALID'], 'advisor sets advisor_id');
    for (const [field, value] of Object.entries({ status: 'closed', group_id: randomUUID() })) {
      expectNamed(await raw(p.gateway, 'PATCH', `${P}/teams/${pw.teamId}`, { token: w.instructor.token, json: { name: 'Equipo cambiado', [field]: value } }), field);
    }
    expect(await must(200, p.gateway, 'GET', `${P}/teams/${pw.teamId}`, { token: p.admin })).toEqual(teamBefore);

    const projectBefore = await must(200, p.gateway, 'GET', `${P}/projects/${pw.projectId}`, { token: p.admin });
    for (const [field, value] of Object.entries({ status: 'completed', intellectual_property_owner: 'Equipo', team_id: randomUUID(), project_grade: 5, created_by: adminSub })) {
      expectNamed(await raw(p.gateway, 'PATCH', `${P}/projects/${pw.projectId}`, { token: w.instructor.token, json: { scope: 'Alcance cambiado del proyecto.', [field]: value } }), field);
    }
    expect(await must(200, p.gateway, 'GET', `${P}/projects/${pw.projectId}`, { token: p.admin })).toEqual(projectBefore);
  });

  it('when a submission carries status, score or student parts beside its file (P39 multipart), then they are refused or ignored: the stored submission is the caller\'s, submitted and unscored', async () => {
    const member = w.apprentices[2];
    const form = new FormData();
    form.append('notes', 'Entrega con campos de más');
    form.append('status', 'published');
    form.append('final_score', '100');
    form.append('submitted_by', w.apprentices[0].id);
    form.append('files', new Blob([smallPdf('entrega con campos')], { type: 'application/pdf' }), 'entrega.pdf');
    const res = await raw(p.gateway, 'POST', `/api/v1/projecteval/deliverables/${pw.deliverableId}/submissions`, { token: member.token, form });
    if (res.status !== 201) {
      expect(`${res.status} ${res.body?.error?.code}`).toBe('422 VALIDATION_ERROR');
      return;
    }
    const stored = await must(200, p.gateway, 'GET', `/api/v1/projecteval/submissions/${res.body!.data.id}`, { token: p.admin });
    expect(stored).toMatchObject({ status: 'submitted', final_score: null, submitted_by: member.id });
  });

  it('when an apprentice edits a pending justification with its status, student or reviewer (attendance J4), then 422 naming the field and it stays PENDING and theirs', async () => {
    const student = w.apprentices[0];
    const form = new FormData();
    form.append('sessions', JSON.stringify([{ schedule_id: w.scheduleId, session_date: w.sessionDates[2] }]));
    form.append('type', 'MEDICAL');
    form.append('reason', 'Cita médica programada con la EPS, adjunto el soporte.');
    form.append('files', new Blob([smallPdf('cita')], { type: 'application/pdf' }), 'cita.pdf');
    const created = await must(201, p.gateway, 'POST', '/api/v1/attendance/justifications', { token: student.token, form });
    for (const [field, value] of Object.entries({ status: 'APPROVED', student_id: w.apprentices[1].id, reviewed_by: w.instructor.id, kind: 'AFTER_ABSENCE', submitted_at: '2020-01-01T00:00:00Z' })) {
      expectNamed(await raw(p.gateway, 'PATCH', `/api/v1/attendance/justifications/${created.id}`, { token: student.token, json: { reason: 'Motivo cambiado con suficiente longitud.', [field]: value } }), field);
    }
    expect(await must(200, p.gateway, 'GET', `/api/v1/attendance/justifications/${created.id}`, { token: student.token })).toMatchObject({ status: 'PENDING', student_id: student.id, kind: 'ADVANCE_NOTICE', reason: 'Cita médica programada con la EPS, adjunto el soporte.' });
  });

  it('when staff create a campus, an evalin question or a stakeholder with ids, counters, locks or timestamps, then each is 422 naming the field and nothing is created', async () => {
    const cases: Array<{ path: string; token: string; body: Record<string, unknown>; extra: Record<string, unknown>; list: string; key: string }> = [
      { path: '/api/v1/campuses', token: p.admin, body: { code: `MA${w.tag}`, name: `Sede asignación ${w.tag}` }, extra: { id: randomUUID(), is_active: false, created_at: '2020-01-01T00:00:00Z' }, list: `/api/v1/campuses?page_size=100`, key: `MA${w.tag}` },
      { path: '/api/v1/evalin/questions', token: p.admin, body: { text: `¿El instructor explica con claridad? ${w.tag}`, question_type: 'likert', category: 'Pedagogía' }, extra: { id: randomUUID(), is_locked: true, usage_count: 10, created_by: adminSub }, list: `/api/v1/evalin/questions?page_size=100`, key: w.tag },
      { path: '/api/v1/projecteval/stakeholders', token: w.instructor.token, body: { name: `Empresa ${w.tag}`, stakeholder_type: 'company', contact_person: 'Laura Gómez', email: `contacto.${w.tag}@empresa.test` }, extra: { status: 'approved', created_by: adminSub, id: randomUUID() }, list: `/api/v1/projecteval/stakeholders?page_size=100`, key: `Empresa ${w.tag}` },
    ];
    for (const c of cases) {
      for (const [field, value] of Object.entries(c.extra)) expectNamed(await raw(p.gateway, 'POST', c.path, { token: c.token, json: { ...c.body, [field]: value } }), `${field}`);
      const listed = await raw(p.gateway, 'GET', c.list, { token: p.admin });
      expect(listed.status).toBe(200);
      expect(listed.text.includes(c.key), `${c.path}: nothing created`).toBe(false);
    }
  });
});
