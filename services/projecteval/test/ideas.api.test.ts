import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, createHarness, type Harness } from './harness.ts';
import { activeTeam, idea } from './fixtures.ts';

let h: Harness;
let team: Record<string, any>;
const member = () => h.fichaA.apprentices[0];
beforeAll(async () => {
  h = await createHarness();
  team = await activeTeam(h);
});
afterAll(async () => h.close());

describe('ideas (US-PEV-02)', () => {
  it('when a member of an active team proposes an idea, then 201 proposed and the advisor gets idea_submitted', async () => {
    const res = await h.inject('POST', `${BASE}/teams/${team.id}/ideas`, member(), { ...idea(1), technologies: ['TypeScript', 'PostgreSQL'] });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({ status: 'proposed', proposed_by: member().id, technologies: ['TypeScript', 'PostgreSQL'] });
    const [note] = await h.outbox('projecteval.idea_submitted');
    expect(note.body).toMatchObject({ target_users: [h.x.id], data: { idea_title: 'Idea número 1', team_name: 'Equipo Innovadores' } });
  });

  it('given 2 ideas, when the advisor approves one, then 409 MIN_IDEAS_NOT_MET; after a third, approval with 85 leaves the others not_selected', async () => {
    const second = await h.ok(201, 'POST', `${BASE}/teams/${team.id}/ideas`, h.x, idea(2));
    const early = await h.inject('POST', `${BASE}/ideas/${second.id}/decision`, h.x, { decision: 'approve', viability_score: 85 });
    expect(early.json().error).toMatchObject({ code: 'MIN_IDEAS_NOT_MET', details: { count: 2, required: 3 } });
    const third = await h.ok(201, 'POST', `${BASE}/teams/${team.id}/ideas`, member(), idea(3));
    // a member posting a decision gets 403; another instructor too
    expect((await h.inject('POST', `${BASE}/ideas/${third.id}/decision`, member(), { decision: 'approve', viability_score: 85 })).statusCode).toBe(403);
    expect((await h.inject('POST', `${BASE}/ideas/${third.id}/decision`, h.y, { decision: 'approve', viability_score: 85 })).statusCode).toBe(403);
    // revision needs feedback; with it the idea is revision_requested and the team's edit returns it to proposed
    expect((await h.inject('POST', `${BASE}/ideas/${third.id}/decision`, h.x, { decision: 'request_revision' })).statusCode).toBe(422);
    const revised = await h.ok(200, 'POST', `${BASE}/ideas/${third.id}/decision`, h.x, { decision: 'request_revision', feedback: 'Precise mejor los objetivos.' });
    expect(revised.status).toBe('revision_requested');
    h.clock.now = new Date(h.clock.now.getTime() + 60_000);
    const edited = await h.ok(200, 'PATCH', `${BASE}/ideas/${third.id}`, member(), { objectives: 'Objetivos más precisos y medibles' });
    expect(edited.status).toBe('proposed');
    expect((await h.outbox('projecteval.idea_submitted')).length).toBe(4);
    const approved = await h.ok(200, 'POST', `${BASE}/ideas/${second.id}/decision`, h.x, { decision: 'approve', viability_score: 85 });
    expect(approved).toMatchObject({ status: 'approved', viability_score: 85, decided_by: h.x.id });
    const all = await h.ok<any[]>(200, 'GET', `${BASE}/ideas?team_id=${team.id}&sort=title`, member());
    expect(all.map((i) => i.status)).toEqual(['not_selected', 'approved', 'not_selected']);
    const decided = await h.outbox('projecteval.idea_decided');
    expect(decided.map((d) => d.body.data.decision).sort()).toEqual(['approved', 'not_selected', 'not_selected', 'revision_requested']);
    expect(decided[0].body.target_users.sort()).toEqual(h.fichaA.apprentices.slice(0, 4).map((a) => a.id).sort());
  });

  it('given an approved idea, when another is proposed, then 409 TEAM_ALREADY_HAS_APPROVED_IDEA; decided ideas are not edited (INVALID_STATE)', async () => {
    const res = await h.inject('POST', `${BASE}/teams/${team.id}/ideas`, member(), idea(4));
    expect(res.json().error.code).toBe('TEAM_ALREADY_HAS_APPROVED_IDEA');
    const [first] = await h.ok<any[]>(200, 'GET', `${BASE}/ideas?team_id=${team.id}&status=approved`, h.coordinador);
    expect((await h.inject('PATCH', `${BASE}/ideas/${first.id}`, h.x, { title: 'Nuevo título' })).json().error.code).toBe('INVALID_STATE');
    expect((await h.inject('POST', `${BASE}/ideas/${first.id}/withdraw`, h.x)).json().error.code).toBe('INVALID_STATE');
  });

  it('when a forming team gets an idea, then 409 TEAM_NOT_ACTIVE; an apprentice of another team gets 404, a stranger instructor 403 on P11', async () => {
    const forming = await h.ok(201, 'POST', `${BASE}/teams`, h.z, { name: 'Equipo Nuevo', group_id: h.fichaB.id, members: [{ student_id: h.fichaB.apprentices[0].id }] });
    expect((await h.inject('POST', `${BASE}/teams/${forming.id}/ideas`, h.z, idea(1))).json().error.code).toBe('TEAM_NOT_ACTIVE');
    const res = await h.inject('POST', `${BASE}/teams/${forming.id}/ideas`, member(), idea(1));
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'TEAM_NOT_FOUND']);
    expect((await h.inject('POST', `${BASE}/teams/${forming.id}/ideas`, h.x, idea(1))).statusCode).toBe(403);
    const [one] = await h.ok<any[]>(200, 'GET', `${BASE}/ideas?team_id=${team.id}`, h.administrativo);
    expect((await h.inject('GET', `${BASE}/ideas/${one.id}`, h.fichaB.apprentices[0])).json().error.code).toBe('IDEA_NOT_FOUND');
    expect(await h.ok<any[]>(200, 'GET', `${BASE}/ideas`, h.fichaB.apprentices[0])).toEqual([]);
  });

  it('when a team reaches 10 ideas, then 409 IDEA_LIMIT_REACHED; withdrawing one frees a place; an inactive stakeholder cannot be linked', async () => {
    const t = await activeTeam(h, { advisor: h.y, members: h.fichaA.apprentices.slice(4, 7), name: 'Equipo Diez' });
    const a = h.fichaA.apprentices[4];
    const ids = [];
    for (let n = 1; n <= 10; n++) ids.push((await h.ok(201, 'POST', `${BASE}/teams/${t.id}/ideas`, a, idea(n))).id);
    expect((await h.inject('POST', `${BASE}/teams/${t.id}/ideas`, a, idea(11))).json().error.code).toBe('IDEA_LIMIT_REACHED');
    expect((await h.ok(200, 'POST', `${BASE}/ideas/${ids[9]}/withdraw`, a)).status).toBe('withdrawn');
    const s = await h.ok(201, 'POST', `${BASE}/stakeholders`, h.y, { name: 'Aliado Inactivo', stakeholder_type: 'company', contact_person: 'Persona Contacto', email: 'contacto@aliado.example' });
    await h.ok(200, 'PATCH', `${BASE}/stakeholders/${s.id}`, h.coordinador, { status: 'inactive' });
    expect((await h.inject('POST', `${BASE}/teams/${t.id}/ideas`, a, { ...idea(11), stakeholder_id: s.id })).json().error.code).toBe('STAKEHOLDER_INACTIVE');
    const rejected = await h.ok(200, 'POST', `${BASE}/ideas/${ids[0]}/decision`, h.y, { decision: 'reject', feedback: 'No es viable este trimestre.' });
    expect(rejected).toMatchObject({ status: 'rejected', feedback: 'No es viable este trimestre.' });
  });
});
