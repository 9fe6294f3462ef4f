/**
 * A full evaluation's first alerts (R33 create, R34 one short transaction per student, R35 notices): a
 * student without any AUTO alert gets their alerts in one guarded insert with the notices; when another
 * run writes one of them between the run's read and its write, nothing is doubled — the student is done
 * again under their lock, which sees the other run's alert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertEvaluation } from '../src/application/alerts.evaluation.ts';
import type { Deps } from '../src/application/context.ts';
import { createSettingsService } from '../src/application/settings.service.ts';
import { createRepositories, createUnitOfWork } from '../src/infrastructure/repositories.ts';
import { at, createHarness, type Harness } from './harness.ts';
import { takeRoll } from './reports.fixtures.ts';

let h: Harness;
let deps: Deps;
/** Runs once between the evaluation's read of the current alerts and its writes. */
let meanwhile: (() => Promise<void>) | null = null;

beforeAll(async () => {
  h = await createHarness(at('2026-05-06', '15:00').toISOString());
  const repos = createRepositories(h.db.db);
  const autoAlertsOf = repos.alerts.autoAlertsOf;
  repos.alerts.autoAlertsOf = async (ids) => {
    const read = await autoAlertsOf(ids);
    const step = meanwhile;
    meanwhile = null;
    if (step) await step();
    return read;
  };
  deps = { repos, withTransaction: createUnitOfWork(h.db.db), schedules: h.schedules, users: h.users, now: () => h.clock.now, timeZone: 'America/Bogota' };
  // Apprentices 1 and 2 of ficha A absent three times in a row, everyone else present.
  for (const date of ['2026-05-04', '2026-05-05', '2026-05-06']) await takeRoll(h, h.addSession({ date }), 'AAPPPPPPPPPPPP', { closedAt: '09:05' });
});
afterAll(async () => {
  await h?.close();
});

const alertsOf = (studentId: string) =>
  h.db.query<{ id: string; type: string; level: string; state: string; level_history: unknown[] }>(
    "SELECT id::text AS id, type::text AS type, level::text AS level, state::text AS state, level_history FROM attendance.alerts WHERE student_id = $1 ORDER BY created_at, id",
    [studentId],
  );

describe('full evaluation, first alerts', () => {
  it('given two students due a first alert and another run raising one of them meanwhile, then one alert each and notices only for the one this run created', async () => {
    const [first, raced] = h.fichaA.apprentices;
    let other = '';
    meanwhile = async () => {
      [{ id: other }] = await h.db.query<{ id: string }>(
        `INSERT INTO attendance.alerts (student_id, group_id, group_number, type, level, state, source, title, message, level_history)
         VALUES ($1, $2, '2826503', 'CONSECUTIVE_ABSENCES', 'HIGH', 'OPEN', 'AUTO', '3 inasistencias consecutivas sin justificar', 'otra evaluación', '[{"level":"HIGH","at":"2026-05-06T19:59:00.000Z"}]') RETURNING id::text AS id`,
        [raced.id, h.fichaA.id],
      );
    };
    const evaluation = createAlertEvaluation(deps, createSettingsService(deps));
    const result = await evaluation.run({});
    expect(meanwhile).toBeNull();
    expect(result).toMatchObject({ created: 1, escalated: 0, lowered: 0, resolved: 0 });

    const mine = await alertsOf(first.id);
    expect(mine).toMatchObject([{ type: 'CONSECUTIVE_ABSENCES', level: 'HIGH', state: 'OPEN' }]);
    expect(mine[0].level_history).toHaveLength(1);
    const theirs = await alertsOf(raced.id);
    expect(theirs).toMatchObject([{ id: other, type: 'CONSECUTIVE_ABSENCES', level: 'HIGH', state: 'OPEN' }]);

    const outbox = await h.outbox();
    const about = (id: string) => outbox.filter((r) => r.body.entity_id === id).map((r) => r.body.type).sort();
    expect(about(mine[0].id)).toEqual(['attendance.alert_for_staff', 'attendance.alert_for_student']);
    expect(about(other)).toEqual([]);
    expect(outbox).toHaveLength(2);
  });

  it('when the full run is repeated, then nothing is created or notified again', async () => {
    const before = (await h.outbox()).length;
    const result = await createAlertEvaluation(deps, createSettingsService(deps)).run({});
    expect(result).toMatchObject({ created: 0, escalated: 0, lowered: 0, resolved: 0 });
    expect(await h.outbox()).toHaveLength(before);
  });
});
