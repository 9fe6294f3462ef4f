/** E44, E50–E51 and R40's job (US-EVI-14, US-EVI-15): participation, manual and automatic reminders. */
import { describe, expect, it } from 'vitest';
import { createScheduler } from '@sicora/platform/jobs';
import { remindersJob } from '../src/application/reminders.job.ts';
import { expectError, expectOk } from './http.ts';
import { jobServices, ROLES, useHarness } from './harness.ts';
import { makePeriod, makeQuestionnaire, makeQuestions } from './support.ts';

const ref = useHarness();
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const S: Record<string, any> = {};

describe('participation and reminders', () => {
  it('when 3 apprentices of ficha A completed everything and 1 partly, then E44 shows each apprentice’s status; the director reads their ficha only', async () => {
    const h = ref.h;
    const [q] = await makeQuestions(h, 1);
    S.qn = await makeQuestionnaire(h, [q]);
    S.q = q;
    const now = h.clock.now.getTime();
    // Ends on local day now + 3 (R40's default days include 3).
    S.p = await makePeriod(h, { start: iso(now - DAY), end: '2026-03-12', groups: [h.fichaA.id, h.fichaB.id], questionnaireId: S.qn });
    expectOk(await h.inject('POST', `/api/v1/evalin/periods/${S.p.id}/activate`, h.admin));
    for (const s of h.fichaA.apprentices.slice(0, 3)) for (const i of [h.x, h.y, h.z, h.w]) expectOk(await h.inject('POST', '/api/v1/evalin/evaluations', s, { period_id: S.p.id, instructor_id: i.id, answers: [{ question_id: q, value: 4 }] }), 201);
    expectOk(await h.inject('POST', '/api/v1/evalin/evaluations', h.fichaA.apprentices[3], { period_id: S.p.id, instructor_id: h.x.id, answers: [{ question_id: q, value: 4 }] }), 201);
    const url = `/api/v1/evalin/reports/periods/${S.p.id}/participation`;
    const rows = expectOk(await h.inject('GET', `${url}?group_id=${h.fichaA.id}&page_size=100`, h.x));
    expect(rows).toHaveLength(10);
    const byId = new Map(rows.map((r: { student_id: string }) => [r.student_id, r]));
    expect(byId.get(h.fichaA.apprentices[0].id)).toMatchObject({ total_instructors: 4, submitted: 4, pending: 0, percentage: 100, status: 'complete' });
    expect(byId.get(h.fichaA.apprentices[3].id)).toMatchObject({ submitted: 1, pending: 3, percentage: 25, status: 'partial' });
    expect(byId.get(h.fichaA.apprentices[9].id)).toMatchObject({ submitted: 0, status: 'pending', percentage: 0 });
    expect(expectOk(await h.inject('GET', `${url}?status=complete`, h.administrativo))).toHaveLength(3);
    expectError(await h.inject('GET', `${url}?group_id=${h.fichaB.id}`, h.x), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.inject('GET', url, h.x), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('GET', `${url}?group_id=${h.fichaA.id}`, h.y), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.inject('GET', url, h.fichaA.apprentices[0]), 403, 'INSUFFICIENT_PERMISSIONS');
    // E20 live participation for staff: ficha A 10×4, ficha B 4×2 → 48 expected, 13 submitted.
    const p = expectOk(await h.inject('GET', `/api/v1/evalin/periods/${S.p.id}`, h.coordinador));
    expect(p.participation).toMatchObject({ expected: 48, submitted: 13, rate: 27.1 });
  });

  it('when the 08:00 job runs 3 days before the end, then pending apprentices get period_ending and completed ones nothing; a second run adds nothing', async () => {
    const h = ref.h;
    const { deps, reminders } = await jobServices(h);
    h.clock.now = new Date('2026-03-09T12:59:00Z');
    const jobs = createScheduler({ database: h.db, schema: 'evalin', now: deps.now, timers: false }, [remindersJob(deps, reminders)]);
    await jobs.start();
    try {
      h.clock.now = new Date('2026-03-09T13:00:30Z');
      await jobs.runDue();
      const ending = (await h.outbox('evalin.period_ending')).filter((r) => r.body.data.period_id === S.p.id);
      expect(ending).toHaveLength(2);
      const forA = ending.find((r) => r.idempotency_key.includes(h.fichaA.id))!;
      expect(forA.body.target_users.sort()).toEqual(h.fichaA.apprentices.slice(3).map((p) => p.id).sort());
      expect(forA.body.data).toMatchObject({ period_name: S.p.name, days_remaining: 4 });
      await reminders.runDaily();
      expect((await h.outbox('evalin.period_ending')).filter((r) => r.body.data.period_id === S.p.id)).toHaveLength(2);
      const log = expectOk(await h.inject('GET', `/api/v1/evalin/periods/${S.p.id}/reminders?kind=auto_ending`, h.administrativo));
      expect(log.filter((r: { recipient_count: number }) => r.recipient_count > 0)).toHaveLength(2);
      expect(log[0]).toMatchObject({ kind: 'auto_ending', days_before: 3, sent_by: null, delivery_status: 'pending' });
    } finally {
      await jobs.stop();
    }
  });

  it('when the director reminds ficha A, then apprentices already reminded today are skipped_recent; a later day the 7 pending are queued; again within 24 h is 429', async () => {
    const h = ref.h;
    const url = `/api/v1/evalin/periods/${S.p.id}/reminders`;
    const first = await h.inject('POST', url, h.x, { group_id: h.fichaA.id, message: 'Recuerden evaluar antes del cierre' });
    expect(first.statusCode).toBe(202);
    const r1 = first.json().data;
    expect(r1).toMatchObject({ group_number: '2826503', total_students: 10, pending_students: 7, reminders_sent: 0, skipped_recent: 7, skipped_no_pending: 3 });
    // Zero recipients does not count for the interval: the next day it goes out.
    h.clock.now = new Date('2026-03-10T14:00:00Z');
    const r2 = expectOk(await h.inject('POST', url, h.x, { group_id: h.fichaA.id }), 202);
    expect(r2).toMatchObject({ reminders_sent: 7, skipped_recent: 0, skipped_no_pending: 3 });
    const event = (await h.outbox('evalin.evaluation_reminder')).at(-1)!;
    expect(event.body.target_users).toHaveLength(7);
    expect(event.body.data).toMatchObject({ group_number: '2826503', sender_name: h.x.full_name, custom_message: null });
    const again = await h.inject('POST', url, h.coordinador, { group_id: h.fichaA.id });
    const err = expectError(again, 429, 'REMINDER_RATE_LIMITED');
    expect(again.headers['retry-after']).toBe(String(24 * 3600));
    expect(err.details.next_allowed_at).toBe('2026-03-11T14:00:00.000Z');
    // Other refusals.
    expectError(await h.inject('POST', url, h.y, { group_id: h.fichaA.id }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.inject('POST', url, h.coordinador, { group_id: h.fichaB.id, student_ids: [h.fichaA.apprentices[0].id] }), 422, 'STUDENT_NOT_IN_GROUP');
    const other = '00000000-0000-4000-8000-000000000000';
    expectError(await h.inject('POST', url, h.coordinador, { group_id: other }), 404, 'GROUP_NOT_IN_PERIOD');
    expectError(await h.inject('POST', url, h.coordinador, { group_id: h.fichaB.id, message: 'corto' }), 422, 'VALIDATION_ERROR');
    const sel = expectOk(await h.inject('POST', url, h.administrativo, { group_id: h.fichaB.id, student_ids: [h.fichaB.apprentices[0].id], message: 'Mensaje personalizado de prueba' }), 202);
    expect(sel).toMatchObject({ reminders_sent: 1, skipped_recent: 0, total_students: 4 });
    expect(expectOk(await h.inject('GET', `${url}?group_id=${h.fichaA.id}&kind=manual`, h.x)).map((r: { recipient_count: number }) => r.recipient_count)).toEqual([7, 0]);
    expectError(await h.inject('GET', `${url}?group_id=${h.fichaB.id}`, h.x), 403, 'INSUFFICIENT_PERMISSIONS');
  });

  it('when notifications are disabled, then E50 is 409 NOTIFICATIONS_DISABLED; a closed period is 409 PERIOD_NOT_OPEN', async () => {
    const h = ref.h;
    const { version } = expectOk(await h.inject('GET', '/api/v1/evalin/config', h.admin));
    expectOk(await h.inject('PATCH', '/api/v1/evalin/config', h.admin, { notifications_enabled: false, version }));
    expectError(await h.inject('POST', `/api/v1/evalin/periods/${S.p.id}/reminders`, h.admin, { group_id: h.fichaB.id }), 409, 'NOTIFICATIONS_DISABLED');
    const before = (await h.outbox()).length;
    expectOk(await h.inject('POST', `/api/v1/evalin/periods/${S.p.id}/close`, h.admin));
    expect((await h.outbox()).length).toBe(before);
    expectOk(await h.inject('PATCH', '/api/v1/evalin/config', h.admin, { notifications_enabled: true, version: version + 1 }));
    expectError(await h.inject('POST', `/api/v1/evalin/periods/${S.p.id}/reminders`, h.admin, { group_id: h.fichaB.id }), 409, 'PERIOD_NOT_OPEN');
  });

  it.each(ROLES)('when %s sends a reminder for an unknown period, then staff and instructors reach 404, the others 403', async (role) => {
    const res = await ref.h.inject('POST', '/api/v1/evalin/periods/00000000-0000-4000-8000-000000000000/reminders', role, { group_id: ref.h.fichaA.id });
    if (['admin', 'coordinador', 'administrativo', 'instructor'].includes(role)) expectError(res, 404, 'PERIOD_NOT_FOUND');
    else expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
  });
});
