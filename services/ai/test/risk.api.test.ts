/** Runs, assessments, the ficha report and settings through HTTP (US-AI-11, 12, 15, 16; §2 risk rows). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRiskWorld, CRITICAL, FEW, HIGH, LOW, type RiskWorld } from './risk.fixtures.ts';

let w: RiskWorld;
let high: string;
let critical: string;
let low: string;
let few: string;

beforeAll(async () => {
  w = await createRiskWorld();
  high = w.apprentice(w.fichaA, 'Ana Rojas', HIGH.w, HIGH.wr).id;
  critical = w.apprentice(w.fichaA, 'Beto Cano', CRITICAL.w, CRITICAL.wr).id;
  low = w.apprentice(w.fichaA, 'Carla Díaz', LOW.w, LOW.wr).id;
  few = w.apprentice(w.fichaA, 'Dario Peña', FEW.w, FEW.wr).id;
  for (let i = 0; i < 3; i++) w.apprentice(w.fichaB, `Otro Aprendiz${i}`, LOW.w, LOW.wr);
});
afterAll(async () => w.h.close());

describe('US-AI-11 nightly risk with reasons', () => {
  it('when an all-fichas run finishes, then the documented apprentice scores 60 high with three applied factors; 4 sessions is insufficient_data without alert; attendance was read in batches', async () => {
    w.broken.projecteval = true;
    const res = await w.h.inject('POST', '/api/v1/ai/risk/runs', w.admin);
    expect(res.statusCode).toBe(202);
    expect(res.json().data).toMatchObject({ scope: 'all', status: 'queued', window_start: '2026-02-09', window_end: '2026-03-08' });
    await w.runs().idle();
    w.broken.projecteval = false;
    const run = (await w.h.inject('GET', `/api/v1/ai/risk/runs/${res.json().data.id}`, w.coordinador)).json().data;
    expect(run.status).toBe('completed');
    expect(run.counts).toMatchObject({ groups: 2, apprentices: 7, assessed: 6, insufficient_data: 1, alerts_created: 2, errors: 0 });
    // Batches: two RP2 reads per ficha (W and Wr), never one call per apprentice.
    expect(w.calls.groupCounts).toBe(4);
    expect(w.calls.summary).toBe(0);

    const a = (await w.h.inject('GET', `/api/v1/ai/risk/apprentices/${high}`, w.x)).json().data;
    expect(a.latest).toMatchObject({ status: 'assessed', score: 60, level: 'high', confidence: 'high', settings_version: 1 });
    expect(a.latest.factors.filter((f: { status: string }) => f.status === 'applied').map((f: { code: string; value: number; points: number }) => [f.code, f.value, f.points])).toEqual([
      ['LOW_ATTENDANCE', 65, 35],
      ['CONSECUTIVE_ABSENCES', 3, 15],
      ['UNJUSTIFIED_ABSENCES', 7, 10],
    ]);
    expect(a.latest.factors.find((f: { code: string }) => f.code === 'LOW_PROJECT_GRADE')).toMatchObject({ status: 'unavailable', points: 0 });
    expect(a.latest.sources).toEqual({ attendance: 'ok', projecteval: 'unavailable', evalin: 'no_data' });
    expect(a.open_alert).toMatchObject({ level: 'high', status: 'active' });

    const f = (await w.h.inject('GET', `/api/v1/ai/risk/apprentices/${few}`, w.coordinador)).json().data;
    expect(f.latest).toMatchObject({ status: 'insufficient_data', score: null, level: null });
    expect(f.open_alert).toBeNull();
  });
});

describe('US-AI-12 ficha report for the instructor', () => {
  it('when the assigned instructor GETs the report, then every active apprentice ordered by score desc with counts per level', async () => {
    const res = await w.h.inject('GET', `/api/v1/ai/risk/groups/${w.fichaA.id}/report`, w.x);
    expect(res.statusCode).toBe(200);
    const d = res.json().data;
    expect(d.group).toEqual({ id: w.fichaA.id, number: '2826503' });
    expect(d.apprentices.map((r: { apprentice_id: string }) => r.apprentice_id)).toEqual([critical, high, low, few]);
    expect(d.apprentices.map((r: { assessment: { score: number | null } }) => r.assessment.score)).toEqual([70, 60, 18, null]);
    expect(d.counts).toEqual({ low: 1, medium: 0, high: 1, critical: 1, insufficient_data: 1 });
    expect(d.apprentices[0].recommended_actions[0]).toBe('Contactar de inmediato al aprendiz (y a su acudiente si es menor de edad)');
    expect(d.apprentices[0].open_alert).toMatchObject({ status: 'active', level: 'critical' });
    expect(d.latest_run).not.toBeNull();
    const filtered = (await w.h.inject('GET', `/api/v1/ai/risk/groups/${w.fichaA.id}/report?level=high,critical`, w.x)).json().data;
    expect(filtered.apprentices).toHaveLength(2);
  });

  it('when they GET a ficha not assigned to them, then 403 GROUP_NOT_ASSIGNED; an unknown ficha is 404; an aprendiz or administrativo is 403', async () => {
    const res = await w.h.inject('GET', `/api/v1/ai/risk/groups/${w.fichaB.id}/report`, w.x);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('GROUP_NOT_ASSIGNED');
    const unknown = await w.h.inject('GET', '/api/v1/ai/risk/groups/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d/report', w.coordinador);
    expect(unknown.json().error.code).toBe('GROUP_NOT_FOUND');
    for (const role of ['aprendiz', 'administrativo', 'service']) {
      const r = await w.h.inject('GET', `/api/v1/ai/risk/groups/${w.fichaA.id}/report`, role);
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('INSUFFICIENT_PERMISSIONS');
    }
    expect((await w.h.inject('GET', `/api/v1/ai/risk/apprentices/${high}`, w.y)).json().error.code).toBe('GROUP_NOT_ASSIGNED');
    expect((await w.h.inject('GET', `/api/v1/ai/risk/apprentices/${high}`, 'aprendiz')).statusCode).toBe(403);
  });

  it('when the report is asked as CSV, then a BOM-prefixed file with the §6 header and one row per apprentice', async () => {
    const res = await w.h.inject('GET', `/api/v1/ai/risk/groups/${w.fichaA.id}/report?format=csv`, w.coordinador);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/riesgo-ficha-2826503-\d{8}\.csv/);
    expect(res.body.charCodeAt(0)).toBe(0xfeff);
    const lines = res.body.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('ficha,documento,aprendiz,nivel,puntaje,confianza,asistencia_pct,inasistencias_seguidas,inasistencias_sin_justificar,tendencia_pp,factores,alerta,calculado_el');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain(',crítico,70,high,55,5,9,');
    expect(lines[1]).toContain(',activa,2026-03-09 10:00');
    expect(lines[4]).toContain(',sin datos,');
  });

  it('when users cannot answer, then rows come from the snapshots with USERS_UNAVAILABLE', async () => {
    w.broken.users = true;
    try {
      const res = await w.h.inject('GET', `/api/v1/ai/risk/groups/${w.fichaA.id}/report`, w.coordinador);
      expect(res.statusCode).toBe(200);
      expect(res.json().meta.warnings).toEqual(['USERS_UNAVAILABLE']);
      expect(res.json().data.apprentices[0]).toMatchObject({ full_name: 'Beto Cano', document_number: null });
    } finally {
      w.broken.users = false;
    }
  });
});

describe('US-AI-16 on-demand assessment', () => {
  it('when a coordinador assesses a ficha, then 202 queued that completes with counts; again within 10 minutes 409 RISK_RUN_TOO_SOON', async () => {
    const res = await w.h.inject('POST', `/api/v1/ai/risk/groups/${w.fichaB.id}/assess`, w.coordinador);
    expect(res.statusCode).toBe(202);
    expect(res.json().data).toMatchObject({ scope: 'group', group_id: w.fichaB.id, status: 'queued' });
    await w.runs().idle();
    const run = (await w.h.inject('GET', `/api/v1/ai/risk/runs/${res.json().data.id}`, w.y)).json().data;
    expect(run).toMatchObject({ status: 'completed', counts: { groups: 1, apprentices: 3, assessed: 3 } });
    const again = await w.h.inject('POST', `/api/v1/ai/risk/groups/${w.fichaB.id}/assess`, w.coordinador);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('RISK_RUN_TOO_SOON');
    expect(again.json().error.details.retry_after_s).toBeGreaterThan(0);
    const list = (await w.h.inject('GET', '/api/v1/ai/risk/runs', w.y)).json();
    expect(list.data.map((r: { id: string }) => r.id)).toEqual([run.id]);
    expect((await w.h.inject('GET', '/api/v1/ai/risk/runs', w.coordinador)).json().meta.pagination.total).toBe(2);
    expect((await w.h.inject('GET', `/api/v1/ai/risk/runs/${run.id}`, w.x)).json().error.code).toBe('GROUP_NOT_ASSIGNED');
    expect((await w.h.inject('POST', `/api/v1/ai/risk/groups/${w.fichaB.id}/assess`, w.x)).json().error.code).toBe('GROUP_NOT_ASSIGNED');
    expect((await w.h.inject('POST', '/api/v1/ai/risk/runs', w.coordinador)).statusCode).toBe(403);
    expect((await w.h.inject('GET', '/api/v1/ai/risk/runs/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d', w.admin)).json().error.code).toBe('RISK_RUN_NOT_FOUND');
  });

  it('when an instructor assesses one apprentice with 3 sessions, then 422 INSUFFICIENT_DATA and nothing stored; with enough sessions 201 synchronously', async () => {
    w.setCounts(few, { scheduled: 3, present: 1, absent: 2 });
    const before = await w.h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ai.risk_assessments WHERE apprentice_id = '${few}'`);
    const res = await w.h.inject('POST', `/api/v1/ai/risk/apprentices/${few}/assess`, w.x);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'INSUFFICIENT_DATA', details: { scheduled: 3, minimum: 5 } });
    const after = await w.h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ai.risk_assessments WHERE apprentice_id = '${few}'`);
    expect(after[0].n).toBe(before[0].n);
    w.setCounts(few, LOW.w, LOW.wr);
    const ok = await w.h.inject('POST', `/api/v1/ai/risk/apprentices/${few}/assess`, w.x);
    expect(ok.statusCode).toBe(201);
    expect(ok.json().data).toMatchObject({ status: 'assessed', score: 18, level: 'low', run_id: null });
    expect(w.calls.summary).toBe(4);
    expect((await w.h.inject('POST', '/api/v1/ai/risk/apprentices/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d/assess', w.admin)).json().error.code).toBe('APPRENTICE_NOT_FOUND');
  });

  it('when attendance cannot answer the single route, then 503; in a run every attendance failure fails the run and notifies admins', async () => {
    w.broken.attendance = true;
    try {
      const res = await w.h.inject('POST', `/api/v1/ai/risk/apprentices/${low}/assess`, w.coordinador);
      expect(res.statusCode).toBe(503);
      const run = await w.h.inject('POST', '/api/v1/ai/risk/runs', w.admin);
      await w.runs().idle();
      const done = (await w.h.inject('GET', `/api/v1/ai/risk/runs/${run.json().data.id}`, w.admin)).json().data;
      expect(done.status).toBe('failed');
      expect(done.errors[0].code).toBe('ATTENDANCE_UNAVAILABLE');
      const out = await w.h.outbox('ai.risk_run.failed');
      expect(out).toHaveLength(1);
      expect(out[0].body).toMatchObject({ target_roles: ['admin'], data: { run_id: done.id, scope: 'all', error_count: 7 } });
    } finally {
      w.broken.attendance = false;
    }
  });
});

describe('US-AI-15 tune the formula', () => {
  const doc = {
    values: {
      low_attendance: { bands: [70, 80, 90], points: [35, 20, 8] },
      consecutive_absences: { bands: [5, 3, 2], points: [25, 15, 5] },
      unjustified_absences: { bands: [6, 3], points: [10, 5] },
      declining_trend: { bands: [20, 10], points: [10, 5], min_sessions_per_half: 3 },
      frequent_lateness: { bands: [30], points: [5], min_attended: 5 },
      low_project_grade: { bands: [60, 70], points: [15, 5], max_age_days: 180 },
      evalin_not_submitted: { points: [5] },
    },
    level_cutoffs: { medium: 30, high: 50, critical: 70 },
    alert_min_level: 'high',
  };

  it('when cut-offs are medium 40, high 30, then 422; a coordinador PUT is 403 but reads; a valid PUT makes version 2 and new assessments carry it', async () => {
    const bad = await w.h.inject('PUT', '/api/v1/ai/risk/settings', w.admin, { ...doc, level_cutoffs: { medium: 40, high: 30, critical: 70 } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('VALIDATION_ERROR');
    expect((await w.h.inject('PUT', '/api/v1/ai/risk/settings', w.admin, { ...doc, values: { ...doc.values, low_attendance: { bands: [70, 80, 90], points: [60, 20, 8] } } })).statusCode).toBe(422);
    expect((await w.h.inject('PUT', '/api/v1/ai/risk/settings', w.coordinador, doc)).statusCode).toBe(403);
    expect((await w.h.inject('GET', '/api/v1/ai/risk/settings', w.coordinador)).json().data).toMatchObject({ version: 1, created_by: null, alert_min_level: 'high' });
    expect((await w.h.inject('GET', '/api/v1/ai/risk/settings', w.x)).statusCode).toBe(403);
    const put = await w.h.inject('PUT', '/api/v1/ai/risk/settings', w.admin, { ...doc, level_cutoffs: { medium: 20, high: 40, critical: 80 } });
    expect(put.statusCode).toBe(200);
    expect(put.json().data).toMatchObject({ version: 2, created_by: w.admin.id });
    const a = (await w.h.inject('POST', `/api/v1/ai/risk/apprentices/${low}/assess`, w.coordinador)).json().data;
    expect(a).toMatchObject({ settings_version: 2, score: 18, level: 'low' });
    const old = await w.h.db.query<{ v: number }>(`SELECT min(settings_version) AS v FROM ai.risk_assessments`);
    expect(old[0].v).toBe(1);
    await w.h.inject('PUT', '/api/v1/ai/risk/settings', w.admin, doc);
  });
});
