import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedProjectevalDemo, DEMO_GROUP_ID, demoUserId, seedId } from '../src/seed/demo.seed.ts';
import { BASE, createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  // The demo world the seed reads: ficha 2826503 under its fixed id and instructors NN 10, 11.
  h.schedules.groups.set(DEMO_GROUP_ID, { id: DEMO_GROUP_ID, number: '2826503', is_active: true });
  h.schedules.rosters.set(DEMO_GROUP_ID, h.fichaA.apprentices.map((a) => ({ id: a.id, first_name: a.first_name, last_name: a.last_name })));
  h.users.add({ id: demoUserId(10), role: 'instructor', first_name: 'Carlos Andrés', last_name: 'Rodríguez Peña' });
  h.users.add({ id: demoUserId(11), role: 'instructor', first_name: 'Luz Adriana', last_name: 'Moreno Quintero' });
});
afterAll(async () => h.close());

describe('demo seed (§11)', () => {
  it('when it runs, then the §11 records exist (82.3 B published, locked scope, documents) and a second run does nothing', async () => {
    const opts = { schedules: h.schedules, users: h.users, filesDir: h.filesDir, now: () => h.clock.now, timeZone: 'America/Bogota' };
    expect(await seedProjectevalDemo(h.db, opts)).toBe('seeded');
    expect(await seedProjectevalDemo(h.db, opts)).toBe('skipped');
    const rubrics = await h.ok<any[]>(200, 'GET', `${BASE}/rubrics`, h.coordinador);
    expect(rubrics.map((r) => [r.name, r.status, r.weight_total])).toEqual([
      ['Rúbrica de desarrollo de software ADSO', 'active', 100],
      ['Rúbrica de entrega final', 'draft', 90],
      ['Rúbrica de sustentación de avance', 'active', 100],
    ]);
    expect((await h.inject('POST', `${BASE}/rubrics/${seedId(1, 3)}/activate`, h.coordinador)).json().error.details.total).toBe(90);
    const teams = await h.ok<any[]>(200, 'GET', `${BASE}/teams?group_id=${DEMO_GROUP_ID}`, h.administrativo);
    expect(teams.map((t) => [t.name, t.status, t.member_count])).toEqual([['Equipo CódigoVerde', 'active', 3], ['Equipo Innovadores', 'active', 4]]);
    const project = await h.ok(200, 'GET', `${BASE}/projects/${seedId(6, 1)}`, h.fichaA.apprentices[0]);
    expect(project).toMatchObject({ scope_locked: true, project_type: 'web_application', start_date: '2026-01-08', expected_end_date: '2026-07-07' });
    const sub = await h.ok(200, 'GET', `${BASE}/submissions/${seedId(9, 1)}`, h.fichaA.apprentices[0]);
    expect(sub).toMatchObject({ status: 'published', final_score: 82.3, band_code: 'B' });
    expect(sub.evaluations.map((e: any) => e.total_score).sort()).toEqual([80, 84.5]);
    const file = await h.app.inject({ method: 'GET', url: `${BASE}/submissions/${seedId(9, 1)}/files/${sub.files[0].id}`, headers: await h.headers(h.x) });
    expect(file.body).toContain('# Documento de requisitos');
    const doc = await h.ok(200, 'GET', `${BASE}/documents/${seedId(14, 1)}`, h.x);
    expect(doc).toMatchObject({ status: 'approved', current_version: 2, approved_version: 2 });
    const next = await h.ok(200, 'GET', `${BASE}/sessions/${seedId(11, 2)}`, h.x);
    expect(next.jurors.map((j: any) => j.status).sort()).toEqual(['confirmed', 'invited']);
    expect(next.agenda).toEqual([]);
    const report = await h.ok(200, 'GET', `${BASE}/reports/projects/${seedId(6, 1)}`, h.coordinador);
    expect(report).toMatchObject({ project_grade: 82.3, change_requests: { submitted: 1 } });
    expect(existsSync(join(h.filesDir, '2026'))).toBe(true);
    expect(await h.outbox()).toEqual([]);
  });
});
