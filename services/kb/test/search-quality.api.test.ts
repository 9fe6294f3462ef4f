/**
 * Search quality, measured (issue 15): a fixed set of Spanish questions as people type them — typos,
 * missing accents, synonyms, plural/singular, questions instead of keywords — each with the seeded
 * item it should find. Full-text search alone (the embedded default has no embeddings model) must put
 * the expected item in the top 3 for at least 80 % of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemId, seedKbDemo } from '../src/seed/demo.seed.ts';
import { createHarness, type Harness } from './harness.ts';

/** [question, expected demo item number, role asking (default aprendiz)] */
export const QUESTIONS: Array<[string, number, string?]> = [
  ['como justifico una falta', 10],
  ['excusa medica por no asistir', 10],
  ['cuantos dias tengo para justificar', 10],
  ['formatos de los soportes de justificacion', 10],
  ['justificasion de inacistencias', 10],
  ['derechos del estudiante', 2],
  ['derechos del aprendis', 2],
  ['deberes del alumno', 3],
  ['obligaciones de los aprendices', 3],
  ['que pasa si falto tres veces seguidas', 17],
  ['inasistencias sin justificar', 17],
  ['alertas de desercion', 17],
  ['asistencia menor al 80', 17],
  ['codigo qr asistencia', 14],
  ['registrar asistencia con qr', 14],
  ['porque cambia el qr', 15],
  ['qr cada 15 segundos', 15],
  ['cambiar contrasena', 19],
  ['contraseña temporal primer ingreso', 21],
  ['olvide mi clave', 25],
  ['cuenta bloqueada', 25],
  ['no me llegan los correos', 25],
  ['recurso de reposicion', 12],
  ['como apelar una decision', 12],
  ['faltas gravisimas', 4],
  ['que es una falta leve', 4],
  ['copiar en una evaluacion', 4],
  ['sanciones disciplinarias', 5],
  ['cancelacion de matricula', 5],
  ['condicionamiento de la matricula', 5],
  ['comite de evaluacion y seguimiento', 7],
  ['quien integra el comite', 7],
  ['debido proceso disciplinario', 6],
  ['presentar descargos', 6],
  ['juicio no aprobado', 8],
  ['notas del aprendiz', 8],
  ['revision de un juicio de evaluacion', 8],
  ['retiro voluntario', 13],
  ['aplazar la formacion', 13],
  ['evaluar a los profesores', 18],
  ['encuesta de instructores', 18],
  ['horario de mi grupo', 23],
  ['ambientes y sedes', 23],
  ['calidad de aprendiz', 1],
  ['cuando pierdo la calidad de aprendiz', 1],
  ['asistensia obligatoria', 9],
  ['retardos e inasistencias', 9],
  ['escanear qr de los aprendices', 16, 'instructor'],
  ['tomar asistencia con la camara', 16, 'instructor'],
  ['aprobar o rechazar justificaciones', 11, 'instructor'],
  ['guia para instructores nuevos', 22, 'instructor'],
  ['cargar usuarios csv', 20, 'coordinador'],
  ['importar estudiantes desde archivo', 20, 'coordinador'],
];

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await seedKbDemo(h.db, h.clock.now);
});
afterAll(async () => h.close());

describe('search quality (full-text only)', () => {
  it(`when the ${QUESTIONS.length} fixed questions are asked, then recall@3 is at least 0.8`, async () => {
    const misses: string[] = [];
    let found = 0;
    for (const [q, n, role] of QUESTIONS) {
      const who = role === 'instructor' ? h.instructor : role === 'coordinador' ? h.coordinador : h.aprendiz;
      const res = await h.inject('GET', `/api/v1/kb/search?q=${encodeURIComponent(q)}&mode=fulltext&page_size=3`, who);
      expect(res.statusCode).toBe(200);
      const ids = res.json().data.map((r: { item: { id: string } }) => r.item.id);
      if (ids.includes(itemId(n))) found++;
      else misses.push(`${q} → #${n} (got ${res.json().data.map((r: { item: { title: string } }) => r.item.title).join(' | ') || 'nada'})`);
    }
    const recall = found / QUESTIONS.length;
    console.log(`kb search quality: recall@3 = ${recall.toFixed(3)} (${found}/${QUESTIONS.length})${misses.length ? `\nmisses:\n  ${misses.join('\n  ')}` : ''}`);
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(40);
    expect(recall).toBeGreaterThanOrEqual(0.8);
  });
});
