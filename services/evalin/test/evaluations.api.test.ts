/** E30–E38 (US-EVI-06..09): whom to evaluate, drafts, submission, once per period, own records only. */
import { describe, expect, it } from 'vitest';
import { expectError, expectOk } from './http.ts';
import { ROLES, useHarness } from './harness.ts';
import { makePeriod, makeQuestionnaire, makeQuestions } from './support.ts';

const ref = useHarness();
const EV = '/api/v1/evalin/evaluations';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

async function world() {
  const h = ref.h;
  const likert = await makeQuestions(h, 3, { category: 'Metodología' });
  const [single] = await makeQuestions(h, 1, { type: 'single_choice', options: ['Siempre', 'Nunca'], category: 'Recursos' });
  const [multi] = await makeQuestions(h, 1, { type: 'multiple_choice', options: ['Guías', 'Videos', 'Laboratorios'], category: 'Recursos', is_required: false });
  const [text] = await makeQuestions(h, 1, { type: 'text', category: 'Abiertas' });
  const qn = await makeQuestionnaire(h, [...likert, single, multi, text]);
  const now = h.clock.now.getTime();
  const p = await makePeriod(h, { start: iso(now - DAY), end: iso(now + 14 * DAY), groups: [h.fichaA.id], questionnaireId: qn });
  expectOk(await h.inject('POST', `/api/v1/evalin/periods/${p.id}/activate`, h.admin));
  return { p, likert, single, multi, text };
}

let W: Awaited<ReturnType<typeof world>>;

describe('evaluating (E30–E37)', () => {
  it('when an apprentice of ficha A calls E30, then the 4 instructors of the period dates are pending; V, whose entries ended before, is not listed', async () => {
    const h = ref.h;
    W = await world();
    const data = expectOk(await h.inject('GET', '/api/v1/evalin/instructors-to-evaluate', h.fichaA.apprentices[0]));
    const period = data.periods.find((x: { period_id: string }) => x.period_id === W.p.id);
    expect(period).toMatchObject({ total: 4, submitted: 0, is_open: true, days_remaining: 14 });
    expect(period.instructors.map((i: { instructor_id: string }) => i.instructor_id).sort()).toEqual([h.x.id, h.y.id, h.z.id, h.w.id].sort());
    expect(period.instructors.every((i: { status: string }) => i.status === 'pending')).toBe(true);
    expect(period.instructors.some((i: { instructor_id: string }) => i.instructor_id === h.v.id)).toBe(false);
  });

  it('when a second open period ends first, then it is listed first', async () => {
    const h = ref.h;
    const now = h.clock.now.getTime();
    const p2 = await makePeriod(h, { start: iso(now - DAY), end: iso(now + 3 * DAY), groups: [h.fichaB.id] });
    expectOk(await h.inject('POST', `/api/v1/evalin/periods/${p2.id}/activate`, h.admin));
    const p3 = await makePeriod(h, { start: iso(now - DAY), end: iso(now + 20 * DAY), groups: [h.fichaB.id] }).catch(() => undefined);
    expect(p3).toBeUndefined();
    const b = h.fichaB.apprentices[0];
    const data = expectOk(await h.inject('GET', '/api/v1/evalin/instructors-to-evaluate', b));
    expect(data.periods.map((x: { period_id: string }) => x.period_id)).toEqual([p2.id]);
    expect(expectOk(await h.inject('GET', '/api/v1/evalin/instructors-to-evaluate', 'aprendiz'))).toEqual({ periods: [] });
  });

  it('when the apprentice saves a partial draft, then 201 draft and E31 returns the answers; an unknown question or bad value is INVALID_ANSWER', async () => {
    const h = ref.h;
    const me = h.fichaA.apprentices[0];
    const q = expectOk(await h.inject('GET', `/api/v1/evalin/questionnaires/for-instructor/${h.x.id}`, me));
    expect(q).toMatchObject({ period: { id: W.p.id }, instructor: { id: h.x.id }, small_group_warning: false, evaluation: null });
    expect(q.questions).toHaveLength(6);
    expect(q.likert_scale[0]).toEqual({ value: 1, label: 'Totalmente en desacuerdo' });
    const bad = expectError(await h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.x.id, answers: [{ question_id: W.likert[0], value: 6 }, { question_id: W.single, value: 'A veces' }, { question_id: W.likert[0], value: 3 }, { question_id: '00000000-0000-4000-8000-000000000000', value: 1 }, { question_id: W.likert[1], value: '4' }], submit: false }), 422, 'INVALID_ANSWER');
    expect(bad.details.map((d: { reason: string }) => d.reason)).toEqual(['out_of_range', 'not_an_option', 'duplicate_question', 'not_in_questionnaire', 'wrong_type']);
    const draft = expectOk(await h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.x.id, answers: [{ question_id: W.likert[0], value: 5 }, { question_id: W.single, value: ' siempre ' }, { question_id: W.text, value: '' }], submit: false }), 201);
    expect(draft).toMatchObject({ status: 'draft', answered_count: 2, required_count: 4, answers: [{ question_id: W.likert[0], value: 5 }, { question_id: W.single, value: 'Siempre' }] });
    const again = expectOk(await h.inject('GET', `/api/v1/evalin/questionnaires/for-instructor/${h.x.id}?period_id=${W.p.id}`, me));
    expect(again.evaluation).toMatchObject({ id: draft.id, status: 'draft', answers: [{ question_id: W.likert[0], value: 5 }, { question_id: W.single, value: 'Siempre' }] });
    const dup = expectError(await h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.x.id, answers: [], submit: false }), 409, 'EVALUATION_ALREADY_EXISTS');
    expect(dup.details).toEqual({ evaluation_id: draft.id, status: 'draft' });
    // E35 with required questions missing → 422 listing them.
    const incomplete = expectError(await h.inject('POST', `${EV}/${draft.id}/submit`, me), 422, 'INCOMPLETE_EVALUATION');
    expect(incomplete.details.missing_question_ids.sort()).toEqual([W.likert[1], W.likert[2]].sort());
    // E34 completes it, E35 submits: no answers back, the anonymous side gains one response.
    expectOk(await h.inject('PUT', `${EV}/${draft.id}`, me, { answers: [...W.likert.map((id) => ({ question_id: id, value: 4 })), { question_id: W.single, value: 'Nunca' }, { question_id: W.multi, value: ['videos', 'Guías'] }, { question_id: W.text, value: 'Explica muy bien' }], general_comment: '  Gracias  ' }));
    const sent = expectOk(await h.inject('POST', `${EV}/${draft.id}/submit`, me));
    expect(sent).toMatchObject({ status: 'submitted' });
    expect(sent.answers).toBeUndefined();
    const read = expectOk(await h.inject('GET', `${EV}/${draft.id}`, me));
    expect(read.answers).toBeUndefined();
    expect(read.general_comment).toBeUndefined();
    const [resp] = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM evalin.responses WHERE period_id = $1', [W.p.id]);
    expect(resp.n).toBe(1);
    const choices = await h.db.query<{ c: string[] }>('SELECT choice_values AS c FROM evalin.response_answers WHERE question_id = $1', [W.multi]);
    expect(choices[0].c).toEqual(['Guías', 'Videos']);
    const comments = await h.db.query<{ text: string; status: string }>('SELECT text, status::text AS status FROM evalin.comments WHERE period_id = $1 ORDER BY text', [W.p.id]);
    expect(comments).toEqual([{ text: 'Explica muy bien', status: 'pending' }, { text: 'Gracias', status: 'pending' }]);
    const [ev] = await h.db.query<{ a: unknown; c: unknown }>('SELECT draft_answers AS a, draft_general_comment AS c FROM evalin.evaluations WHERE id = $1', [draft.id]);
    expect(ev).toEqual({ a: null, c: null });
    const event = (await h.outbox('evalin.evaluation_submitted')).at(-1)!;
    expect(event.body).toMatchObject({ target_users: [me.id], data: { period_id: W.p.id, instructor_name: h.x.full_name, submitted: 1, total: 4 } });
    expect(JSON.stringify(event.body)).not.toContain('Explica');
    // Submitted is final.
    expectError(await h.inject('PUT', `${EV}/${draft.id}`, me, { answers: [] }), 409, 'EVALUATION_ALREADY_SUBMITTED');
    expectError(await h.inject('DELETE', `${EV}/${draft.id}`, me), 409, 'EVALUATION_ALREADY_SUBMITTED');
    expectError(await h.inject('GET', `/api/v1/evalin/questionnaires/for-instructor/${h.x.id}`, me), 409, 'EVALUATION_ALREADY_SUBMITTED');
  });

  it('when the apprentice posts again for X, evaluates a non-teacher or reads another apprentice’s evaluation, then 409 / 403 / 404', async () => {
    const h = ref.h;
    const me = h.fichaA.apprentices[0];
    const other = h.fichaA.apprentices[1];
    const answers = [...W.likert.map((id) => ({ question_id: id, value: 3 })), { question_id: W.single, value: 'Siempre' }];
    const e = expectError(await h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.x.id, answers }), 409, 'EVALUATION_ALREADY_EXISTS');
    expect(e.details.status).toBe('submitted');
    expectError(await h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.v.id, answers }), 403, 'INSTRUCTOR_NOT_EVALUABLE');
    expectError(await h.inject('GET', `/api/v1/evalin/questionnaires/for-instructor/${h.v.id}`, me), 403, 'INSTRUCTOR_NOT_EVALUABLE');
    const mine = expectOk(await h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.y.id, answers, submit: true }), 201);
    expectError(await h.inject('GET', `${EV}/${mine.id}`, other), 404, 'EVALUATION_NOT_FOUND');
    expectError(await h.inject('POST', `${EV}/${mine.id}/submit`, other), 404, 'EVALUATION_NOT_FOUND');
    // A ficha-B apprentice cannot see ficha A's period (O1).
    expectError(await h.inject('POST', EV, h.fichaB.apprentices[0], { period_id: W.p.id, instructor_id: h.x.id, answers }), 404, 'PERIOD_NOT_FOUND');
    // Without group_id: refused.
    expectError(await h.inject('POST', EV, 'aprendiz', { period_id: W.p.id, instructor_id: h.x.id, answers }), 403, 'INSTRUCTOR_NOT_EVALUABLE');
  });

  it('when 2 of 4 are submitted and 1 is a draft, then E37 summarises without answers; a discarded draft disappears', async () => {
    const h = ref.h;
    const me = h.fichaA.apprentices[0];
    const d = expectOk(await h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.z.id, answers: [{ question_id: W.likert[0], value: 2 }], submit: false }), 201);
    const mine = expectOk(await h.inject('GET', '/api/v1/evalin/my-evaluations', me));
    expect(mine.summary).toEqual({ total_instructors: 4, submitted: 2, draft: 1, pending: 1 });
    expect(JSON.stringify(mine)).not.toContain('"answers"');
    expect(mine.evaluations.find((e: { id: string }) => e.id === d.id)).toMatchObject({ status: 'draft', instructor: { id: h.z.id } });
    expect((await h.inject('DELETE', `${EV}/${d.id}`, me)).statusCode).toBe(204);
    expect(expectOk(await h.inject('GET', '/api/v1/evalin/my-evaluations', me)).summary).toEqual({ total_instructors: 4, submitted: 2, draft: 0, pending: 2 });
    // Admin may delete any draft.
    const d2 = expectOk(await h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.z.id, answers: [], submit: false }), 201);
    expect((await h.inject('DELETE', `${EV}/${d2.id}`, h.admin)).statusCode).toBe(204);
  });

  it('when the period is suspended, then posting is 409 PERIOD_NOT_OPEN', async () => {
    const h = ref.h;
    expectOk(await h.inject('POST', `/api/v1/evalin/periods/${W.p.id}/suspend`, h.admin, { reason: 'Revisión del cuestionario' }));
    expectError(await h.inject('POST', EV, h.fichaA.apprentices[2], { period_id: W.p.id, instructor_id: h.x.id, answers: [] }), 409, 'PERIOD_NOT_OPEN');
    expectError(await h.inject('GET', `/api/v1/evalin/questionnaires/for-instructor/${h.x.id}`, h.fichaA.apprentices[2]), 409, 'PERIOD_NOT_OPEN');
    expectOk(await h.inject('POST', `/api/v1/evalin/periods/${W.p.id}/resume`, h.admin));
  });

  it('when staff list records (E38), then student ids and names but never answers; an apprentice gets 403', async () => {
    const h = ref.h;
    const rows = expectOk(await h.inject('GET', `${EV}?period_id=${W.p.id}`, h.administrativo));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows[0]).toMatchObject({ student_id: h.fichaA.apprentices[0].id, student_name: h.fichaA.apprentices[0].full_name, status: 'submitted' });
    expect(rows.every((r: Record<string, unknown>) => r.answers === undefined)).toBe(true);
    expectError(await h.inject('GET', `${EV}?period_id=${W.p.id}`, h.fichaA.apprentices[0]), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.inject('GET', `${EV}?period_id=00000000-0000-4000-8000-000000000000`, h.admin), 404, 'PERIOD_NOT_FOUND');
    const one = expectOk(await h.inject('GET', `${EV}/${rows[0].id}`, h.coordinador));
    expect(one.answers).toBeUndefined();
  });

  it.each(ROLES)('when %s tries to evaluate, then only aprendiz reaches the rules (service never creates)', async (role) => {
    const h = ref.h;
    const res = await h.inject('POST', EV, role, { period_id: W.p.id, instructor_id: h.x.id, answers: [] });
    if (role === 'aprendiz') expectError(res, 403, 'INSTRUCTOR_NOT_EVALUABLE');
    else expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
    const list = await h.inject('GET', '/api/v1/evalin/my-evaluations', role);
    if (role === 'aprendiz') expectOk(list);
    else expectError(list, 403, 'INSUFFICIENT_PERMISSIONS');
  });
});
