import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, createHarness, type Harness } from './harness.ts';
import { activeTeam, idea } from './fixtures.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const body = (h: Harness, n = 4, name = 'Equipo Innovadores') => ({ name, group_id: h.fichaA.id, members: h.fichaA.apprentices.slice(0, n).map((a) => ({ student_id: a.id })), leader_id: h.fichaA.apprentices[0].id });

describe('teams (US-PEV-01)', () => {
  it('when an instructor who teaches the ficha creates a team with 4 apprentices and a leader, then 201 forming with the caller as advisor and each apprentice notified', async () => {
    const res = await h.inject('POST', `${BASE}/teams`, h.x, body(h));
    expect(res.statusCode).toBe(201);
    const team = res.json().data;
    expect(team).toMatchObject({ status: 'forming', advisor_id: h.x.id, advisor_name: 'Carlos Andrés Rodríguez Peña', member_count: 4, group_number: '2826503' });
    const notes = await h.outbox('projecteval.team_member_added');
    expect(notes.map((n) => n.body.target_users[0]).sort()).toEqual(h.fichaA.apprentices.slice(0, 4).map((a) => a.id).sort());
    expect(notes[0].body.data).toMatchObject({ team_id: team.id, team_name: 'Equipo Innovadores', group_number: '2826503', advisor_name: 'Carlos Andrés Rodríguez Peña' });
    // the name is unique case-insensitively within the ficha
    const dup = await h.inject('POST', `${BASE}/teams`, h.y, { name: 'EQUIPO innovadores', group_id: h.fichaA.id });
    expect(dup.json().error.code).toBe('TEAM_ALREADY_EXISTS');
  });

  it('when members come from another ficha or are already in an open team, then 422 STUDENT_NOT_IN_GROUP / 409 STUDENT_ALREADY_IN_TEAM', async () => {
    const other = await h.inject('POST', `${BASE}/teams`, h.x, { name: 'Equipo Foráneo', group_id: h.fichaA.id, members: [{ student_id: h.fichaB.apprentices[0].id }] });
    expect([other.statusCode, other.json().error.code]).toEqual([422, 'STUDENT_NOT_IN_GROUP']);
    const taken = await h.inject('POST', `${BASE}/teams`, h.x, { name: 'Equipo Repetido', group_id: h.fichaA.id, members: [{ student_id: h.fichaA.apprentices[0].id }] });
    expect([taken.statusCode, taken.json().error.code]).toEqual([409, 'STUDENT_ALREADY_IN_TEAM']);
    expect(taken.json().error.details.team_id).toBeDefined();
  });

  it('when an instructor does not teach the ficha, then 403 INSTRUCTOR_NOT_IN_GROUP; an unknown ficha, 422 UNKNOWN_GROUP', async () => {
    const res = await h.inject('POST', `${BASE}/teams`, h.z, { name: 'Equipo Ajeno', group_id: h.fichaA.id });
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'INSTRUCTOR_NOT_IN_GROUP']);
    const unknown = await h.inject('POST', `${BASE}/teams`, h.coordinador, { name: 'Equipo Fantasma', group_id: '00000000-0000-4000-8000-000000000001', advisor_id: h.x.id });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([422, 'UNKNOWN_GROUP']);
  });

  it('when a coordinador creates a team, then the advisor must be an active instructor (ADVISOR_INVALID) and is required', async () => {
    const bad = await h.inject('POST', `${BASE}/teams`, h.coordinador, { name: 'Equipo Coordinado', group_id: h.fichaB.id, advisor_id: h.administrativo.id });
    expect([bad.statusCode, bad.json().error.code]).toEqual([422, 'ADVISOR_INVALID']);
    const missing = await h.inject('POST', `${BASE}/teams`, h.coordinador, { name: 'Equipo Coordinado', group_id: h.fichaB.id });
    expect([missing.statusCode, missing.json().error.code]).toEqual([422, 'VALIDATION_ERROR']);
    const good = await h.inject('POST', `${BASE}/teams`, h.coordinador, { name: 'Equipo Coordinado', group_id: h.fichaB.id, advisor_id: h.z.id });
    expect(good.json().data).toMatchObject({ advisor_id: h.z.id, status: 'forming', member_count: 0 });
  });

  it('when the leader is not among the members, then 422 LEADER_NOT_MEMBER; apprentices and administrativo cannot create (403)', async () => {
    const res = await h.inject('POST', `${BASE}/teams`, h.x, { name: 'Equipo Sin Líder', group_id: h.fichaA.id, members: [{ student_id: h.fichaA.apprentices[6].id }], leader_id: h.fichaA.apprentices[7].id });
    expect(res.json().error.code).toBe('LEADER_NOT_MEMBER');
    for (const who of [h.fichaA.apprentices[7], h.administrativo]) expect((await h.inject('POST', `${BASE}/teams`, who, body(h, 0, 'Equipo Prohibido'))).statusCode).toBe(403);
  });

  it('given 5 members, when a sixth is added, then 409 TEAM_SIZE_INVALID (full); given 2, activation is too_small; with 3 and a leader, active', async () => {
    const [a, b, c, d, e, f] = [...h.fichaB.apprentices, ...h.fichaA.apprentices.slice(4, 6)];
    const team = await h.ok(201, 'POST', `${BASE}/teams`, h.z, { name: 'Equipo Cinco', group_id: h.fichaB.id, members: [a, b].map((p) => ({ student_id: p.id })) });
    const small = await h.inject('POST', `${BASE}/teams/${team.id}/activate`, h.z);
    expect([small.statusCode, small.json().error.code, small.json().error.details.reason]).toEqual([409, 'TEAM_SIZE_INVALID', 'too_small']);
    await h.ok(200, 'POST', `${BASE}/teams/${team.id}/members`, h.z, { student_id: c.id, role: 'developer' });
    const noLeader = await h.inject('POST', `${BASE}/teams/${team.id}/activate`, h.z);
    expect(noLeader.json().error.code).toBe('TEAM_LEADER_REQUIRED');
    // an apprentice calling P6 gets 403
    expect((await h.inject('POST', `${BASE}/teams/${team.id}/members`, a, { student_id: d.id })).statusCode).toBe(403);
    // another instructor (not the advisor) is refused too
    expect((await h.inject('POST', `${BASE}/teams/${team.id}/members`, h.x, { student_id: d.id })).statusCode).toBe(403);
    await h.ok(200, 'POST', `${BASE}/teams/${team.id}/members`, h.z, { student_id: d.id });
    await h.ok(200, 'PATCH', `${BASE}/teams/${team.id}`, h.z, { leader_id: a.id });
    const active = await h.ok(200, 'POST', `${BASE}/teams/${team.id}/activate`, h.z);
    expect(active).toMatchObject({ status: 'active', member_count: 4, leader_id: a.id });
    // e, f are of ficha A: the team is of ficha B
    expect((await h.inject('POST', `${BASE}/teams/${team.id}/members`, h.z, { student_id: e.id })).json().error.code).toBe('STUDENT_NOT_IN_GROUP');
    void f;
    // removing the leader of an active team needs another leader first; going under 3 is too_small
    expect((await h.inject('DELETE', `${BASE}/teams/${team.id}/members/${a.id}`, h.z)).json().error.code).toBe('TEAM_LEADER_REQUIRED');
    await h.ok(200, 'DELETE', `${BASE}/teams/${team.id}/members/${d.id}`, h.z);
    const tooSmall = await h.inject('DELETE', `${BASE}/teams/${team.id}/members/${c.id}`, h.z);
    expect(tooSmall.json().error).toMatchObject({ code: 'TEAM_SIZE_INVALID', details: { reason: 'too_small' } });
    expect((await h.inject('DELETE', `${BASE}/teams/${team.id}/members/${h.fichaA.apprentices[7].id}`, h.z)).json().error.code).toBe('MEMBER_NOT_FOUND');
    // activating twice is an INVALID_STATE
    expect((await h.inject('POST', `${BASE}/teams/${team.id}/activate`, h.z)).json().error).toMatchObject({ code: 'INVALID_STATE', details: { entity: 'team', status: 'active', action: 'activate' } });
  });

  it('when a full team gets a sixth member, then 409 TEAM_SIZE_INVALID (full)', async () => {
    const five = h.fichaA.apprentices.slice(4, 8);
    const team = await h.ok(201, 'POST', `${BASE}/teams`, h.y, { name: 'Equipo Lleno', group_id: h.fichaA.id, members: five.map((p) => ({ student_id: p.id })) });
    // a fifth from a closed team of the same ficha
    const spare = await h.ok(201, 'POST', `${BASE}/teams`, h.x, { name: 'Equipo Temporal', group_id: h.fichaA.id });
    void spare;
    const extra = h.users.add({ role: 'aprendiz', first_name: 'Extra' });
    const sixth = h.users.add({ role: 'aprendiz', first_name: 'Sexto' });
    h.schedules.rosters.get(h.fichaA.id)!.push({ id: extra.id, first_name: 'Extra', last_name: null }, { id: sixth.id, first_name: 'Sexto', last_name: null });
    await h.ok(200, 'POST', `${BASE}/teams/${team.id}/members`, h.y, { student_id: extra.id });
    const full = await h.inject('POST', `${BASE}/teams/${team.id}/members`, h.y, { student_id: sixth.id });
    expect([full.statusCode, full.json().error.code, full.json().error.details.reason]).toEqual([409, 'TEAM_SIZE_INVALID', 'full']);
  });

  it('apprentices see only their own teams (O1): others are 404 and lists are filtered', async () => {
    const mine = h.fichaA.apprentices[0];
    const list = await h.ok<any[]>(200, 'GET', `${BASE}/teams`, mine);
    expect(list.map((t) => t.name)).toEqual(['Equipo Innovadores']);
    const other = (await h.ok<any[]>(200, 'GET', `${BASE}/teams?search=Lleno`, h.administrativo))[0];
    const res = await h.inject('GET', `${BASE}/teams/${other.id}`, mine);
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'TEAM_NOT_FOUND']);
    expect((await h.inject('GET', `${BASE}/teams/${other.id}`, 'service')).statusCode).toBe(200);
    const byStudent = await h.ok<any[]>(200, 'GET', `${BASE}/teams?student_id=${mine.id}&sort=-created_at`, h.coordinador);
    expect(byStudent).toHaveLength(1);
  });

  it('when a forming team without ideas is deleted, then 204; a team with ideas, 409 TEAM_NOT_DELETABLE; close ends every membership', async () => {
    const temp = (await h.ok<any[]>(200, 'GET', `${BASE}/teams?search=Temporal`, h.x))[0];
    await h.ok(204, 'DELETE', `${BASE}/teams/${temp.id}`, h.x);
    const team = await activeTeam(h, { advisor: h.z, members: [], name: 'x' }).catch(() => undefined);
    expect(team).toBeUndefined();
    const cinco = (await h.ok<any[]>(200, 'GET', `${BASE}/teams?search=Cinco`, h.z))[0];
    await h.ok(201, 'POST', `${BASE}/teams/${cinco.id}/ideas`, h.z, idea(1));
    expect((await h.inject('DELETE', `${BASE}/teams/${cinco.id}`, h.z)).json().error.code).toBe('TEAM_NOT_DELETABLE');
    const closed = await h.ok(200, 'POST', `${BASE}/teams/${cinco.id}/close`, h.z, { reason: 'El equipo terminó su formación.' });
    expect(closed).toMatchObject({ status: 'closed', close_reason: 'El equipo terminó su formación.', member_count: 0 });
    expect(closed.members.every((m: any) => m.left_at !== null)).toBe(true);
    expect((await h.inject('POST', `${BASE}/teams/${cinco.id}/close`, h.z, { reason: 'Otra vez cerrado aquí.' })).json().error.code).toBe('INVALID_STATE');
  });

  it('only admin and coordinador change the advisor', async () => {
    const team = (await h.ok<any[]>(200, 'GET', `${BASE}/teams?search=Innovadores`, h.x))[0];
    expect((await h.inject('PATCH', `${BASE}/teams/${team.id}`, h.x, { advisor_id: h.y.id })).statusCode).toBe(403);
    const moved = await h.ok(200, 'PATCH', `${BASE}/teams/${team.id}`, h.coordinador, { advisor_id: h.y.id });
    expect(moved.advisor_id).toBe(h.y.id);
    await h.ok(200, 'PATCH', `${BASE}/teams/${team.id}`, h.admin, { advisor_id: h.x.id, name: 'Equipo Innovadores' });
  });

  it('when schedules is down, then 503 SERVICE_UNAVAILABLE', async () => {
    h.schedules.down = true;
    const res = await h.inject('POST', `${BASE}/teams`, h.x, body(h, 0, 'Equipo Caído'));
    h.schedules.down = false;
    expect(res.statusCode).toBe(503);
  });
});
