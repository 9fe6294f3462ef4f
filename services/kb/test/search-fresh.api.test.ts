import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

describe('US-KB-02 on a fresh base', () => {
  it('given a published item titled "Justificación de inasistencias", when I search "justificacion inasistencia", then it is the first result in fulltext mode', async () => {
    await h.item({ title: 'Inasistencias del periodo', content: 'Resumen de las inasistencias registradas durante el periodo académico de la ficha.' });
    await h.item({ title: 'Justificación de proyectos', content: 'Cómo escribir la justificación de un proyecto formativo para el comité.' });
    const target = await h.item({ title: 'Justificación de inasistencias', content: 'Las inasistencias se justifican con soportes dentro de los tres días hábiles siguientes.' });
    const res = await h.inject('GET', '/api/v1/kb/search?q=justificacion%20inasistencia', h.aprendiz);
    expect(res.json().data[0].item.id).toBe(target.id);
    expect(res.json().meta.search.mode_used).toBe('fulltext');
    expect(res.json().meta.pagination.total).toBe(1);
  });

  it('given synonyms, when an editor replaces them with a term in two groups, then 422; a valid list replaces the whole set', async () => {
    const bad = await h.inject('PUT', '/api/v1/kb/admin/synonyms', h.coordinador, { groups: [{ terms: ['falta', 'ausencia'] }, { terms: ['Falta', 'error'] }] });
    expect(bad.statusCode).toBe(422);
    const ok = await h.inject('PUT', '/api/v1/kb/admin/synonyms', h.coordinador, { groups: [{ terms: ['Inasistencia', 'falta', 'ausencia'] }] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data[0].terms).toEqual(['inasistencia', 'falta', 'ausencia']);
    expect((await h.inject('GET', '/api/v1/kb/admin/synonyms', h.admin)).json().data).toHaveLength(1);
    expect((await h.inject('GET', '/api/v1/kb/admin/synonyms', h.instructor)).statusCode).toBe(403);
    const res = await h.inject('GET', '/api/v1/kb/search?q=ausencias', h.aprendiz);
    expect(res.json().data.map((r: { item: { title: string } }) => r.item.title)).toContain('Justificación de inasistencias');
  });
});
