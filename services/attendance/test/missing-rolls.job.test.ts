/**
 * R46's reminder and digest of rolls not taken (US-ATT-19) and the nightly purges (R21, R28), run by the
 * platform scheduler on the test's clock.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '@sicora/platform/jobs';
import { expectOk } from '@sicora/platform/testing/http';
import type { Deps } from '../src/application/context.ts';
import { missingRollsDigestJob, rollReminderJob } from '../src/application/missing-rolls.job.ts';
import { purgeJob } from '../src/application/purge.job.ts';
import { createSettingsService } from '../src/application/settings.service.ts';
import { createRepositories, createUnitOfWork } from '../src/infrastructure/repositories.ts';
import { at, createHarness, type Harness } from './harness.ts';

let h: Harness;
let jobs: Scheduler;
let deps: Deps;
beforeAll(async () => {
  h = await createHarness(at('2026-04-06', '05:00').toISOString());
  deps = { repos: createRepositories(h.db.db), withTransaction: createUnitOfWork(h.db.db), schedules: h.schedules, users: h.users, now: () => h.clock.now, timeZone: 'America/Bogota' };
  const settings = createSettingsService(deps);
  jobs = createScheduler({ database: h.db, schema: 'attendance', now: deps.now, timers: false }, [rollReminderJob(deps, settings), missingRollsDigestJob(deps), purgeJob(deps)]);
  await jobs.start();
});
afterAll(async () => {
  await jobs.stop();
  await h.close();
});

const mark = async (date: string, scheduleId: string) => {
  const roll = expectOk(await h.inject('POST', '/api/v1/attendance/rolls', h.x, { schedule_id: scheduleId, session_date: date }), 201);
  expectOk(await h.inject('PUT', `/api/v1/attendance/rolls/${roll.id}/marks`, h.x, { marks: [{ student_id: h.fichaA.apprentices[0].id, status: 'PRESENT' }] }));
};

describe('roll reminder (R46, US-ATT-19)', () => {
  it('when a session ended 15 minutes ago without a record, then the job sends one roll_missing to its instructor, however often it runs', async () => {
    const date = '2026-04-06';
    const missing = h.addSession({ date, start: '06:00', end: '07:00', subject: 'Bases de datos' });
    const taken = h.addSession({ date, start: '06:00', end: '07:00', subject: 'Inglés' });
    const later = h.addSession({ date, start: '07:00', end: '08:00', subject: 'Ética' });
    h.clock.now = at(date, '06:10');
    await mark(date, taken.schedule_id);

    h.clock.now = at(date, '07:10');
    await jobs.runDue();
    expect(await h.outbox('attendance.roll_missing')).toEqual([]);

    h.clock.now = at(date, '07:15');
    await jobs.runDue();
    h.clock.now = at(date, '07:20');
    await jobs.runDue();
    const sent = await h.outbox('attendance.roll_missing');
    expect(sent).toHaveLength(1);
    expect(sent[0].idempotency_key).toBe(`attendance:attendance.roll_missing:${missing.schedule_id}:${date}`);
    expect(sent[0].body).toMatchObject({
      target_users: [h.x.id],
      entity_type: 'roll',
      data: { first_name: 'Andrés Felipe', subject: 'Bases de datos', group_number: '2826503', session_date: '06/04/2026', start_time: '06:00', end_time: '07:00', venue_code: '205', roll_url: `/asistencia/tomas/${missing.schedule_id}/${date}` },
    });
    expect(sent[0].body).not.toHaveProperty('entity_id');

    // notices_sent remembers it after the outbox let the delivered row go: no second reminder.
    await h.db.query("DELETE FROM attendance.outbox WHERE body->>'type' = 'attendance.roll_missing'");
    h.clock.now = at(date, '07:25');
    await jobs.runDue();
    expect(await h.outbox('attendance.roll_missing')).toEqual([]);
    expect(await h.db.query("SELECT kind, key FROM attendance.notices_sent WHERE kind = 'roll_missing'")).toEqual([{ kind: 'roll_missing', key: `${missing.schedule_id}:${date}` }]);

    // The next session's own reminder comes once it is due; the first one is not sent again.
    h.clock.now = at(date, '08:15');
    await jobs.runDue();
    const keys = (await h.outbox('attendance.roll_missing')).map((n) => n.idempotency_key);
    expect(keys).toEqual([`attendance:attendance.roll_missing:${later.schedule_id}:${date}`]);
  });

  it('when a session ended more than 180 minutes ago, or is cancelled, then no reminder', async () => {
    const date = '2026-04-07';
    const old = h.addSession({ date, start: '06:00', end: '07:00' });
    h.addSession({ date, start: '09:00', end: '10:00', status: 'CANCELLED' });
    h.clock.now = at(date, '10:05');
    const before = (await h.outbox('attendance.roll_missing')).length;
    await jobs.runDue();
    const after = await h.outbox('attendance.roll_missing');
    expect(after.length).toBe(before);
    expect(after.map((n) => n.idempotency_key)).not.toContain(`attendance:attendance.roll_missing:${old.schedule_id}:${date}`);
  });
});

describe('missing-rolls digest (R46)', () => {
  it('when sessions of the day ended without a record, then one digest to coordinación and admin at 23:00, once per date', async () => {
    const date = '2026-04-08';
    const a = h.addSession({ date, start: '06:00', end: '07:00', subject: 'Matemáticas' });
    const b = h.addSession({ date, start: '07:00', end: '08:00', subject: 'Inglés', instructor: h.y, ficha: h.fichaB });
    const done = h.addSession({ date, start: '08:00', end: '09:00' });
    h.clock.now = at(date, '08:10');
    await mark(date, done.schedule_id);

    h.clock.now = at(date, '23:00');
    await jobs.runDue();
    h.clock.now = at(date, '23:30');
    await jobs.runDue();
    const digests = (await h.outbox('attendance.missing_rolls_digest')).filter((n) => n.idempotency_key.endsWith(`:digest:${date}`));
    expect(digests).toHaveLength(1);
    expect(digests[0].body).toMatchObject({
      target_roles: ['coordinador', 'admin'],
      data: {
        date: '08/04/2026',
        sessions_total: 3,
        sessions_missing: 2,
        affected_instructors: 2,
        items: [
          { instructor_name: h.x.full_name, group_number: '2826503', subject: a.subject, start_time: '06:00', end_time: '07:00' },
          { instructor_name: h.y.full_name, group_number: '2901817', subject: b.subject, start_time: '07:00', end_time: '08:00' },
        ],
        report_url: `/asistencia/reportes/tomas-pendientes?date=${date}`,
      },
    });
  });

  it('when every session of the day was taken, then no digest', async () => {
    const date = '2026-04-09';
    const s = h.addSession({ date, start: '06:00', end: '07:00' });
    h.clock.now = at(date, '06:10');
    await mark(date, s.schedule_id);
    h.clock.now = at(date, '23:00');
    await jobs.runDue();
    expect((await h.outbox('attendance.missing_rolls_digest')).filter((n) => n.idempotency_key.endsWith(`:digest:${date}`))).toEqual([]);
  });
});

describe('nightly purges (R21, R28)', () => {
  it('when the night comes, then codes older than 7 days and evidence reviewed 730 days ago lose their rows / content, newer ones stay', async () => {
    const now = at('2026-04-10', '23:00');
    const student = h.fichaA.apprentices[1];
    const code = (days: number) => ({ id: randomUUID(), issuedAt: new Date(now.getTime() - days * 86_400_000) });
    const oldCode = code(8);
    const newCode = code(6);
    for (const c of [oldCode, newCode]) {
      await h.db.query(
        "INSERT INTO attendance.qr_codes (id, student_id, schedule_id, session_date, device_id, issued_at, expires_at, state, ip_masked) VALUES ($1, $2, $3, '2026-04-01', $4, $5, $5, 'USED', '127.0.0.0/24')",
        [c.id, student.id, randomUUID(), randomUUID(), c.issuedAt.toISOString()],
      );
    }
    const evidence = async (reviewedDaysAgo: number) => {
      const j = randomUUID();
      const reviewedAt = new Date(now.getTime() - reviewedDaysAgo * 86_400_000).toISOString();
      await h.db.query(
        "INSERT INTO attendance.justifications (id, student_id, group_id, kind, type, reason, status, submitted_at, reviewed_at, review_comment) VALUES ($1, $2, $3, 'AFTER_ABSENCE', 'MEDICAL', 'Incapacidad médica de prueba', 'APPROVED', $4, $4, 'Soporte válido')",
        [j, student.id, h.fichaA.id, reviewedAt],
      );
      const f = randomUUID();
      await h.db.query(
        "INSERT INTO attendance.evidence_files (id, justification_id, file_name, media_type, size_bytes, sha256, content, uploaded_at) VALUES ($1, $2, 'soporte.pdf', 'application/pdf', 5, 'ab', '\\x255044462d'::bytea, $3)",
        [f, j, reviewedAt],
      );
      return f;
    };
    const oldFile = await evidence(731);
    const newFile = await evidence(729);

    h.clock.now = now;
    await jobs.runDue();
    const codes = await h.db.query<{ id: string }>('SELECT id FROM attendance.qr_codes WHERE id = ANY($1::uuid[])', [[oldCode.id, newCode.id]]);
    expect(codes.map((c) => c.id)).toEqual([newCode.id]);
    const files = await h.db.query<{ id: string; has_content: boolean; purged: boolean; sha256: string }>(
      'SELECT id, content IS NOT NULL AS has_content, purged_at IS NOT NULL AS purged, sha256 FROM attendance.evidence_files WHERE id = ANY($1::uuid[])',
      [[oldFile, newFile]],
    );
    expect(Object.fromEntries(files.map((f) => [f.id, [f.has_content, f.purged, f.sha256]]))).toEqual({ [oldFile]: [false, true, 'ab'], [newFile]: [true, false, 'ab'] });
  });
});
