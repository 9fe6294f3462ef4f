import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, createHarness, type Harness } from './harness.ts';
import { deliverable, hearAndPublish } from './fixtures.ts';

let h: Harness;
let world: Awaited<ReturnType<typeof deliverable>>;
const ids: Record<string, string> = {};
const member = () => h.fichaA.apprentices[0];

beforeAll(async () => {
  h = await createHarness();
  world = await deliverable(h); // "Prototipo…", weight 2, due in 10 days
  const due = (days: number) => new Date(h.clock.now.getTime() + days * 86_400_000).toISOString();
  const d0 = await h.ok(201, 'POST', `${BASE}/projects/${world.project.id}/deliverables`, h.x, { title: 'Documento de requisitos', deliverable_type: 'documentation', due_at: due(5), rubric_id: world.rubricId, weight: 1 });
  const d2 = await h.ok(201, 'POST', `${BASE}/projects/${world.project.id}/deliverables`, h.x, { title: 'Entrega final y despliegue', deliverable_type: 'source_code', due_at: due(40), rubric_id: world.rubricId, weight: 2 });
  Object.assign(ids, { d0: d0.id, d1: world.deliverable.id, d2: d2.id });
  const s0 = await h.ok(201, 'POST', `${BASE}/deliverables/${d0.id}/submissions`, member(), { repository_url: 'https://github.com/sena/req' });
  const s1 = await h.ok(201, 'POST', `${BASE}/deliverables/${world.deliverable.id}/submissions`, member(), { repository_url: 'https://github.com/sena/proto' });
  await hearAndPublish(h, [s0, s1], world.rubricId, [[80], [70]]);
});
afterAll(async () => h.close());

describe('reports (US-PEV-14)', () => {
  it('given weights 1, 2, 2 and published 80.0 (w1) and 70.0 (w2), then project_grade 73.3 and grade_complete false', async () => {
    const r = await h.ok(200, 'GET', `${BASE}/reports/projects/${world.project.id}`, member());
    expect(r).toMatchObject({ project_grade: 73.3, grade_complete: false, is_passing: false, sessions_count: 1, overdue_count: 0 });
    expect(r.deliverables.map((d: any) => [d.title, d.status, d.final_score])).toEqual([
      ['Documento de requisitos', 'published', 80],
      ['Prototipo funcional del módulo de inventario', 'published', 70],
      ['Entrega final y despliegue', 'not_submitted', null],
    ]);
    // the jurors of its sessions read it; another instructor does not; another team's apprentice gets 404
    expect((await h.inject('GET', `${BASE}/reports/projects/${world.project.id}`, h.y)).statusCode).toBe(200);
    expect((await h.inject('GET', `${BASE}/reports/projects/${world.project.id}`, h.z)).statusCode).toBe(403);
    expect((await h.inject('GET', `${BASE}/reports/projects/${world.project.id}`, h.fichaA.apprentices[7])).statusCode).toBe(404);
    expect((await h.inject('GET', `${BASE}/reports/projects/${world.project.id}`, 'service')).statusCode).toBe(200);
  });

  it('when P80 is downloaded, then the header is exactly §6 and each member has one row per deliverable plus TOTAL PROYECTO', async () => {
    const res = await h.app.inject({ method: 'GET', url: `${BASE}/reports/groups/${h.fichaA.id}/grades.csv`, headers: await h.headers(h.coordinador) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="projecteval_notas_2826503_\d{8}\.csv"$/);
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    const lines = res.body.slice(1).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('group_number,team_name,project_title,student_id,student_name,deliverable_title,deliverable_type,due_at,weight,status,version,final_score,band_code,band_label,passing,published_at');
    expect(lines).toHaveLength(1 + 4 * 4);
    const first = lines.filter((l) => l.includes(member().id));
    expect(first.map((l) => l.split(',')[5])).toEqual(['Documento de requisitos', 'Prototipo funcional del módulo de inventario', 'Entrega final y despliegue', 'TOTAL PROYECTO']);
    expect(first[0].split(',').slice(8)).toEqual(['1', 'published', '1', '80.0', 'B', 'Bueno', 'si', '2026-03-10']);
    expect(first[3].split(',').slice(8, 12)).toEqual(['5', 'incomplete', '', '73.3']);
    expect(first[2].split(',').slice(11)).toEqual(['', '', '', '', '']);
    // an instructor who does not teach the ficha is refused; one who does reads it
    expect((await h.inject('GET', `${BASE}/reports/groups/${h.fichaA.id}/grades.csv`, h.z)).statusCode).toBe(403);
    expect((await h.inject('GET', `${BASE}/reports/groups/${h.fichaA.id}/grades.csv`, member())).statusCode).toBe(403);
    expect((await h.inject('GET', `${BASE}/reports/groups/00000000-0000-4000-8000-000000000001/grades.csv`, h.admin)).json().error.code).toBe('UNKNOWN_GROUP');
  });

  it('P78 and P79: ficha and centre figures; an apprentice calling P79 gets 403', async () => {
    const g = await h.ok(200, 'GET', `${BASE}/reports/groups/${h.fichaA.id}`, h.y);
    expect(g).toMatchObject({ group_number: '2826503', average_final_score: 75, pass_rate: 100, grade_distribution: { Bueno: 1, Aceptable: 1 } });
    expect(g.teams[0]).toMatchObject({ name: 'Equipo Innovadores', deliverables_published: 2, deliverables_total: 3, project_grade: 73.3, approved_idea_title: 'Idea número 1' });
    const s = await h.ok(200, 'GET', `${BASE}/reports/summary`, h.administrativo);
    expect(s).toMatchObject({ from: '2026-01-01', to: '2026-03-31', submissions_published: 2, average_final_score: 75, teams_by_status: { active: 1 }, sessions_by_status: { completed: 1 } });
    expect((await h.inject('GET', `${BASE}/reports/summary`, member())).statusCode).toBe(403);
    expect((await h.inject('GET', `${BASE}/reports/summary`, h.x)).statusCode).toBe(403);
  });
});

describe('closing the project (US-PEV-15)', () => {
  it('given a deliverable without a published result, when set completed, then 409 PROJECT_HAS_PENDING_RESULTS; once all are published, completed, team closed, open requests withdrawn', async () => {
    const cr = await h.ok(201, 'POST', `${BASE}/projects/${world.project.id}/change-requests`, member(), { origin: 'team', change_type: 'timeline', title: 'Ampliar el plazo final', description: 'Necesitamos dos semanas más para el despliegue.', justification: 'Retrasos del aliado.' });
    const pending = await h.inject('POST', `${BASE}/projects/${world.project.id}/status`, h.x, { status: 'completed', reason: 'Proyecto terminado.' });
    expect(pending.json().error).toMatchObject({ code: 'PROJECT_HAS_PENDING_RESULTS', details: { deliverable_ids: [ids.d2] } });
    await h.ok(204, 'DELETE', `${BASE}/deliverables/${ids.d2}`, h.x);
    const done = await h.ok(200, 'POST', `${BASE}/projects/${world.project.id}/status`, h.x, { status: 'completed', reason: 'Proyecto terminado.' });
    expect(done.status).toBe('completed');
    expect((await h.ok(200, 'GET', `${BASE}/teams/${done.team_id}`, h.x)).status).toBe('closed');
    expect((await h.ok(200, 'GET', `${BASE}/change-requests/${cr.id}`, member())).status).toBe('withdrawn');
    const r = await h.ok(200, 'GET', `${BASE}/reports/projects/${world.project.id}`, member());
    expect(r).toMatchObject({ grade_complete: true, is_passing: true, project_grade: 73.3, change_requests: { withdrawn: 1 } });
  });
});
