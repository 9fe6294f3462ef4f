/** E18–E29 (US-EVI-04, US-EVI-05): periods, the state machine, overlaps, the clock and events. */
import { describe, expect, it } from 'vitest';
import { createScheduler } from '@sicora/platform/jobs';
import { clockJob } from '../src/application/clock.job.ts';
import { expectError, expectOk } from './http.ts';
import { jobServices, ROLES, useHarness } from './harness.ts';
import { makePeriod, makeQuestionnaire, makeQuestions } from './support.ts';

const ref = useHarness();
const URL = '/api/v1/evalin/periods';
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('periods (E18–E29)', () => {
  it('when the admin creates a period for two fichas with a usable questionnaire, then 201 draft with both group numbers', async () => {
    const h = ref.h;
    const p = await makePeriod(h, { start: '2026-03-10', end: '2026-03-20', groups: [h.fichaA.id, h.fichaB.id] });
    expect(p).toMatchObject({ status: 'draft', participation: null, is_open: false, duration_days: 11 });
    expect(p.groups.map((g: { group_number: string }) => g.group_number).sort()).toEqual(['2826503', '2901817']);
    // R13: bare dates are local (Bogotá UTC−5) 00:00 and 23:59:59.999.
    expect(p.start_date).toBe('2026-03-10T05:00:00.000Z');
    expect(p.end_date).toBe('2026-03-21T04:59:59.999Z');
  });

  it('when dates are wrong, the questionnaire unusable or a ficha unknown, then the coded refusals', async () => {
    const h = ref.h;
    const qn = await makeQuestionnaire(h, await makeQuestions(h, 1));
    const body = (o: Record<string, unknown>) => ({ name: 'Fechas malas', start_date: '2026-03-10', end_date: '2026-03-20', questionnaire_id: qn, group_ids: [h.fichaA.id], ...o });
    expect(expectError(await h.inject('POST', URL, h.admin, body({ start_date: '2026-02-01', end_date: '2026-03-01' })), 422, 'INVALID_PERIOD_DATES').details.reason).toBe('end_in_past');
    expect(expectError(await h.inject('POST', URL, h.admin, body({ end_date: '2026-03-05' })), 422, 'INVALID_PERIOD_DATES').details.reason).toBe('order');
    expect(expectError(await h.inject('POST', URL, h.admin, body({ start_date: '2026-03-10T10:00:00Z', end_date: '2026-03-11T09:59:59Z' })), 422, 'INVALID_PERIOD_DATES').details.reason).toBe('too_short');
    expect(expectError(await h.inject('POST', URL, h.admin, body({ end_date: '2027-03-10' })), 422, 'INVALID_PERIOD_DATES').details.reason).toBe('too_long');
    expectOk(await h.inject('POST', URL, h.admin, body({ name: 'Un día', start_date: '2026-03-10', end_date: '2026-03-10' })), 201);
    const unknown = '00000000-0000-4000-8000-000000000001';
    expect(expectError(await h.inject('POST', URL, h.admin, body({ group_ids: [h.fichaA.id, unknown] })), 422, 'UNKNOWN_GROUP').details.group_ids).toEqual([unknown]);
    const empty = await makeQuestionnaire(h, []);
    expect(expectError(await h.inject('POST', URL, h.admin, body({ questionnaire_id: empty })), 409, 'QUESTIONNAIRE_NOT_USABLE').details.reason).toBe('empty');
    expectError(await h.inject('POST', URL, h.admin, body({ questionnaire_id: unknown })), 404, 'QUESTIONNAIRE_NOT_FOUND');
  });

  it('when an active period of ficha B runs day 1–20, then a period over day 10–30 overlaps (409) and day 20–30 is accepted', async () => {
    const h = ref.h;
    h.clock.now = new Date('2026-03-09T13:00:00Z');
    const t0 = Date.parse('2026-04-01T05:00:00Z');
    const a = await makePeriod(h, { start: iso(t0), end: iso(t0 + 19 * DAY), groups: [h.fichaB.id] });
    expectOk(await h.inject('POST', `${URL}/${a.id}/activate`, h.admin));
    const qn = await makeQuestionnaire(h, await makeQuestions(h, 1));
    const err = expectError(await h.inject('POST', URL, h.admin, { name: 'Cruce', start_date: iso(t0 + 9 * DAY), end_date: iso(t0 + 29 * DAY), questionnaire_id: qn, group_ids: [h.fichaB.id] }), 409, 'OVERLAPPING_PERIODS');
    expect(err.details).toMatchObject({ period_id: a.id, group_numbers: ['2901817'] });
    // A draft over the same days is checked again on activation.
    const b = await makePeriod(h, { start: iso(t0 + 9 * DAY), end: iso(t0 + 29 * DAY), groups: [h.fichaA.id] });
    expectOk(await h.inject('PATCH', `${URL}/${b.id}`, h.admin, { name: 'Ahora sobre A' }));
    expectError(await h.inject('PATCH', `${URL}/${b.id}`, h.admin, { group_ids: [h.fichaB.id] }), 409, 'OVERLAPPING_PERIODS');
    expectOk(await h.inject('POST', URL, h.admin, { name: 'Contiguo', start_date: iso(t0 + 19 * DAY), end_date: iso(t0 + 29 * DAY), questionnaire_id: qn, group_ids: [h.fichaB.id] }), 201);
    // Clean up: revert the scheduled one so later tests over ficha B do not overlap it.
    expectOk(await h.inject('POST', `${URL}/${a.id}/revert-to-draft`, h.admin));
    expect((await h.inject('DELETE', `${URL}/${a.id}`, h.admin)).statusCode).toBe(204);
  });

  it('when a period starting tomorrow is activated, then scheduled; one starting in the past is active with one period_started per ficha', async () => {
    const h = ref.h;
    const now = h.clock.now.getTime();
    const later = await makePeriod(h, { start: iso(now + DAY), end: iso(now + 5 * DAY), groups: [h.fichaA.id] });
    const s = expectOk(await h.inject('POST', `${URL}/${later.id}/activate`, h.admin));
    expect(s).toMatchObject({ status: 'scheduled' });
    expect(s.activated_at).toBeTruthy();
    // Revert and delete work on scheduled periods (R19); a second activate on scheduled is refused.
    expect(expectError(await h.inject('POST', `${URL}/${later.id}/activate`, h.admin), 409, 'INVALID_PERIOD_TRANSITION').details).toEqual({ from: 'scheduled', action: 'activate' });
    expect((await h.inject('DELETE', `${URL}/${later.id}`, h.admin)).statusCode).toBe(204);

    const now2 = await makePeriod(h, { start: iso(now - DAY), end: iso(now + 10 * DAY), groups: [h.fichaA.id, h.fichaB.id] });
    const a = expectOk(await h.inject('POST', `${URL}/${now2.id}/activate`, h.admin));
    expect(a).toMatchObject({ status: 'active', is_open: true, days_remaining: 10 });
    const started = (await h.outbox('evalin.period_started')).filter((r) => r.body.data.period_id === now2.id);
    expect(started).toHaveLength(2);
    const forA = started.find((r) => r.body.data.group_number === '2826503')!;
    expect(forA.body.target_users.sort()).toEqual(h.fichaA.apprentices.map((p) => p.id).sort());
    expect(forA.body).toMatchObject({ priority: 'high', data: { instructor_count: 4, period_name: now2.name } });
    expectError(await h.inject('DELETE', `${URL}/${now2.id}`, h.admin), 409, 'PERIOD_NOT_DELETABLE');

    // R18: active accepts name/description only.
    expect(expectError(await h.inject('PATCH', `${URL}/${now2.id}`, h.admin, { end_date: '2026-04-30' }), 409, 'PERIOD_CANNOT_BE_MODIFIED').details).toEqual({ status: 'active', fields: ['end_date'] });
    expect(expectOk(await h.inject('PATCH', `${URL}/${now2.id}`, h.admin, { name: 'Renombrado activo' })).name).toBe('Renombrado activo');

    // Suspend → resume → extend → close → publish, each with its event row.
    expectError(await h.inject('POST', `${URL}/${now2.id}/suspend`, h.admin, { reason: 'no' }), 422, 'VALIDATION_ERROR');
    expect(expectOk(await h.inject('POST', `${URL}/${now2.id}/suspend`, h.admin, { reason: 'Paro académico' }))).toMatchObject({ status: 'suspended', suspend_reason: 'Paro académico', is_open: false });
    expect((await h.outbox('evalin.period_suspended')).at(-1)!.body.data).toMatchObject({ period_id: now2.id, reason: 'Paro académico' });
    expect(expectOk(await h.inject('POST', `${URL}/${now2.id}/resume`, h.admin))).toMatchObject({ status: 'active', suspend_reason: null });
    expect((await h.outbox('evalin.period_resumed')).at(-1)!.body.target_users).toHaveLength(14);
    expect(expectError(await h.inject('POST', `${URL}/${now2.id}/extend`, h.admin, { end_date: iso(now + 5 * DAY), reason: 'Más tiempo' }), 422, 'INVALID_PERIOD_DATES').details.reason).toBe('order');
    const ext = expectOk(await h.inject('POST', `${URL}/${now2.id}/extend`, h.admin, { end_date: iso(now + 12 * DAY), reason: 'Más tiempo' }));
    expect(ext.status).toBe('active');
    expect((await h.outbox('evalin.period_extended')).at(-1)!.body.data).toMatchObject({ previous_end_date: iso(now + 10 * DAY), end_date: iso(now + 12 * DAY) });
    expectError(await h.inject('POST', `${URL}/${now2.id}/publish-results`, h.coordinador), 409, 'INVALID_PERIOD_TRANSITION');
    const closed = expectOk(await h.inject('POST', `${URL}/${now2.id}/close`, h.admin));
    expect(closed).toMatchObject({ status: 'closed', closed_reason: 'manual' });
    const closedEvent = (await h.outbox('evalin.period_closed')).find((r) => r.body.data.period_id === now2.id)!;
    expect(closedEvent.body).toMatchObject({ target_roles: ['admin', 'coordinador'], priority: 'low', data: { submitted: 0, participation_rate: 0, pending_comments: 0 } });
    expectError(await h.inject('PATCH', `${URL}/${now2.id}`, h.admin, { name: 'Ya no' }), 409, 'PERIOD_CANNOT_BE_MODIFIED');
    const published = expectOk(await h.inject('POST', `${URL}/${now2.id}/publish-results`, h.coordinador));
    expect(published).toMatchObject({ status: 'published', results_published_by: h.coordinador.id });
    // R22: every instructor with expected respondents gets results_published.
    const pub = (await h.outbox('evalin.results_published')).filter((r) => r.body.data.period_id === now2.id);
    expect(pub.map((r) => r.body.target_users[0]).sort()).toEqual([h.x.id, h.y.id, h.z.id, h.w.id].sort());
    expect(pub[0].body.data).toMatchObject({ response_count: 0, results_shown: false });
    const events = await h.db.query<{ action: string }>('SELECT action FROM evalin.period_events WHERE period_id = $1 ORDER BY created_at, action', [now2.id]);
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'activate', 'suspend', 'resume', 'extend', 'close', 'publish-results']));
  });

  it('when the clock runs, then a due scheduled period turns active once and a due active one closes by end_date with drafts gone', async () => {
    const h = ref.h;
    const { deps, config, periods } = await jobServices(h);
    const jobs = createScheduler({ database: h.db, schema: 'evalin', now: deps.now, timers: false }, [clockJob(deps, config, periods)]);
    await jobs.start();
    try {
      const base = Date.parse('2026-06-01T13:00:00Z');
      h.clock.now = new Date(base);
      const p = await makePeriod(h, { start: iso(base + 60 * 60_000), end: iso(base + 3 * DAY), groups: [h.fichaA.id] });
      expectOk(await h.inject('POST', `${URL}/${p.id}/activate`, h.admin));
      h.clock.now = new Date(base + 61 * 60_000);
      await jobs.runDue();
      h.clock.now = new Date(base + 62 * 60_000);
      await jobs.runDue();
      expect(expectOk(await h.inject('GET', `${URL}/${p.id}`, h.admin)).status).toBe('active');
      expect((await h.outbox('evalin.period_started')).filter((r) => r.body.data.period_id === p.id)).toHaveLength(1);
      // A draft, then the end passes.
      const student = h.fichaA.apprentices[0];
      const qn = expectOk(await h.inject('GET', `/api/v1/evalin/questionnaires/for-instructor/${h.x.id}?period_id=${p.id}`, student));
      expectOk(await h.inject('POST', '/api/v1/evalin/evaluations', student, { period_id: p.id, instructor_id: h.x.id, answers: [{ question_id: qn.questions[0].id, value: 4 }], submit: false }), 201);
      h.clock.now = new Date(base + 3 * DAY + 60_000);
      await jobs.runDue();
      const closed = expectOk(await h.inject('GET', `${URL}/${p.id}`, h.admin));
      expect(closed).toMatchObject({ status: 'closed', closed_reason: 'end_date' });
      expect((await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM evalin.evaluations WHERE period_id = $1', [p.id]))[0].n).toBe(0);
      expect((await h.outbox('evalin.period_closed')).filter((r) => r.body.data.period_id === p.id)).toHaveLength(1);
      const snaps = await h.db.query<{ n: number }>('SELECT cardinality(student_ids) AS n FROM evalin.period_group_snapshots WHERE period_id = $1', [p.id]);
      expect(snaps).toEqual([{ n: 10 }]);
    } finally {
      await jobs.stop();
      h.clock.now = new Date('2026-03-09T13:00:00Z');
    }
  });

  it('when schedules is down at close, then the period still closes and the snapshot and period_closed follow on the clock retry', async () => {
    const h = ref.h;
    const { deps, config, periods } = await jobServices(h);
    const jobs = createScheduler({ database: h.db, schema: 'evalin', now: deps.now, timers: false }, [clockJob(deps, config, periods)]);
    await jobs.start();
    try {
      const base = Date.parse('2026-08-01T13:00:00Z');
      h.clock.now = new Date(base);
      const p = await makePeriod(h, { start: iso(base - DAY), end: iso(base + 3 * DAY), groups: [h.fichaB.id] });
      expectOk(await h.inject('POST', `${URL}/${p.id}/activate`, h.admin));
      h.schedules.down = true;
      expect(expectOk(await h.inject('POST', `${URL}/${p.id}/close`, h.admin)).status).toBe('closed');
      // E20: live participation is unavailable → null with a warning, not 503.
      const res = await h.inject('GET', `${URL}/${p.id}`, h.admin);
      expect(res.statusCode).toBe(200);
      expect(res.json().meta.warnings).toEqual(['SCHEDULES_UNAVAILABLE']);
      expect(res.json().data.participation).toBeNull();
      expect((await h.outbox('evalin.period_closed')).filter((r) => r.body.data.period_id === p.id)).toHaveLength(0);
      h.schedules.down = false;
      h.clock.now = new Date(base + 5 * 60_000);
      await jobs.runDue();
      expect((await h.outbox('evalin.period_closed')).filter((r) => r.body.data.period_id === p.id)).toHaveLength(1);
      // E18 shows the cached figures with as_of.
      const listed = expectOk(await h.inject('GET', `${URL}?status=closed&group_id=${h.fichaB.id}`, h.administrativo)).find((x: { id: string }) => x.id === p.id);
      expect(listed.participation).toMatchObject({ expected: 8, submitted: 0, rate: 0 });
      expect(listed.participation.as_of).toBeTruthy();
    } finally {
      h.schedules.down = false;
      await jobs.stop();
      h.clock.now = new Date('2026-03-09T13:00:00Z');
    }
  });

  it('when an apprentice lists and reads periods, then only non-draft periods of their ficha, others are 404 (O1)', async () => {
    const h = ref.h;
    const now = h.clock.now.getTime();
    const draft = await makePeriod(h, { start: iso(now + 200 * DAY), end: iso(now + 210 * DAY), groups: [h.fichaA.id] });
    const other = await makePeriod(h, { start: iso(now + 220 * DAY), end: iso(now + 230 * DAY), groups: [h.fichaB.id] });
    expectOk(await h.inject('POST', `${URL}/${other.id}/activate`, h.admin));
    const mineB = h.fichaB.apprentices[0];
    const mineA = h.fichaA.apprentices[0];
    const listA = expectOk(await h.inject('GET', `${URL}?page_size=100`, mineA));
    expect(listA.every((p: { status: string; groups: Array<{ group_id: string }> }) => p.status !== 'draft' && p.groups.some((g) => g.group_id === h.fichaA.id))).toBe(true);
    expect(listA.every((p: { participation: unknown }) => p.participation === null)).toBe(true);
    expectError(await h.inject('GET', `${URL}/${draft.id}`, mineA), 404, 'PERIOD_NOT_FOUND');
    expectError(await h.inject('GET', `${URL}/${other.id}`, mineA), 404, 'PERIOD_NOT_FOUND');
    expect(expectOk(await h.inject('GET', `${URL}/${other.id}`, mineB)).status).toBe('scheduled');
    expect(expectOk(await h.inject('GET', `${URL}?status=draft`, mineA))).toEqual([]);
    expect(expectOk(await h.inject('GET', URL, 'aprendiz'))).toEqual([]);
    expectOk(await h.inject('POST', `${URL}/${other.id}/revert-to-draft`, h.admin));
  });

  it.each(ROLES)('when %s reads, creates and publishes, then the matrix of §2 holds', async (role) => {
    const h = ref.h;
    expectOk(await h.inject('GET', URL, role));
    const qn = await makeQuestionnaire(h, await makeQuestions(h, 1));
    const create = await h.inject('POST', URL, role, { name: `Período del rol ${role}`, start_date: '2027-01-10', end_date: '2027-01-20', questionnaire_id: qn, group_ids: [h.fichaA.id] });
    if (role === 'admin') expectOk(create, 201);
    else expectError(create, 403, 'INSUFFICIENT_PERMISSIONS');
    const publish = await h.inject('POST', `${URL}/00000000-0000-4000-8000-000000000009/publish-results`, role);
    if (role === 'admin' || role === 'coordinador') expectError(publish, 404, 'PERIOD_NOT_FOUND');
    else expectError(publish, 403, 'INSUFFICIENT_PERMISSIONS');
    const activate = await h.inject('POST', `${URL}/00000000-0000-4000-8000-000000000009/activate`, role);
    if (role === 'admin') expectError(activate, 404, 'PERIOD_NOT_FOUND');
    else expectError(activate, 403, 'INSUFFICIENT_PERMISSIONS');
  });
});
