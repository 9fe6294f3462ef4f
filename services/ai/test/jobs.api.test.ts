/** The scheduled jobs on a fake clock: nightly run at 02:30 Bogotá (R30), overdue at 08:00 (R33), archive at 03:30 (R2). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scheduler } from '@sicora/platform/jobs';
import { createRiskWorld, HIGH, type RiskWorld } from './risk.fixtures.ts';

let w: RiskWorld;
let jobs: Scheduler;

beforeAll(async () => {
  // Monday 2026-03-09 20:00 Bogotá.
  w = await createRiskWorld('2026-03-10T01:00:00Z');
  w.apprentice(w.fichaA, 'Ana Rojas', HIGH.w, HIGH.wr);
  jobs = (w.h.app as unknown as { aiJobs: { jobs: Scheduler } }).aiJobs.jobs;
  await jobs.start();
});
afterAll(async () => {
  await jobs.stop();
  await w.h.close();
});

describe('scheduled jobs', () => {
  it('when 02:30 Bogotá passes, then one scheduled all-fichas run completes; an idle conversation is archived at 03:30', async () => {
    const a = w.h.person('aprendiz');
    const c = (await w.h.inject('POST', '/api/v1/ai/conversations', a, {})).json().data;
    expect(jobs.nextRunAt('risk-nightly').toISOString()).toBe('2026-03-10T07:30:00.000Z');
    w.h.clock.now = new Date('2026-03-10T07:31:00Z');
    await jobs.runDue();
    await jobs.idle();
    await w.runs().idle();
    const runs = (await w.h.inject('GET', '/api/v1/ai/risk/runs', w.admin)).json().data;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ scope: 'all', trigger: 'scheduled', status: 'completed' });
    w.h.clock.now = new Date('2026-04-10T08:31:00Z');
    await jobs.runDue();
    await jobs.idle();
    expect((await w.h.inject('GET', `/api/v1/ai/conversations/${c.id}`, a)).json().data.status).toBe('archived');
  });

  it('when 08:00 Bogotá passes with an alert open 8 days, then the overdue notification is queued', async () => {
    w.h.clock.now = new Date('2026-04-10T13:01:00Z');
    await jobs.runDue();
    await jobs.idle();
    expect(await w.h.outbox('ai.risk_alert.overdue')).toHaveLength(1);
  });
});

describe('startup run (R30) and metrics', () => {
  it('when assessments exist, then no startup run is queued; /metrics carries ai_* series', async () => {
    const runs = (w.h.app as unknown as { aiJobs: { runs: { startupRun(): Promise<unknown> } } }).aiJobs.runs;
    expect(await runs.startupRun()).toBeNull();
    const m = await w.h.app.inject({ method: 'GET', url: '/metrics' });
    expect(m.body).toMatch(/^ai_risk_assessments_total\{level="high"[^}]*\} [1-9]\d*$/m);
    expect(m.body).toContain('ai_risk_alerts_open');
  });
});

describe('startup run on an empty database', () => {
  it('when no assessment exists, then the startup run scores every ficha once', async () => {
    const fresh = await createRiskWorld('2026-03-10T01:00:00Z');
    try {
      fresh.apprentice(fresh.fichaB, 'Fabio Ruiz', HIGH.w, HIGH.wr);
      const runs = (fresh.h.app as unknown as { aiJobs: { runs: { startupRun(): Promise<{ trigger: string } | null>; idle(): Promise<void> } } }).aiJobs.runs;
      const run = await runs.startupRun();
      expect(run).toMatchObject({ trigger: 'startup', scope: 'all' });
      await runs.idle();
      const list = (await fresh.h.inject('GET', '/api/v1/ai/risk/runs?status=completed', fresh.admin)).json().data;
      expect(list[0].counts.assessed).toBe(1);
    } finally {
      await fresh.h.close();
    }
  });
});

