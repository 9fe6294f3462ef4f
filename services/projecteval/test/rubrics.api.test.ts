import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const crit = (weights: number[]) => weights.map((weight, i) => ({ name: `Criterio ${i + 1}`, weight }));

describe('rubrics (US-PEV-04)', () => {
  it('when a draft with weights 30, 30, 30 is activated, then 422 RUBRIC_WEIGHTS_INVALID total 90; after 40, it activates', async () => {
    const r = await h.ok(201, 'POST', `${BASE}/rubrics`, h.coordinador, { name: 'Rúbrica de sustentación', criteria: crit([30, 30, 30]) });
    expect(r).toMatchObject({ status: 'draft', version: 1, weight_total: 90 });
    expect(r.grade_bands.map((b: any) => b.code)).toEqual(['A', 'B', 'C', 'D', 'F']);
    const bad = await h.inject('POST', `${BASE}/rubrics/${r.id}/activate`, h.coordinador);
    expect([bad.statusCode, bad.json().error.code, bad.json().error.details.total]).toEqual([422, 'RUBRIC_WEIGHTS_INVALID', 90]);
    await h.ok(200, 'PUT', `${BASE}/rubrics/${r.id}`, h.coordinador, { name: 'Rúbrica de sustentación', criteria: crit([40, 30, 30]) });
    const active = await h.ok(200, 'POST', `${BASE}/rubrics/${r.id}/activate`, h.admin);
    expect(active).toMatchObject({ status: 'active', weight_total: 100 });
    // active rubrics are immutable; duplicating gives a draft v2
    expect((await h.inject('PUT', `${BASE}/rubrics/${r.id}`, h.coordinador, { name: 'Rúbrica de sustentación', criteria: crit([50, 50]) })).json().error.code).toBe('INVALID_STATE');
    const copy = await h.ok(201, 'POST', `${BASE}/rubrics/${r.id}/duplicate`, h.coordinador, {});
    expect(copy).toMatchObject({ status: 'draft', version: 2, derived_from_id: r.id, name: 'Rúbrica de sustentación v2' });
    expect(copy.criteria.map((c: any) => c.weight)).toEqual([40, 30, 30]);
    expect((await h.inject('POST', `${BASE}/rubrics/${r.id}/duplicate`, h.coordinador, {})).json().error.code).toBe('RUBRIC_ALREADY_EXISTS');
    expect((await h.ok(200, 'POST', `${BASE}/rubrics/${r.id}/archive`, h.coordinador)).status).toBe('archived');
  });

  it('when bands without a 0.0 band are saved, then 422 GRADE_BANDS_INVALID; one criterion cannot activate', async () => {
    const res = await h.inject('POST', `${BASE}/rubrics`, h.coordinador, { name: 'Rúbrica sin cero', criteria: crit([100]), grade_bands: [{ code: 'P', label: 'Pasa', min_score: 60, is_passing: true }, { code: 'N', label: 'No pasa', min_score: 10, is_passing: false }] });
    expect([res.statusCode, res.json().error.code, res.json().error.details.reason]).toEqual([422, 'GRADE_BANDS_INVALID', 'no_zero_band']);
    const one = await h.ok(201, 'POST', `${BASE}/rubrics`, h.coordinador, { name: 'Rúbrica de un criterio', criteria: crit([100]), grade_bands: [{ code: 'P', label: 'Pasa', min_score: 60, is_passing: true }, { code: 'N', label: 'No pasa', min_score: 0, is_passing: false }] });
    expect((await h.inject('POST', `${BASE}/rubrics/${one.id}/activate`, h.coordinador)).json().error.code).toBe('RUBRIC_CRITERIA_INVALID');
    expect((await h.inject('POST', `${BASE}/rubrics`, h.coordinador, { name: 'Rúbrica repetida', criteria: [{ name: 'Igual', weight: 50 }, { name: 'igual', weight: 50 }] })).statusCode).toBe(422);
    expect((await h.inject('POST', `${BASE}/rubrics`, h.coordinador, { name: 'Rúbrica niveles', criteria: [{ name: 'Uno', weight: 50, levels: [{ label: 'a', min_score: 0, max_score: 60 }, { label: 'b', min_score: 50, max_score: 100 }] }] })).statusCode).toBe(422);
    expect((await h.inject('POST', `${BASE}/rubrics`, h.coordinador, { name: 'rúbrica de UN criterio', criteria: crit([100]) })).json().error.code).toBe('RUBRIC_ALREADY_EXISTS');
  });

  it('only admin and coordinador write rubrics; staff and instructors read them; apprentices only those of their deliverables', async () => {
    for (const who of [h.x, h.administrativo, h.fichaA.apprentices[0]]) expect((await h.inject('POST', `${BASE}/rubrics`, who, { name: 'Rúbrica prohibida', criteria: crit([100]) })).statusCode).toBe(403);
    const all = await h.ok<any[]>(200, 'GET', `${BASE}/rubrics?status=draft`, h.x);
    expect(all.length).toBeGreaterThan(0);
    expect(all[0].criteria).toBeUndefined();
    expect(await h.ok<any[]>(200, 'GET', `${BASE}/rubrics`, h.fichaA.apprentices[0])).toEqual([]);
    expect((await h.inject('GET', `${BASE}/rubrics/${all[0].id}`, h.fichaA.apprentices[0])).json().error.code).toBe('RUBRIC_NOT_FOUND');
  });
});
