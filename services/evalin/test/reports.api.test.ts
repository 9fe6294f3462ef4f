/**
 * E39–E49 (US-EVI-10..13): report figures against hand-computed values on a fixed data set, both
 * thresholds below, at and above their values, anonymity, comment moderation and the CSV exports.
 *
 * Data set 1 (ficha C, 30 apprentices, one likert question "Dominio del Tema"):
 *   instructor A: 2 responses (2, 3)            → withheld, insufficient_responses (threshold 3)
 *   instructor B: 4 responses (5, 4, 4, 3) / 30 → rate 13.3 %, low_participation (20 %); question
 *     average 4.00, median 4.00, std dev √(0.5/4)=0.71, min 3, max 5
 *   period: 6 responses (2,3,3,4,4,5): average 3.50, median 3.50, std dev √(5.5/6)=0.96
 * Data set 2 (fichas D with 4 apprentices and E with 2, instructor T teaching both; two categories and a
 * text question): 5 responses for T, 4 from D and 1 from E.
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { expectError, expectOk } from './http.ts';
import { useHarness, type Harness } from './harness.ts';
import { makeQuestionnaire, makeQuestions } from './support.ts';

const ref = useHarness();
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const R = '/api/v1/evalin/reports/periods';

function addFicha(h: Harness, number: string, size: number, teachers: Array<{ id: string; first_name: string | null }>) {
  const id = randomUUID();
  const apprentices = Array.from({ length: size }, (_, i) => h.users.add({ role: 'aprendiz', group_id: id, group_number: number, first_name: `Persona${i + 1}`, last_name: `Ficha ${number}` }));
  h.schedules.groups.set(id, { id, number, is_active: true, director_id: null });
  h.schedules.rosters.set(id, apprentices.map((p) => ({ id: p.id, first_name: p.first_name, last_name: p.last_name, full_name: p.full_name, email: null })));
  for (const t of teachers) h.schedules.teaching.push({ groupId: id, instructorId: t.id, from: '2026-01-01', to: '2026-12-31', subject: 'Materia' });
  return { id, number, apprentices };
}

function instructor(h: Harness, first: string) {
  const p = h.users.add({ role: 'instructor', first_name: first, last_name: 'Reporte' });
  h.schedules.names.set(p.id, p.full_name!);
  return p;
}

async function openPeriod(h: Harness, questionnaireId: string, groups: string[]) {
  const now = h.clock.now.getTime();
  const p = expectOk(await h.inject('POST', '/api/v1/evalin/periods', h.admin, { name: `Evaluación de instructores 2026-T${groups.length} ${randomUUID().slice(0, 4)}`, start_date: iso(now - DAY), end_date: iso(now + 10 * DAY), questionnaire_id: questionnaireId, group_ids: groups }), 201);
  expectOk(await h.inject('POST', `/api/v1/evalin/periods/${p.id}/activate`, h.admin));
  return p;
}

async function submit(h: Harness, who: Harness['x'], periodId: string, instructorId: string, answers: Array<{ question_id: string; value: unknown }>, general_comment?: string) {
  expectOk(await h.inject('POST', '/api/v1/evalin/evaluations', who, { period_id: periodId, instructor_id: instructorId, answers, general_comment }), 201);
}

async function setConfig(h: Harness, patch: Record<string, unknown>) {
  const { version } = expectOk(await h.inject('GET', '/api/v1/evalin/config', h.admin));
  expectOk(await h.inject('PATCH', '/api/v1/evalin/config', h.admin, { ...patch, version }));
}

const S: Record<string, any> = {};

describe('period results (E39, E40, E41, US-EVI-10)', () => {
  it('when the period is active, then E39 answers period_open with null results and live participation', async () => {
    const h = ref.h;
    S.a = instructor(h, 'Alberto');
    S.b = instructor(h, 'Beatriz');
    S.c = addFicha(h, '3000001', 30, [S.a, S.b]);
    [S.q] = await makeQuestions(h, 1, { category: 'Dominio del Tema' });
    S.p1 = await openPeriod(h, await makeQuestionnaire(h, [S.q]), [S.c.id]);
    const values = [5, 4, 4, 3];
    for (let i = 0; i < 4; i += 1) await submit(h, S.c.apprentices[i], S.p1.id, S.b.id, [{ question_id: S.q, value: values[i] }]);
    await submit(h, S.c.apprentices[4], S.p1.id, S.a.id, [{ question_id: S.q, value: 2 }]);
    await submit(h, S.c.apprentices[5], S.p1.id, S.a.id, [{ question_id: S.q, value: 3 }]);
    const rep = expectOk(await h.inject('GET', `${R}/${S.p1.id}`, h.coordinador));
    expect(rep).toMatchObject({ results_status: 'period_open', results: null });
    expect(rep.participation).toMatchObject({ students_total: 30, expected: 60, submitted: 6, rate: 10, students_participated: 6, students_completed: 0 });
    expectError(await h.inject('GET', `${R}/${S.p1.id}/export/summary.csv`, h.coordinador), 409, 'RESULTS_NOT_AVAILABLE');
    expectError(await h.inject('GET', `${R}/${S.p1.id}/export/answers.csv`, h.admin), 409, 'RESULTS_NOT_AVAILABLE');
    expectError(await h.inject('GET', `/api/v1/evalin/periods/${S.p1.id}/comments`, h.admin), 409, 'PERIOD_NOT_CLOSED');
  });

  it('when closed, then A (2 responses) is withheld for insufficient responses and B (4 of 30) shows no averages for low participation, with hand-computed figures', async () => {
    const h = ref.h;
    expectOk(await h.inject('POST', `/api/v1/evalin/periods/${S.p1.id}/close`, h.admin));
    const rep = expectOk(await h.inject('GET', `${R}/${S.p1.id}`, h.admin));
    expect(rep.results_status).toBe('available');
    expect(rep.results).toMatchObject({ response_count: 6, results_shown: true, overall_average: 3.5, median: 3.5, std_dev: 0.96 });
    const a = rep.results.instructors.find((r: { instructor_id: string }) => r.instructor_id === S.a.id);
    const b = rep.results.instructors.find((r: { instructor_id: string }) => r.instructor_id === S.b.id);
    expect(a).toMatchObject({ response_count: 2, expected_count: 30, results_shown: false, withheld_reason: 'insufficient_responses', overall_average: null, rank: null });
    expect(b).toMatchObject({ response_count: 4, expected_count: 30, response_rate: 13.3, results_shown: true, withheld_reason: 'low_participation', overall_average: null, rank: null });
    const detail = expectOk(await h.inject('GET', `${R}/${S.p1.id}/instructors/${S.b.id}`, h.coordinador));
    expect(detail).toMatchObject({ response_rate: 13.3, withheld_reason: 'low_participation', overall_average: null, median: null, std_dev: null, period_overall_average: 3.5 });
    expect(detail.categories).toEqual([{ category: 'Dominio del Tema', average: null, answer_count: 4 }]);
    expect(detail.questions[0].likert).toEqual({ average: 4, median: 4, std_dev: 0.71, min: 3, max: 5, distribution: { 1: 0, 2: 0, 3: 1, 4: 2, 5: 1 }, percentages: { 1: 0, 2: 0, 3: 25, 4: 50, 5: 25 } });
    const withheld = expectOk(await h.inject('GET', `${R}/${S.p1.id}/instructors/${S.a.id}`, h.coordinador));
    expect(withheld).toMatchObject({ response_count: 2, results_shown: false, overall_average: null, categories: [], questions: [] });
  });

  it('when the thresholds move (participation 13 %, then responses 4 = at, then 5 = above B), then B is shown, shown, then withheld', async () => {
    const h = ref.h;
    await setConfig(h, { min_participation_percent_for_average: 13 });
    let b = expectOk(await h.inject('GET', `${R}/${S.p1.id}/instructors/${S.b.id}`, h.admin));
    expect(b).toMatchObject({ results_shown: true, withheld_reason: null, overall_average: 4, median: 4, std_dev: 0.71, strengths: ['Dominio del Tema'], improvement_areas: [] });
    const rep = expectOk(await h.inject('GET', `${R}/${S.p1.id}`, h.admin));
    expect(rep.results.instructors[0]).toMatchObject({ instructor_id: S.b.id, rank: 1, overall_average: 4 });
    await setConfig(h, { min_responses_for_results: 4 });
    b = expectOk(await h.inject('GET', `${R}/${S.p1.id}/instructors/${S.b.id}`, h.admin));
    expect(b.results_shown).toBe(true);
    await setConfig(h, { min_responses_for_results: 5 });
    b = expectOk(await h.inject('GET', `${R}/${S.p1.id}/instructors/${S.b.id}`, h.admin));
    expect(b).toMatchObject({ results_shown: false, withheld_reason: 'insufficient_responses', overall_average: null });
    await setConfig(h, { min_responses_for_results: 3, min_participation_percent_for_average: 20 });
  });

  it('when E40 asks for a ficha outside the period, then 404 GROUP_NOT_IN_PERIOD; for its ficha, cells', async () => {
    const h = ref.h;
    expectError(await h.inject('GET', `${R}/${S.p1.id}/groups/${h.fichaA.id}`, h.admin), 404, 'GROUP_NOT_IN_PERIOD');
    const rep = expectOk(await h.inject('GET', `${R}/${S.p1.id}/groups/${S.c.id}`, h.admin));
    expect(rep.results.instructors).toHaveLength(2);
    expectError(await h.inject('GET', `${R}/${S.p1.id}/instructors/${h.v.id}`, h.admin), 404, 'INSTRUCTOR_NOT_IN_PERIOD');
  });
});

describe('instructor view, moderation and exports (E41–E49, US-EVI-11..13)', () => {
  it('when a period with comments closes, then moderation lists pending ones with the blocked-term flag; hiding needs a note', async () => {
    const h = ref.h;
    S.t = instructor(h, 'Teresa');
    S.d = addFicha(h, '3000002', 4, [S.t]);
    S.e = addFicha(h, '3000003', 2, [S.t]);
    S.qs = [...(await makeQuestions(h, 1, { category: 'Comunicación' })), ...(await makeQuestions(h, 1, { category: 'Evaluación' })), ...(await makeQuestions(h, 1, { type: 'text', category: 'Abiertas' }))];
    S.p2 = await openPeriod(h, await makeQuestionnaire(h, S.qs), [S.d.id, S.e.id]);
    const texts = ['Explica con claridad', 'Muy puntual', 'Es un idiota a veces', 'Buenas guías', 'Excelente trato'];
    const who = [...S.d.apprentices, S.e.apprentices[0]];
    for (let i = 0; i < 5; i += 1) await submit(h, who[i], S.p2.id, S.t.id, [{ question_id: S.qs[0], value: 5 - (i % 2) }, { question_id: S.qs[1], value: 3 + (i % 3) }, { question_id: S.qs[2], value: texts[i] }]);
    expectOk(await h.inject('POST', `/api/v1/evalin/periods/${S.p2.id}/close`, h.admin));
    const list = expectOk(await h.inject('GET', `/api/v1/evalin/periods/${S.p2.id}/comments`, h.coordinador));
    expect(list).toHaveLength(5);
    expect(list.find((c: { text: string }) => c.text.includes('idiota'))).toMatchObject({ flagged: true, status: 'pending', instructor: { id: S.t.id } });
    expect(list.filter((c: { flagged: boolean }) => c.flagged)).toHaveLength(1);
    // R37: by random id, never by time.
    expect(list.map((c: { id: string }) => c.id)).toEqual([...list.map((c: { id: string }) => c.id)].sort());
    // Cells: D has 4 (≥ 3) → its number; E has 1 → none.
    expect(list.filter((c: { group_number: string | null }) => c.group_number === '3000002')).toHaveLength(4);
    expect(list.filter((c: { group_number: string | null }) => c.group_number === null)).toHaveLength(1);
    const flagged = list.find((c: { flagged: boolean }) => c.flagged);
    expectError(await h.inject('PATCH', `/api/v1/evalin/comments/${flagged.id}`, h.coordinador, { status: 'hidden' }), 422, 'VALIDATION_ERROR');
    expect(expectOk(await h.inject('PATCH', `/api/v1/evalin/comments/${flagged.id}`, h.coordinador, { status: 'hidden', moderation_note: 'Lenguaje ofensivo' }))).toMatchObject({ status: 'hidden', moderation_note: 'Lenguaje ofensivo' });
    const rest = list.filter((c: { flagged: boolean }) => !c.flagged).map((c: { id: string }) => c.id);
    expectError(await h.inject('POST', '/api/v1/evalin/comments/moderate', h.admin, { comment_ids: [rest[0], randomUUID()], status: 'approved' }), 404, 'COMMENT_NOT_FOUND');
    expect(expectOk(await h.inject('POST', '/api/v1/evalin/comments/moderate', h.admin, { comment_ids: rest.slice(0, 3), status: 'approved' }))).toEqual({ updated: 3 });
    S.pending = rest[3];
    expectError(await h.inject('PATCH', `/api/v1/evalin/comments/${randomUUID()}`, h.admin, { status: 'approved' }), 404, 'COMMENT_NOT_FOUND');
  });

  it('when the period is closed but unpublished, then the instructor gets 409 RESULTS_NOT_PUBLISHED; after publication, own results only', async () => {
    const h = ref.h;
    const url = `${R}/${S.p2.id}/instructors/${S.t.id}`;
    expectError(await h.inject('GET', url, S.t), 409, 'RESULTS_NOT_PUBLISHED');
    expectOk(await h.inject('POST', `/api/v1/evalin/periods/${S.p2.id}/publish-results`, h.admin));
    const mine = expectOk(await h.inject('GET', url, S.t));
    // 5 of 6 expected: rate 83.3; Comunicación 5,4,5,4,5 → 4.60; Evaluación 3,4,5,3,4 → 3.80; overall 42/10 = 4.20.
    expect(mine).toMatchObject({ response_count: 5, expected_count: 6, response_rate: 83.3, results_shown: true, overall_average: 4.2, approved_comment_count: 3, strengths: ['Comunicación'], improvement_areas: [] });
    expect(mine.categories).toEqual([{ category: 'Comunicación', average: 4.6, answer_count: 5 }, { category: 'Evaluación', average: 3.8, answer_count: 5 }]);
    expect(mine.questions[2]).toMatchObject({ question_type: 'text', answer_count: 5, likert: null, choices: null });
    expectError(await h.inject('GET', `${R}/${S.p2.id}/instructors/${S.b.id}`, S.t), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.inject('GET', `${url}?group_id=${S.d.id}`, S.t), 403, 'INSUFFICIENT_PERMISSIONS');
    expect(expectOk(await h.inject('GET', `${url}?group_id=${S.e.id}`, h.admin))).toMatchObject({ response_count: 1, results_shown: false, group: { group_number: '3000003' } });
    // E42: exactly the 3 approved, no hidden or pending, the ficha number only from cells that pass R33.
    const comments = expectOk(await h.inject('GET', `${url}/comments`, S.t));
    expect(comments).toHaveLength(3);
    expect(comments.every((c: { status: string }) => c.status === 'approved')).toBe(true);
    expect(JSON.stringify(comments)).not.toContain('idiota');
    expect(comments.every((c: { group_number: string | null }) => c.group_number === '3000002' || c.group_number === null)).toBe(true);
    expectError(await h.inject('GET', `${url}/comments?status=pending`, S.t), 403, 'INSUFFICIENT_PERMISSIONS');
    expect(expectOk(await h.inject('GET', `${url}/comments?status=pending`, h.coordinador)).map((c: { id: string }) => c.id)).toEqual([S.pending]);
    // Nothing in what the instructor reads names an apprentice.
    const seen = JSON.stringify([mine, comments]);
    for (const p of [...S.d.apprentices, ...S.e.apprentices]) expect(seen).not.toContain(p.id);
    // E43 trend: published periods only.
    const trend = expectOk(await h.inject('GET', `/api/v1/evalin/reports/instructors/${S.t.id}/trend`, S.t));
    expect(trend).toEqual([expect.objectContaining({ period_id: S.p2.id, overall_average: 4.2, results_shown: true })]);
    expectError(await h.inject('GET', `/api/v1/evalin/reports/instructors/${S.b.id}/trend`, S.t), 403, 'INSUFFICIENT_PERMISSIONS');
  });

  it('when comments are disabled, then the instructor gets 403 COMMENTS_DISABLED and staff still read them', async () => {
    const h = ref.h;
    await setConfig(h, { enable_qualitative_comments: false });
    expectError(await h.inject('GET', `${R}/${S.p2.id}/instructors/${S.t.id}/comments`, S.t), 403, 'COMMENTS_DISABLED');
    expectOk(await h.inject('GET', `${R}/${S.p2.id}/instructors/${S.t.id}/comments`, h.admin));
    await setConfig(h, { enable_qualitative_comments: true });
  });

  it('when summary.csv is downloaded, then BOM, the exact §6.2 header plus avg_<category>, rows by ficha then name, withheld values empty', async () => {
    const h = ref.h;
    const res = await h.inject('GET', `${R}/${S.p2.id}/export/summary.csv`, h.coordinador);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="evalin_evaluacion-de-instructores-2026-t2-[a-z0-9-]+_resumen_20260309\.csv"$/);
    expect(res.body.startsWith('\ufeff')).toBe(true);
    const lines = res.body.slice(1).split('\r\n');
    expect(lines[0]).toBe('period_name,group_number,instructor_id,instructor_name,responses,expected,response_rate,results_shown,withheld_reason,overall_average,median,std_dev,avg_Comunicación,avg_Evaluación');
    expect(lines[1]).toBe(`${S.p2.name},TODAS,${S.t.id},Teresa Reporte,5,6,83.3,si,,4.2,4,0.75,4.6,3.8`);
    const byGroup = (await h.inject('GET', `${R}/${S.p2.id}/export/summary.csv?by_group=true`, h.admin)).body.slice(1).split('\r\n');
    expect(byGroup[1]).toBe(`${S.p2.name},3000002,${S.t.id},Teresa Reporte,4,4,100,si,,4.13,4,0.78,4.5,3.75`);
    expect(byGroup[2]).toBe(`${S.p2.name},3000003,${S.t.id},Teresa Reporte,1,2,50,no,insufficient_responses,,,,,`);
    const p1 = (await h.inject('GET', `${R}/${S.p1.id}/export/summary.csv`, h.admin)).body.slice(1).split('\r\n');
    expect(p1.find((l) => l.includes(S.a.id))).toBe(`${S.p1.name},TODAS,${S.a.id},Alberto Reporte,2,30,6.7,no,insufficient_responses,,,,`);
  });

  it('when answers.csv is downloaded, then withheld instructors have no rows, comments only approved, and no row names an apprentice', async () => {
    const h = ref.h;
    const p1 = (await h.inject('GET', `${R}/${S.p1.id}/export/answers.csv`, h.admin)).body.slice(1).split('\r\n').filter(Boolean);
    expect(p1[0]).toBe('response_id,period_name,group_number,instructor_id,instructor_name,question_position,question_id,category,question_type,question_text,value');
    expect(p1.some((l) => l.includes(S.a.id))).toBe(false);
    expect(p1.filter((l) => l.includes(S.b.id))).toHaveLength(4);
    const body = (await h.inject('GET', `${R}/${S.p2.id}/export/answers.csv`, h.coordinador)).body;
    const rows = body.slice(1).split('\r\n').filter(Boolean).slice(1);
    expect(rows).toHaveLength(5 * 2 + 3);
    expect(body).not.toContain('idiota');
    for (const p of [...S.d.apprentices, ...S.e.apprentices]) expect(body).not.toContain(p.id);
    const noComments = (await h.inject('GET', `${R}/${S.p2.id}/export/answers.csv?include_comments=false`, h.coordinador)).body.slice(1).split('\r\n').filter(Boolean);
    expect(noComments).toHaveLength(1 + 10);
    const cellE = (await h.inject('GET', `${R}/${S.p2.id}/export/answers.csv?group_id=${S.e.id}`, h.coordinador)).body.slice(1).split('\r\n').filter(Boolean);
    expect(cellE).toHaveLength(1);
  });

  it('when roles other than admin/coordinador read period reports, then 403; an instructor reading E39 too', async () => {
    const h = ref.h;
    for (const who of ['administrativo', 'instructor', 'aprendiz'] as const) {
      expectError(await h.inject('GET', `${R}/${S.p2.id}`, who), 403, 'INSUFFICIENT_PERMISSIONS');
      expectError(await h.inject('GET', `${R}/${S.p2.id}/export/summary.csv`, who), 403, 'INSUFFICIENT_PERMISSIONS');
      expectError(await h.inject('GET', `/api/v1/evalin/periods/${S.p2.id}/comments`, who), 403, 'INSUFFICIENT_PERMISSIONS');
    }
    expectOk(await h.inject('GET', `${R}/${S.p2.id}`, 'service'));
  });
});
