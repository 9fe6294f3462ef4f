/**
 * E32 with submit=true as one write (R23, R26–R29, R38): every answer type straight to the anonymous side,
 * the event's count, two simultaneous submissions, a period no longer open at write time, settings changes
 * seen at once, and the frozen questionnaire cache (R5, R10) never hiding an editable field from E31.
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { expectError, expectOk } from './http.ts';
import { useHarness } from './harness.ts';
import { makePeriod, makeQuestionnaire, makeQuestions } from './support.ts';
import { createSubmissionsRepo } from '../src/infrastructure/submissions.repo.ts';

const ref = useHarness();
const EV = '/api/v1/evalin/evaluations';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

async function world() {
  const h = ref.h;
  // Every test opens its own period over ficha A (R15 would refuse the overlap otherwise).
  const config = expectOk(await h.inject('GET', '/api/v1/evalin/config', h.admin));
  if (!config.settings.allow_overlapping_periods) expectOk(await h.inject('PATCH', '/api/v1/evalin/config', h.admin, { allow_overlapping_periods: true, version: config.version }));
  const likert = await makeQuestions(h, 2, { category: 'Metodología' });
  const [single] = await makeQuestions(h, 1, { type: 'single_choice', options: ['Siempre', 'Nunca'], category: 'Recursos' });
  const [multi] = await makeQuestions(h, 1, { type: 'multiple_choice', options: ['Guías', 'Videos', 'Laboratorios'], category: 'Recursos', is_required: false });
  const [text] = await makeQuestions(h, 1, { type: 'text', category: 'Abiertas', is_required: false });
  const qn = await makeQuestionnaire(h, [...likert, single, multi, text]);
  const now = h.clock.now.getTime();
  const p = await makePeriod(h, { start: iso(now - DAY), end: iso(now + 14 * DAY), groups: [h.fichaA.id], questionnaireId: qn });
  expectOk(await h.inject('POST', `/api/v1/evalin/periods/${p.id}/activate`, h.admin));
  return { p, qn, likert, single, multi, text };
}

const count = async (sql: string, params: unknown[]) => (await ref.h.db.query<{ n: number }>(sql, params))[0].n;

describe('submitting in one write (E32 submit=true)', () => {
  it('when an apprentice submits every answer type at once, then the evaluation is submitted, the answers and comments are anonymous rows and the event counts this one', async () => {
    const h = ref.h;
    const W = await world();
    const me = h.fichaA.apprentices[0];
    const answers = [...W.likert.map((id, i) => ({ question_id: id, value: 4 + i })), { question_id: W.single, value: ' nunca ' }, { question_id: W.multi, value: ['laboratorios', 'Guías'] }, { question_id: W.text, value: '  Explica con ejemplos  ' }];
    const first = expectOk(await h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.x.id, answers, general_comment: '  Muy buen instructor  ' }), 201);
    expect(first).toMatchObject({ period_id: W.p.id, instructor_id: h.x.id, instructor_name: h.x.full_name, group_id: h.fichaA.id, status: 'submitted', submitted_at: h.clock.now.toISOString(), answered_count: 3, required_count: 3 });
    expect(first.answers).toBeUndefined();
    expect(first.general_comment).toBeUndefined();
    // The participation record holds no answers; the anonymous side holds them with no student and no time.
    const [ev] = await h.db.query<{ s: string; a: unknown; c: unknown; st: string }>('SELECT status::text AS s, draft_answers AS a, draft_general_comment AS c, student_id::text AS st FROM evalin.evaluations WHERE id = $1', [first.id]);
    expect(ev).toEqual({ s: 'submitted', a: null, c: null, st: me.id });
    const [resp] = await h.db.query<{ id: string; q: string; g: string; i: string }>('SELECT id::text, questionnaire_id::text AS q, group_id::text AS g, instructor_id::text AS i FROM evalin.responses WHERE period_id = $1', [W.p.id]);
    expect(resp).toMatchObject({ q: W.qn, g: h.fichaA.id, i: h.x.id });
    expect(resp.id).not.toBe(first.id);
    const stored = await h.db.query<{ q: string; l: number | null; c: string[] | null }>('SELECT question_id::text AS q, likert_value AS l, choice_values AS c FROM evalin.response_answers WHERE response_id = $1', [resp.id]);
    const byQ = Object.fromEntries(stored.map((r) => [r.q, r]));
    expect(Object.keys(byQ).sort()).toEqual([...W.likert, W.single, W.multi].sort());
    expect(byQ[W.likert[0]]).toMatchObject({ l: 4, c: null });
    expect(byQ[W.likert[1]]).toMatchObject({ l: 5, c: null });
    expect(byQ[W.single]).toMatchObject({ l: null, c: ['Nunca'] });
    expect(byQ[W.multi]).toMatchObject({ l: null, c: ['Guías', 'Laboratorios'] });
    const comments = await h.db.query<{ q: string | null; text: string; status: string; flagged: boolean }>('SELECT question_id::text AS q, text, status::text AS status, flagged FROM evalin.comments WHERE response_id = $1 ORDER BY text', [resp.id]);
    expect(comments).toEqual([{ q: W.text, text: 'Explica con ejemplos', status: 'pending', flagged: false }, { q: null, text: 'Muy buen instructor', status: 'pending', flagged: false }]);
    const events = await h.outbox('evalin.evaluation_submitted');
    expect(events).toHaveLength(1);
    expect(events[0].body).toMatchObject({ target_users: [me.id], entity_id: first.id, data: { period_id: W.p.id, period_name: W.p.name, instructor_name: h.x.full_name, submitted: 1, total: 4 } });
    expect(JSON.stringify(events[0].body)).not.toContain('Explica');
    // A second one counts 2 of 4.
    const second = expectOk(await h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.y.id, answers: answers.slice(0, 3) }), 201);
    expect((await h.outbox('evalin.evaluation_submitted')).find((e) => e.body.entity_id === second.id)?.body.data).toMatchObject({ instructor_name: h.y.full_name, submitted: 2, total: 4 });
    // R26 after a submission, R28 before any write.
    const again = expectError(await h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.x.id, answers }), 409, 'EVALUATION_ALREADY_EXISTS');
    expect(again.details).toEqual({ evaluation_id: first.id, status: 'submitted' });
    // R26 is decided before the answers are looked at.
    expectError(await h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.x.id, answers: [{ question_id: W.likert[0], value: 9 }] }), 409, 'EVALUATION_ALREADY_EXISTS');
    const incomplete = expectError(await h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.z.id, answers: [{ question_id: W.likert[0], value: 3 }] }), 422, 'INCOMPLETE_EVALUATION');
    expect(incomplete.details.missing_question_ids.sort()).toEqual([W.likert[1], W.single].sort());
    expectError(await h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.z.id, answers: [{ question_id: W.likert[0], value: 0 }] }), 422, 'INVALID_ANSWER');
    expect(await count('SELECT count(*)::int AS n FROM evalin.evaluations WHERE student_id = $1 AND instructor_id = $2', [me.id, h.z.id])).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM evalin.responses WHERE period_id = $1', [W.p.id])).toBe(2);
  });

  it('when the same apprentice submits the same instructor twice at the same moment, then one 201 and one 409, and one response is stored', async () => {
    const h = ref.h;
    const W = await world();
    const me = h.fichaA.apprentices[1];
    const answers = [...W.likert.map((id) => ({ question_id: id, value: 3 })), { question_id: W.single, value: 'Siempre' }];
    const before = await count('SELECT count(*)::int AS n FROM evalin.responses WHERE period_id = $1', [W.p.id]);
    const res = await Promise.all([0, 1].map(() => h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.w.id, answers })));
    expect(res.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const lost = res.find((r) => r.statusCode === 409)!.json();
    expect(lost.error.code).toBe('EVALUATION_ALREADY_EXISTS');
    expect(lost.error.details).toEqual({ evaluation_id: res.find((r) => r.statusCode === 201)!.json().data.id, status: 'submitted' });
    expect(await count('SELECT count(*)::int AS n FROM evalin.responses WHERE period_id = $1', [W.p.id])).toBe(before + 1);
    expect(await count('SELECT count(*)::int AS n FROM evalin.evaluations WHERE student_id = $1 AND instructor_id = $2 AND period_id = $3', [me.id, h.w.id, W.p.id])).toBe(1);
  });

  it('when the period is no longer open at the moment of the write, then nothing at all is written', async () => {
    const h = ref.h;
    const W = await world();
    const repo = createSubmissionsRepo(h.db.db);
    const me = h.fichaA.apprentices[2];
    const submission = (at: Date) => ({
      id: randomUUID(), periodId: W.p.id, instructorId: h.z.id, studentId: me.id, groupId: h.fichaA.id, questionnaireId: W.qn, at,
      answers: [{ questionId: W.likert[0], likertValue: 4, choiceValues: null }], texts: [{ questionId: null, text: 'Comentario', flagged: false, status: 'approved' as const }],
      event: { target: 'notification', path: '/api/v1/notifications', method: 'POST' as const, body: { type: 'evalin.evaluation_submitted' }, idempotencyKey: `test:${randomUUID()}` },
    });
    const rows = async () => ({
      evaluations: await count('SELECT count(*)::int AS n FROM evalin.evaluations WHERE period_id = $1', [W.p.id]),
      responses: await count('SELECT count(*)::int AS n FROM evalin.responses WHERE period_id = $1', [W.p.id]),
      comments: await count('SELECT count(*)::int AS n FROM evalin.comments WHERE period_id = $1', [W.p.id]),
      outbox: await count("SELECT count(*)::int AS n FROM evalin.outbox WHERE idempotency_key LIKE 'test:%'", []),
    });
    const empty = await rows();
    // After its end date, then while suspended: refused with no row anywhere.
    expect(await repo.insertSubmitted(submission(new Date(h.clock.now.getTime() + 15 * DAY)))).toBe(false);
    expectOk(await h.inject('POST', `/api/v1/evalin/periods/${W.p.id}/suspend`, h.admin, { reason: 'Revisión del cuestionario' }));
    expect(await repo.insertSubmitted(submission(h.clock.now))).toBe(false);
    expect(await rows()).toEqual(empty);
    expectError(await h.inject('POST', EV, me, { period_id: W.p.id, instructor_id: h.z.id, answers: [] }), 409, 'PERIOD_NOT_OPEN');
    expectOk(await h.inject('POST', `/api/v1/evalin/periods/${W.p.id}/resume`, h.admin));
    expect(await repo.insertSubmitted(submission(h.clock.now))).toBe(true);
    expect(await rows()).toEqual({ evaluations: empty.evaluations + 1, responses: empty.responses + 1, comments: empty.comments + 1, outbox: empty.outbox + 1 });
  });

  it('when coordination changes the comment settings, then the very next submission follows them', async () => {
    const h = ref.h;
    const W = await world();
    const setConfig = async (patch: Record<string, unknown>) => {
      const { version } = expectOk(await h.inject('GET', '/api/v1/evalin/config', h.admin));
      expectOk(await h.inject('PATCH', '/api/v1/evalin/config', h.admin, { ...patch, version }));
    };
    const answers = [...W.likert.map((id) => ({ question_id: id, value: 5 })), { question_id: W.single, value: 'Siempre' }];
    const statusOf = async (who: (typeof h.fichaA.apprentices)[number], instructorId: string, comment: string) => {
      expectOk(await h.inject('POST', EV, who, { period_id: W.p.id, instructor_id: instructorId, answers, general_comment: comment }), 201);
      return (await h.db.query<{ status: string; flagged: boolean }>('SELECT status::text AS status, flagged FROM evalin.comments WHERE period_id = $1 AND text = $2', [W.p.id, comment]))[0];
    };
    // Warm the settings copy, then change them: the next submission sees the change.
    expect(await statusOf(h.fichaA.apprentices[3], h.x.id, 'Primer comentario de la prueba')).toEqual({ status: 'pending', flagged: false });
    await setConfig({ comments_require_review: false });
    expect(await statusOf(h.fichaA.apprentices[3], h.y.id, 'Segundo comentario de la prueba')).toEqual({ status: 'approved', flagged: false });
    await setConfig({ blocked_terms: ['pésimo'] });
    expect(await statusOf(h.fichaA.apprentices[3], h.z.id, 'Es un PESIMO ejemplo')).toEqual({ status: 'pending', flagged: true });
    await setConfig({ notifications_enabled: false });
    const before = (await h.outbox('evalin.evaluation_submitted')).length;
    await statusOf(h.fichaA.apprentices[3], h.w.id, 'Cuarto comentario de la prueba');
    expect((await h.outbox('evalin.evaluation_submitted')).length).toBe(before);
    await setConfig({ notifications_enabled: true, comments_require_review: true });
  });

  it('when a locked question’s description changes after submissions warmed the cache, then E31 shows the new description and answers still validate', async () => {
    const h = ref.h;
    const W = await world();
    const answers = [...W.likert.map((id) => ({ question_id: id, value: 2 })), { question_id: W.single, value: 'Siempre' }];
    expectOk(await h.inject('POST', EV, h.fichaA.apprentices[4], { period_id: W.p.id, instructor_id: h.x.id, answers }), 201);
    // R5: a locked question keeps its type, options and is_required; its description may change.
    expectError(await h.inject('PATCH', `/api/v1/evalin/questions/${W.single}`, h.admin, { options: ['Siempre', 'Nunca', 'A veces'] }), 409, 'QUESTION_LOCKED');
    expectError(await h.inject('PATCH', `/api/v1/evalin/questions/${W.likert[0]}`, h.admin, { is_required: false }), 409, 'QUESTION_LOCKED');
    expectError(await h.inject('DELETE', `/api/v1/evalin/questionnaires/${W.qn}/questions/${W.text}`, h.admin), 409, 'QUESTIONNAIRE_LOCKED');
    expectOk(await h.inject('PATCH', `/api/v1/evalin/questions/${W.likert[0]}`, h.admin, { description: 'Descripción nueva tras el bloqueo' }));
    const form = expectOk(await h.inject('GET', `/api/v1/evalin/questionnaires/for-instructor/${h.y.id}?period_id=${W.p.id}`, h.fichaA.apprentices[4]));
    expect(form.questions.find((q: { id: string }) => q.id === W.likert[0]).description).toBe('Descripción nueva tras el bloqueo');
    expectError(await h.inject('POST', EV, h.fichaA.apprentices[4], { period_id: W.p.id, instructor_id: h.y.id, answers: [...answers.slice(0, 2), { question_id: W.single, value: 'A veces' }] }), 422, 'INVALID_ANSWER');
    expectOk(await h.inject('POST', EV, h.fichaA.apprentices[4], { period_id: W.p.id, instructor_id: h.y.id, answers }), 201);
  });
});
