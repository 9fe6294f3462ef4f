/** E9–E17 (US-EVI-03): questionnaires, ordering, limits, duplication. */
import { describe, expect, it } from 'vitest';
import { expectError, expectOk } from './http.ts';
import { ROLES, useHarness } from './harness.ts';
import { makePeriod, makeQuestions } from './support.ts';

const ref = useHarness();
const URL = '/api/v1/evalin/questionnaires';

describe('questionnaires (E9–E17)', () => {
  it('when the admin adds 3 questions and then one at position 1, then E11 lists 4, the new one first, positions 1..4', async () => {
    const h = ref.h;
    const [a, b, c, d] = await makeQuestions(h, 4);
    const qn = expectOk(await h.inject('POST', URL, h.admin, { name: 'Orden de prueba' }), 201);
    expect(qn).toMatchObject({ question_count: 0, locked: false, questions: [] });
    expectOk(await h.inject('POST', `${URL}/${qn.id}/questions`, h.admin, { question_ids: [a, b, c] }));
    expectOk(await h.inject('POST', `${URL}/${qn.id}/questions`, h.admin, { question_ids: [d], position: 1 }));
    const detail = expectOk(await h.inject('GET', `${URL}/${qn.id}`, h.x));
    expect(detail.questions.map((q: { id: string; position: number }) => [q.id, q.position])).toEqual([[d, 1], [a, 2], [b, 3], [c, 4]]);
    expect(detail.question_count).toBe(4);
    // E15 closes the gap; E16 reorders; a reorder missing one is 422.
    const removed = expectOk(await h.inject('DELETE', `${URL}/${qn.id}/questions/${a}`, h.admin));
    expect(removed.questions.map((q: { position: number }) => q.position)).toEqual([1, 2, 3]);
    const reordered = expectOk(await h.inject('PUT', `${URL}/${qn.id}/questions/order`, h.admin, { question_ids: [c, b, d] }));
    expect(reordered.questions.map((q: { id: string }) => q.id)).toEqual([c, b, d]);
    const mismatch = expectError(await h.inject('PUT', `${URL}/${qn.id}/questions/order`, h.admin, { question_ids: [c, c, a] }), 422, 'QUESTION_ORDER_MISMATCH');
    expect(mismatch.details).toEqual({ missing: [b, d], unexpected: [a], duplicated: [c] });
    expectError(await h.inject('POST', `${URL}/${qn.id}/questions`, h.admin, { question_ids: [b] }), 409, 'QUESTION_ALREADY_IN_QUESTIONNAIRE');
    expectError(await h.inject('DELETE', `${URL}/${qn.id}/questions/${a}`, h.admin), 404, 'QUESTION_NOT_IN_QUESTIONNAIRE');
  });

  it('when a questionnaire holds 50 questions and one more is added, then 409 QUESTIONNAIRE_FULL', async () => {
    const h = ref.h;
    const ids = await makeQuestions(h, 51, { category: 'Cincuenta' });
    const qn = expectOk(await h.inject('POST', URL, h.admin, { name: 'Lleno', question_ids: ids.slice(0, 50) }), 201);
    expect(qn.question_count).toBe(50);
    expectError(await h.inject('POST', `${URL}/${qn.id}/questions`, h.admin, { question_ids: [ids[50]] }), 409, 'QUESTIONNAIRE_FULL');
  });

  it('when an inactive or unknown question is added, then 409 QUESTION_INACTIVE / 404 QUESTION_NOT_FOUND and nothing changes', async () => {
    const h = ref.h;
    const [a, b] = await makeQuestions(h, 2);
    expectOk(await h.inject('PATCH', `/api/v1/evalin/questions/${b}`, h.admin, { is_active: false }));
    expectError(await h.inject('POST', URL, h.admin, { name: 'Con inactiva', question_ids: [a, b] }), 409, 'QUESTION_INACTIVE');
    expectError(await h.inject('POST', URL, h.admin, { name: 'Con desconocida', question_ids: [a, '00000000-0000-4000-8000-000000000000'] }), 404, 'QUESTION_NOT_FOUND');
    expect(expectOk(await h.inject('GET', `${URL}?search=con%20inactiva`, h.admin))).toEqual([]);
  });

  it('when names repeat case-insensitively, then 409; E17 copies as "(copia)", then "(copia 2)", same order', async () => {
    const h = ref.h;
    const ids = await makeQuestions(h, 3);
    const qn = expectOk(await h.inject('POST', URL, h.admin, { name: 'Base para copiar', question_ids: ids }), 201);
    expectError(await h.inject('POST', URL, h.admin, { name: 'BASE PARA  copiar' }), 409, 'QUESTIONNAIRE_ALREADY_EXISTS');
    const c1 = expectOk(await h.inject('POST', `${URL}/${qn.id}/duplicate`, h.admin, {}), 201);
    const c2 = expectOk(await h.inject('POST', `${URL}/${qn.id}/duplicate`, h.admin, {}), 201);
    expect([c1.name, c2.name]).toEqual(['Base para copiar (copia)', 'Base para copiar (copia 2)']);
    expect(c1.questions.map((q: { id: string }) => q.id)).toEqual(ids);
    expectError(await h.inject('POST', `${URL}/${qn.id}/duplicate`, h.admin, { name: 'base para copiar' }), 409, 'QUESTIONNAIRE_ALREADY_EXISTS');
    const renamed = expectOk(await h.inject('PATCH', `${URL}/${c2.id}`, h.admin, { name: 'Renombrado', is_active: false }));
    expect(renamed).toMatchObject({ name: 'Renombrado', is_active: false });
    expect(expectOk(await h.inject('GET', `${URL}?is_active=false`, h.admin)).map((q: { name: string }) => q.name)).toContain('Renombrado');
    expect((await h.inject('DELETE', `${URL}/${c2.id}`, h.admin)).statusCode).toBe(204);
    expectError(await h.inject('GET', `${URL}/${c2.id}`, h.admin), 404, 'QUESTIONNAIRE_NOT_FOUND');
  });

  it('when a period using it has been activated, then its list is locked (R10), its questions locked (R5), its delete refused (R12); E17 gives an unlocked copy', async () => {
    const h = ref.h;
    const ids = await makeQuestions(h, 2, { category: 'Bloqueo' });
    const [extra] = await makeQuestions(h, 1, { category: 'Bloqueo' });
    const qn = expectOk(await h.inject('POST', URL, h.admin, { name: 'Para bloquear', question_ids: ids }), 201);
    const now = h.clock.now.getTime();
    const p = await makePeriod(h, { start: new Date(now + 40 * 86_400_000).toISOString(), end: new Date(now + 50 * 86_400_000).toISOString(), groups: [h.fichaA.id], questionnaireId: qn.id });
    // A draft period does not lock.
    expect(expectOk(await h.inject('GET', `${URL}/${qn.id}`, h.admin)).locked).toBe(false);
    expectOk(await h.inject('POST', `/api/v1/evalin/periods/${p.id}/activate`, h.admin));
    expect(expectOk(await h.inject('GET', `${URL}/${qn.id}`, h.admin))).toMatchObject({ locked: true, period_count: 1 });
    expectError(await h.inject('POST', `${URL}/${qn.id}/questions`, h.admin, { question_ids: [extra] }), 409, 'QUESTIONNAIRE_LOCKED');
    expectError(await h.inject('PUT', `${URL}/${qn.id}/questions/order`, h.admin, { question_ids: [...ids].reverse() }), 409, 'QUESTIONNAIRE_LOCKED');
    expectError(await h.inject('DELETE', `${URL}/${qn.id}/questions/${ids[0]}`, h.admin), 409, 'QUESTIONNAIRE_LOCKED');
    expect(expectOk(await h.inject('PATCH', `${URL}/${qn.id}`, h.admin, { description: 'Sigue editable' })).description).toBe('Sigue editable');
    const locked = expectError(await h.inject('PATCH', `/api/v1/evalin/questions/${ids[0]}`, h.admin, { text: 'Otro texto para la pregunta bloqueada' }), 409, 'QUESTION_LOCKED');
    expect(locked.details.fields).toEqual(['text']);
    expect(expectOk(await h.inject('PATCH', `/api/v1/evalin/questions/${ids[0]}`, h.admin, { description: 'Ayuda nueva', order_index: 9 }))).toMatchObject({ locked: true, description: 'Ayuda nueva', order_index: 9 });
    expect(expectError(await h.inject('DELETE', `${URL}/${qn.id}`, h.admin), 409, 'QUESTIONNAIRE_IN_USE').details.periods).toEqual([p.name]);
    const copy = expectOk(await h.inject('POST', `${URL}/${qn.id}/duplicate`, h.admin, {}), 201);
    expect(copy).toMatchObject({ name: 'Para bloquear (copia)', locked: false });
    expect(copy.questions.map((q: { id: string }) => q.id)).toEqual(ids);
    expectOk(await h.inject('POST', `${URL}/${copy.id}/questions`, h.admin, { question_ids: [extra] }));
  });

  it.each(ROLES)('when %s reads and manages questionnaires, then readers are staff and instructors, the manager is admin', async (role) => {
    const h = ref.h;
    const read = await h.inject('GET', URL, role);
    if (role === 'aprendiz') expectError(read, 403, 'INSUFFICIENT_PERMISSIONS');
    else expectOk(read);
    const write = await h.inject('POST', URL, role, { name: `Cuestionario del rol ${role}` });
    if (role === 'admin') expectOk(write, 201);
    else expectError(write, 403, 'INSUFFICIENT_PERMISSIONS');
  });
});
