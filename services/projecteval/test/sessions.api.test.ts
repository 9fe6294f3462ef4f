import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, createHarness, type Harness } from './harness.ts';
import { bogota, scoresFor, submitted } from './fixtures.ts';

let h: Harness;
let one: Awaited<ReturnType<typeof submitted>>;
let two: Awaited<ReturnType<typeof submitted>>;
let sessionId = '';

beforeAll(async () => {
  h = await createHarness();
  one = await submitted(h);
  two = await submitted(h, { advisor: h.y, members: h.fichaA.apprentices.slice(4, 7), name: 'Equipo CódigoVerde', rubricId: one.rubricId });
});
afterAll(async () => h.close());

const base = () => ({ title: 'Sustentación de avance', session_type: 'progress_review', starts_at: bogota('2026-03-10', '08:00'), location: 'Ambiente 205', juror_ids: [h.x.id, h.y.id], chair_id: h.x.id });

describe('sessions (US-PEV-07, US-PEV-08)', () => {
  it('when a session names 1 juror, then 422 JURY_SIZE_INVALID; a chair outside the jury, CHAIR_NOT_JUROR; a non-instructor, JUROR_NOT_INSTRUCTOR; a past date, INVALID_SESSION_DATE', async () => {
    const post = (body: object) => h.inject('POST', `${BASE}/sessions`, h.coordinador, { ...base(), ...body });
    expect((await post({ juror_ids: [h.x.id] })).json().error.code).toBe('JURY_SIZE_INVALID');
    expect((await post({ chair_id: h.z.id })).json().error.code).toBe('CHAIR_NOT_JUROR');
    expect((await post({ juror_ids: [h.x.id, h.administrativo.id] })).json().error.code).toBe('JUROR_NOT_INSTRUCTOR');
    expect((await post({ starts_at: '2026-03-01T13:00:00Z' })).json().error.code).toBe('INVALID_SESSION_DATE');
    expect((await post({ location: null })).statusCode).toBe(422);
    expect((await h.inject('POST', `${BASE}/sessions`, h.fichaA.apprentices[0], base())).statusCode).toBe(403);
  });

  it('when it names 2 jurors and 2 submissions at 08:00 with 30 min per team, then 201, invitations, and slots 08:00 and 08:30', async () => {
    const s = await h.ok(201, 'POST', `${BASE}/sessions`, h.coordinador, { ...base(), submission_ids: [one.submission.id, two.submission.id] });
    sessionId = s.id;
    expect(s).toMatchObject({ status: 'scheduled', organizer_id: h.coordinador.id, chair_id: h.x.id, ends_at: '2026-03-10T14:00:00.000Z' });
    expect(s.agenda.map((a: any) => [a.position, a.slot_starts_at, a.team_name])).toEqual([
      [1, '2026-03-10T13:00:00.000Z', 'Equipo Innovadores'],
      [2, '2026-03-10T13:30:00.000Z', 'Equipo CódigoVerde'],
    ]);
    const invites = await h.outbox('projecteval.session_invitation');
    expect(invites.map((i) => i.body.target_users[0]).sort()).toEqual([h.x.id, h.y.id].sort());
    expect(invites[0].body.data).toMatchObject({ session_title: 'Sustentación de avance', agenda_count: 2, chair_name: 'Carlos Andrés Rodríguez Peña', ends_at: '2026-03-10T14:00:00.000Z' });
    const scheduled = await h.outbox('projecteval.session_scheduled');
    expect(scheduled.map((x) => x.body.data.slot_starts_at).sort()).toEqual(['2026-03-10T13:00:00.000Z', '2026-03-10T13:30:00.000Z']);
    // a submission already on an agenda cannot be placed again
    const again = await h.inject('POST', `${BASE}/sessions`, h.coordinador, { ...base(), starts_at: bogota('2026-03-11', '08:00'), submission_ids: [one.submission.id] });
    expect(again.json().error.code).toBe('SUBMISSION_NOT_SCHEDULABLE');
    // and it is locked for resubmission and return (R21, R22)
    expect((await h.inject('POST', `${BASE}/deliverables/${one.deliverable.id}/submissions`, one.member, { repository_url: 'https://x.example' })).json().error.code).toBe('SUBMISSION_LOCKED');
    expect((await h.inject('POST', `${BASE}/submissions/${one.submission.id}/return`, h.x, { reason: 'Devuelta por alguna razón.' })).json().error.code).toBe('SUBMISSION_LOCKED');
  });

  it('given a juror sits in a session 08:00–09:00, when another session 08:30–09:30 names them, then 409 JUROR_SCHEDULE_CONFLICT', async () => {
    const res = await h.inject('POST', `${BASE}/sessions`, h.coordinador, { ...base(), starts_at: bogota('2026-03-10', '08:30'), juror_ids: [h.y.id, h.z.id], chair_id: h.z.id });
    expect([res.statusCode, res.json().error.code]).toEqual([409, 'JUROR_SCHEDULE_CONFLICT']);
    expect(res.json().error.details).toEqual({ instructor_id: h.y.id, session_id: sessionId });
    // 09:00 does not overlap [08:00, 09:00)
    const ok = await h.inject('POST', `${BASE}/sessions`, h.coordinador, { ...base(), title: 'Sesión de las nueve', starts_at: bogota('2026-03-10', '09:00'), juror_ids: [h.y.id, h.z.id], chair_id: h.z.id });
    expect(ok.statusCode).toBe(201);
    await h.ok(200, 'POST', `${BASE}/sessions/${ok.json().data.id}/cancel`, h.coordinador, { reason: 'Ya no se necesita esta sesión.' });
    expect((await h.outbox('projecteval.session_changed')).at(-1)!.body.data.change).toBe('cancelled');
  });

  it('given the team already sits in 2 sessions this quarter, when added to a third, then 409 TEAM_SESSION_LIMIT', async () => {
    const extra = [];
    for (const [n, day] of [[2, '2026-03-16'], [3, '2026-03-17']] as const) {
      const d = await h.ok(201, 'POST', `${BASE}/projects/${one.project.id}/deliverables`, h.x, { title: `Entregable ${n}`, deliverable_type: 'documentation', due_at: '2026-03-12T00:00:00Z', rubric_id: one.rubricId });
      const s = await h.ok(201, 'POST', `${BASE}/deliverables/${d.id}/submissions`, one.member, { repository_url: `https://github.com/sena/e${n}` });
      extra.push({ s, day });
    }
    // the advisor may place only their own teams' submissions
    const notMine = await h.inject('POST', `${BASE}/sessions`, h.y, { ...base(), starts_at: bogota(extra[0].day, '08:00'), juror_ids: [h.y.id, h.z.id], chair_id: h.y.id, submission_ids: [extra[0].s.id] });
    expect(notMine.statusCode).toBe(403);
    await h.ok(201, 'POST', `${BASE}/sessions`, h.x, { ...base(), title: 'Segunda sesión', starts_at: bogota(extra[0].day, '08:00'), juror_ids: [h.y.id, h.z.id], chair_id: h.y.id, submission_ids: [extra[0].s.id] });
    const third = await h.inject('POST', `${BASE}/sessions`, h.x, { ...base(), title: 'Tercera sesión', starts_at: bogota(extra[1].day, '08:00'), juror_ids: [h.y.id, h.z.id], chair_id: h.y.id, submission_ids: [extra[1].s.id] });
    expect([third.statusCode, third.json().error.code]).toEqual([409, 'TEAM_SESSION_LIMIT']);
    // in the next quarter it is accepted
    const april = await h.inject('POST', `${BASE}/sessions`, h.x, { ...base(), title: 'Sesión de abril', starts_at: bogota('2026-04-06', '08:00'), juror_ids: [h.y.id, h.z.id], chair_id: h.y.id, submission_ids: [extra[1].s.id] });
    expect(april.statusCode).toBe(201);
  });

  it('juror invitations: a declined one notifies organizer and chair; strangers answering get 404 JUROR_NOT_FOUND', async () => {
    const withZ = await h.ok(200, 'POST', `${BASE}/sessions/${sessionId}/jurors`, h.x, { instructor_id: h.z.id });
    expect(withZ.jurors).toHaveLength(3);
    expect((await h.inject('POST', `${BASE}/sessions/${sessionId}/jurors`, h.y, { instructor_id: h.z.id })).statusCode).toBe(403);
    expect((await h.inject('POST', `${BASE}/sessions/${sessionId}/respond`, h.coordinador, { response: 'confirm' })).statusCode).toBe(403);
    const stranger = h.users.add({ role: 'instructor', first_name: 'Otro' });
    expect((await h.inject('POST', `${BASE}/sessions/${sessionId}/respond`, stranger, { response: 'confirm' })).json().error.code).toBe('JUROR_NOT_FOUND');
    expect((await h.inject('POST', `${BASE}/sessions/${sessionId}/respond`, h.z, { response: 'decline' })).statusCode).toBe(422);
    const declined = await h.ok(200, 'POST', `${BASE}/sessions/${sessionId}/respond`, h.z, { response: 'decline', reason: 'Tengo clase a esa hora' });
    expect(declined.jurors.find((j: any) => j.instructor_id === h.z.id)).toMatchObject({ status: 'declined', decline_reason: 'Tengo clase a esa hora' });
    const [note] = await h.outbox('projecteval.juror_declined');
    expect(note.body.target_users.sort()).toEqual([h.coordinador.id, h.x.id].sort());
    expect(note.body.data).toMatchObject({ juror_name: 'Jorge Pardo', reason: 'Tengo clase a esa hora', confirmed_count: 0 });
    // re-invite z to see no_response at start
    await h.ok(200, 'POST', `${BASE}/sessions/${sessionId}/jurors`, h.coordinador, { instructor_id: h.z.id });
  });

  it('given one confirmed juror, start is SESSION_NOT_READY jury_not_confirmed; 30 min before, too_early; two confirmed 10 min before, in_progress', async () => {
    await h.ok(200, 'POST', `${BASE}/sessions/${sessionId}/respond`, h.x, { response: 'confirm' });
    h.clock.now = new Date(bogota('2026-03-10', '07:50'));
    expect((await h.inject('POST', `${BASE}/sessions/${sessionId}/start`, h.x)).json().error).toMatchObject({ code: 'SESSION_NOT_READY', details: { reason: 'jury_not_confirmed' } });
    // a juror who is not the chair nor the organizer cannot start
    expect((await h.inject('POST', `${BASE}/sessions/${sessionId}/start`, h.y)).statusCode).toBe(403);
    await h.ok(200, 'POST', `${BASE}/sessions/${sessionId}/respond`, h.y, { response: 'confirm' });
    h.clock.now = new Date(bogota('2026-03-10', '07:30'));
    expect((await h.inject('POST', `${BASE}/sessions/${sessionId}/start`, h.x)).json().error.details.reason).toBe('too_early');
    h.clock.now = new Date(bogota('2026-03-10', '07:50'));
    const started = await h.ok(200, 'POST', `${BASE}/sessions/${sessionId}/start`, h.x);
    expect(started.status).toBe('in_progress');
    expect(started.agenda.map((a: any) => a.submission_status)).toEqual(['in_evaluation', 'in_evaluation']);
    expect(started.jurors.find((j: any) => j.instructor_id === h.z.id).status).toBe('no_response');
    expect(started.jurors.filter((j: any) => j.is_panel).map((j: any) => j.instructor_id).sort()).toEqual([h.x.id, h.y.id].sort());
    expect((await h.inject('PATCH', `${BASE}/sessions/${sessionId}`, h.x, { title: 'Nuevo título largo' })).json().error.code).toBe('INVALID_STATE');
  });
});

describe('evaluations (US-PEV-09 – US-PEV-11)', () => {
  let evalX = '';
  let evalY = '';

  it('when an instructor outside the panel evaluates, then 403 NOT_PANEL_JUROR; the same juror twice, 409 EVALUATION_ALREADY_EXISTS; bad scores 422 INVALID_SCORE / UNKNOWN_CRITERION', async () => {
    const url = `${BASE}/submissions/${one.submission.id}/evaluations`;
    const res = await h.inject('POST', url, h.z, { session_id: sessionId });
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'NOT_PANEL_JUROR']);
    const scores = await scoresFor(h, one.rubricId, [90, 85, 80, 75, 70, 65, 60, 55]);
    expect((await h.inject('POST', url, h.x, { session_id: sessionId, scores: [{ ...scores[0], score: 100.5 }] })).json().error.code).toBe('INVALID_SCORE');
    expect((await h.inject('POST', url, h.x, { session_id: sessionId, scores: [{ ...scores[0], score: 87.25 }] })).json().error.code).toBe('INVALID_SCORE');
    expect((await h.inject('POST', url, h.x, { session_id: sessionId, scores: [{ criterion_id: sessionId, score: 80 }] })).json().error.code).toBe('UNKNOWN_CRITERION');
    const draft = await h.ok(201, 'POST', url, h.x, { session_id: sessionId, scores: scores.slice(0, 4), general_comments: 'Buen trabajo en general.' });
    expect(draft).toMatchObject({ status: 'draft', total_score: null, evaluator_id: h.x.id });
    expect(draft.scores).toHaveLength(4);
    evalX = draft.id;
    expect((await h.inject('POST', url, h.x, { session_id: sessionId })).json().error.code).toBe('EVALUATION_ALREADY_EXISTS');
    const incomplete = await h.inject('POST', `${BASE}/evaluations/${evalX}/complete`, h.x);
    expect(incomplete.json().error).toMatchObject({ code: 'INCOMPLETE_SCORES' });
    expect(incomplete.json().error.details.missing_criterion_ids).toHaveLength(4);
  });

  it('given a juror draft, when the other juror or a team member reads it, then 404 EVALUATION_NOT_FOUND; only the author edits', async () => {
    expect((await h.inject('GET', `${BASE}/evaluations/${evalX}`, h.y)).json().error.code).toBe('EVALUATION_NOT_FOUND');
    expect((await h.inject('GET', `${BASE}/evaluations/${evalX}`, one.member)).json().error.code).toBe('EVALUATION_NOT_FOUND');
    expect((await h.inject('GET', `${BASE}/evaluations/${evalX}`, h.coordinador)).json().error.code).toBe('EVALUATION_NOT_FOUND');
    expect((await h.ok(200, 'GET', `${BASE}/evaluations/${evalX}`, h.x)).status).toBe('draft');
    expect(await h.ok<any[]>(200, 'GET', `${BASE}/evaluations`, h.administrativo)).toEqual([]);
    expect((await h.ok<any[]>(200, 'GET', `${BASE}/evaluations`, h.x)).length).toBe(1);
    expect((await h.inject('PATCH', `${BASE}/evaluations/${evalX}`, h.y, { general_comments: 'x' })).statusCode).toBe(404);
    const pending = await h.ok<any[]>(200, 'GET', `${BASE}/evaluations/pending`, h.x);
    expect(pending.map((p) => p.status).sort()).toEqual(['draft', 'missing']);
    expect((await h.ok<any[]>(200, 'GET', `${BASE}/evaluations/pending?evaluator_id=${h.y.id}`, h.coordinador)).length).toBe(2);
  });

  it('given the software rubric and scores 90…55, when completed, then total 76.0 band C', async () => {
    const scores = await scoresFor(h, one.rubricId, [90, 85, 80, 75, 70, 65, 60, 55]);
    const patched = await h.ok(200, 'PATCH', `${BASE}/evaluations/${evalX}`, h.x, { scores: scores.slice(4) });
    expect(patched.scores).toHaveLength(8);
    const done = await h.ok(200, 'POST', `${BASE}/evaluations/${evalX}/complete`, h.x);
    expect(done).toMatchObject({ status: 'completed', total_score: 76, band_code: 'C' });
    expect((await h.inject('PATCH', `${BASE}/evaluations/${evalX}`, h.x, { general_comments: 'tarde' })).json().error.code).toBe('INVALID_STATE');
  });

  it('given juror totals 76.0 and 84.0, when the second completes, then the submission is evaluated 80.0 band B spread 8.0; hidden from the team until published', async () => {
    const e = await h.ok(201, 'POST', `${BASE}/submissions/${one.submission.id}/evaluations`, h.y, { session_id: sessionId, scores: await scoresFor(h, one.rubricId, [84, 84, 84, 84, 84, 84, 84, 84]) });
    evalY = e.id;
    await h.ok(200, 'POST', `${BASE}/evaluations/${evalY}/complete`, h.y);
    const staff = await h.ok(200, 'GET', `${BASE}/submissions/${one.submission.id}`, h.coordinador);
    expect(staff).toMatchObject({ status: 'evaluated', final_score: 80, band_code: 'B', band_label: 'Bueno', is_passing: true, score_spread: 8, needs_calibration: false });
    expect(staff.evaluations).toHaveLength(2);
    expect(staff.criterion_averages[0].average).toBe(87);
    const member = await h.ok(200, 'GET', `${BASE}/submissions/${one.submission.id}`, one.member);
    expect(member).toMatchObject({ status: 'evaluated', final_score: null, band_label: null, evaluations: [], criterion_averages: [] });
    expect(await h.ok<any[]>(200, 'GET', `${BASE}/evaluations?submission_id=${one.submission.id}`, one.member)).toEqual([]);
    // reopening takes it back to in_evaluation; completing again restores the result
    await h.ok(200, 'POST', `${BASE}/evaluations/${evalY}/reopen`, h.y);
    expect((await h.ok(200, 'GET', `${BASE}/submissions/${one.submission.id}`, h.x)).status).toBe('in_evaluation');
    await h.ok(200, 'POST', `${BASE}/evaluations/${evalY}/complete`, h.y);
  });

  it('given the session is in progress, when published, then 409 SESSION_NOT_COMPLETED; after completion, published and the team and advisor notified; a reopen is INVALID_STATE', async () => {
    const early = await h.inject('POST', `${BASE}/submissions/${one.submission.id}/publish`, h.x);
    expect(early.json().error.code).toBe('SESSION_NOT_COMPLETED');
    expect((await h.inject('POST', `${BASE}/submissions/${two.submission.id}/publish`, h.y)).json().error.code).toBe('SUBMISSION_NOT_EVALUATED');
    expect((await h.inject('POST', `${BASE}/submissions/${one.submission.id}/publish`, h.z)).statusCode).toBe(403);
    await h.ok(200, 'POST', `${BASE}/sessions/${sessionId}/complete`, h.x);
    const published = await h.ok(200, 'POST', `${BASE}/submissions/${one.submission.id}/publish`, h.x);
    expect(published).toMatchObject({ status: 'published', published_by: h.x.id });
    expect(published.evaluations.map((e: any) => e.status)).toEqual(['published', 'published']);
    const [note] = await h.outbox('projecteval.result_published');
    expect(note.body.target_users.sort()).toEqual([...h.fichaA.apprentices.slice(0, 4).map((a) => a.id), h.x.id].sort());
    expect(note.body.data).toMatchObject({ final_score: 80, band_label: 'Bueno', is_passing: true, deliverable_title: 'Prototipo funcional del módulo de inventario' });
    expect((await h.inject('POST', `${BASE}/evaluations/${evalY}/reopen`, h.y)).json().error.code).toBe('INVALID_STATE');
    expect((await h.inject('POST', `${BASE}/submissions/${one.submission.id}/publish`, h.x)).json().error.code).toBe('INVALID_STATE');
  });

  it('given it is published, the member sees final score, band, each juror\'s scores and comments; another team sees nothing', async () => {
    const mine = await h.ok(200, 'GET', `${BASE}/submissions/${one.submission.id}`, one.member);
    expect(mine).toMatchObject({ final_score: 80, band_label: 'Bueno' });
    expect(mine.evaluations.map((e: any) => e.total_score).sort()).toEqual([76, 84]);
    expect(mine.evaluations.find((e: any) => e.evaluator_id === h.x.id).general_comments).toBe('Buen trabajo en general.');
    expect((await h.ok<any[]>(200, 'GET', `${BASE}/evaluations`, one.member)).length).toBe(2);
    expect((await h.ok(200, 'GET', `${BASE}/evaluations/${evalX}`, one.member)).status).toBe('published');
    expect(await h.ok<any[]>(200, 'GET', `${BASE}/evaluations`, two.member)).toEqual([]);
    const sessions = await h.ok<any[]>(200, 'GET', `${BASE}/sessions`, two.member);
    expect(sessions.map((s) => s.id)).toEqual([sessionId]);
    expect((await h.ok<any[]>(200, 'GET', `${BASE}/sessions?juror_id=${h.z.id}&sort=-starts_at`, h.administrativo)).length).toBeGreaterThan(0);
  });
});
