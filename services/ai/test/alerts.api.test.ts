/** Risk alerts through HTTP: raised once, escalated, auto-resolved, the lifecycle, snooze and overdue (US-AI-13, 14). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRiskWorld, CRITICAL, HIGH, LOW, type RiskWorld } from './risk.fixtures.ts';

let w: RiskWorld;
const DAY = 86_400_000;

beforeAll(async () => {
  w = await createRiskWorld();
});
afterAll(async () => w.h.close());

const later = (days: number) => (w.h.clock.now = new Date(w.h.clock.now.getTime() + days * DAY));
const assess = async (id: string) => {
  const res = await w.h.inject('POST', `/api/v1/ai/risk/apprentices/${id}/assess`, w.coordinador);
  expect(res.statusCode).toBe(201);
  return res.json().data;
};
const alertsOf = async (id: string, status = 'active,acknowledged,resolved,dismissed') => (await w.h.inject('GET', `/api/v1/ai/risk/alerts?apprentice_id=${id}&status=${status}`, w.coordinador)).json().data;

describe('US-AI-13 alerts are raised once and escalate', () => {
  it('given high, high again, critical, then low: one alert created, escalated, and auto-resolved, with the notifications of R32', async () => {
    const p = w.apprentice(w.fichaA, 'Ana Rojas', HIGH.w, HIGH.wr);
    await assess(p.id);
    let list = await alertsOf(p.id);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ level: 'high', score: 60, status: 'active', group_number: '2826503', apprentice_name: 'Ana Rojas' });
    expect(list[0].top_factors[0]).toBe('Asistencia de 65 % en las últimas 4 semanas');
    let created = await w.h.outbox('ai.risk_alert.created');
    expect(created).toHaveLength(1);
    expect(created[0].body).toMatchObject({ target_users: [w.x.id], priority: 'high', entity_type: 'risk_alert', entity_id: list[0].id });
    expect(created[0].body.target_roles).toBeUndefined();
    expect(created[0].body.data).toMatchObject({ alert_id: list[0].id, apprentice_name: 'Ana Rojas', group_number: '2826503', level: 'alto', score: 60, report_path: `/api/v1/ai/risk/groups/${w.fichaA.id}/report` });
    expect(created[0].idempotency_key).toMatch(new RegExp(`^ai:ai.risk_alert.created:${list[0].id}:`));

    later(1);
    await assess(p.id);
    expect(await alertsOf(p.id)).toHaveLength(1);
    expect(await w.h.outbox('ai.risk_alert.created')).toHaveLength(1);

    later(1);
    w.setCounts(p.id, CRITICAL.w, CRITICAL.wr);
    await assess(p.id);
    list = await alertsOf(p.id);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ level: 'critical', score: 70, status: 'active' });
    const esc = await w.h.outbox('ai.risk_alert.escalated');
    expect(esc).toHaveLength(1);
    expect(esc[0].body).toMatchObject({ target_users: [w.x.id], target_roles: ['coordinador'], data: { level: 'crítico', previous_level: 'alto' } });

    later(1);
    w.setCounts(p.id, LOW.w, LOW.wr);
    await assess(p.id);
    list = await alertsOf(p.id);
    expect(list[0]).toMatchObject({ status: 'resolved', resolution_note: 'Riesgo normalizado (puntaje 18)', resolved_by: null });
    const detail = (await w.h.inject('GET', `/api/v1/ai/risk/alerts/${list[0].id}`, w.x)).json().data;
    expect(detail.events.map((e: { type: string }) => e.type)).toEqual(['created', 'level_changed', 'escalated', 'auto_resolved']);
    created = await w.h.outbox('ai.risk_alert.created');
    expect(created).toHaveLength(1);
  });

  it('when a new critical alert opens, then coordinación is addressed too', async () => {
    const p = w.apprentice(w.fichaA, 'Beto Cano', CRITICAL.w, CRITICAL.wr);
    await assess(p.id);
    const out = (await w.h.outbox('ai.risk_alert.created')).find((r) => (r.body.data as { apprentice_name: string }).apprentice_name === 'Beto Cano');
    expect(out?.body).toMatchObject({ target_users: [w.x.id], target_roles: ['coordinador'] });
  });
});

describe('US-AI-14 alert lifecycle', () => {
  it('when the assigned instructor acknowledges, resolves without and with a note, and resolves again, then acknowledged, 422, resolved, 409', async () => {
    const p = w.apprentice(w.fichaA, 'Carla Díaz', HIGH.w, HIGH.wr);
    await assess(p.id);
    const [a] = await alertsOf(p.id);
    const ack = await w.h.inject('POST', `/api/v1/ai/risk/alerts/${a.id}/acknowledge`, w.x, {});
    expect(ack.statusCode).toBe(200);
    expect(ack.json().data).toMatchObject({ status: 'acknowledged', acknowledged_by: w.x.id });
    expect((await w.h.inject('POST', `/api/v1/ai/risk/alerts/${a.id}/acknowledge`, w.x, {})).json().error.code).toBe('INVALID_ALERT_TRANSITION');
    expect((await w.h.inject('POST', `/api/v1/ai/risk/alerts/${a.id}/resolve`, w.x, {})).statusCode).toBe(422);
    expect((await w.h.inject('POST', `/api/v1/ai/risk/alerts/${a.id}/resolve`, w.x, { note: 'ok' })).statusCode).toBe(422);
    const note = await w.h.inject('POST', `/api/v1/ai/risk/alerts/${a.id}/notes`, w.x, { note: 'Llamé al aprendiz' });
    expect(note.statusCode).toBe(201);
    expect(note.json().data).toMatchObject({ type: 'note', actor_id: w.x.id });
    const res = await w.h.inject('POST', `/api/v1/ai/risk/alerts/${a.id}/resolve`, w.x, { note: 'Se comprometió a asistir' });
    expect(res.json().data).toMatchObject({ status: 'resolved', resolved_by: w.x.id, resolution_note: 'Se comprometió a asistir' });
    const again = await w.h.inject('POST', `/api/v1/ai/risk/alerts/${a.id}/resolve`, w.x, { note: 'Otra vez resuelta' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('INVALID_ALERT_TRANSITION');
    // R32f: after a manual resolution, a high within 7 days opens nothing; a critical does.
    later(2);
    await assess(p.id);
    expect(await alertsOf(p.id, 'active')).toHaveLength(0);
    w.setCounts(p.id, CRITICAL.w, CRITICAL.wr);
    await assess(p.id);
    expect(await alertsOf(p.id, 'active')).toHaveLength(1);
  });

  it('when another instructor or an aprendiz touches the alert, then 403; an unknown alert is 404', async () => {
    const [a] = await alertsOf([...w.people.values()].find((p) => p.first_name === 'Beto')!.id);
    for (const path of ['', '/acknowledge']) {
      const res = path ? await w.h.inject('POST', `/api/v1/ai/risk/alerts/${a.id}${path}`, w.y, {}) : await w.h.inject('GET', `/api/v1/ai/risk/alerts/${a.id}`, w.y);
      expect(res.json().error.code).toBe('GROUP_NOT_ASSIGNED');
    }
    expect((await w.h.inject('GET', '/api/v1/ai/risk/alerts', w.y)).json().data).toEqual([]);
    expect((await w.h.inject('GET', '/api/v1/ai/risk/alerts', 'aprendiz')).statusCode).toBe(403);
    expect((await w.h.inject('GET', '/api/v1/ai/risk/alerts/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d', w.admin)).json().error.code).toBe('ALERT_NOT_FOUND');
    expect((await w.h.inject('GET', '/api/v1/ai/risk/alerts?level=extreme', w.admin)).statusCode).toBe(422);
  });

  it('given a dismissed high alert, when a run within 14 days scores high, then no new alert; when it scores critical, then a new one', async () => {
    const p = w.apprentice(w.fichaA, 'Dario Peña', HIGH.w, HIGH.wr);
    await assess(p.id);
    const [a] = await alertsOf(p.id);
    expect((await w.h.inject('POST', `/api/v1/ai/risk/alerts/${a.id}/dismiss`, w.x, { reason: 'no' })).statusCode).toBe(422);
    const d = await w.h.inject('POST', `/api/v1/ai/risk/alerts/${a.id}/dismiss`, w.x, { reason: 'Situación conocida y atendida' });
    expect(d.json().data).toMatchObject({ status: 'dismissed', dismissed_by: w.x.id });
    later(3);
    await assess(p.id);
    expect(await alertsOf(p.id, 'active')).toHaveLength(0);
    w.setCounts(p.id, CRITICAL.w, CRITICAL.wr);
    await assess(p.id);
    expect((await alertsOf(p.id, 'active'))[0]).toMatchObject({ level: 'critical' });
  });

  it('given an active alert unacknowledged for 8 days, when the overdue job runs twice, then ai.risk_alert.overdue is queued once', async () => {
    const p = w.apprentice(w.fichaA, 'Elena Mora', HIGH.w, HIGH.wr);
    await assess(p.id);
    const [a] = await alertsOf(p.id);
    later(8);
    expect((await w.h.inject('GET', `/api/v1/ai/risk/alerts?overdue=true&apprentice_id=${p.id}`, w.coordinador)).json().data[0]).toMatchObject({ id: a.id, overdue: true });
    await w.alertsJob().notifyOverdue();
    await w.alertsJob().notifyOverdue();
    const out = (await w.h.outbox('ai.risk_alert.overdue')).filter((r) => r.body.entity_id === a.id);
    expect(out).toHaveLength(1);
    expect(out[0].body).toMatchObject({ target_roles: ['coordinador'], priority: 'normal', data: { alert_id: a.id, apprentice_name: 'Elena Mora', level: 'alto', days_open: 8 } });
  });

  it('when alerts are listed by default, then critical first and only open ones', async () => {
    const list = (await w.h.inject('GET', '/api/v1/ai/risk/alerts', w.x)).json().data;
    const rank = { critical: 4, high: 3, medium: 2, low: 1 } as Record<string, number>;
    expect(list.length).toBeGreaterThan(1);
    for (let i = 1; i < list.length; i++) expect(rank[list[i - 1].level]).toBeGreaterThanOrEqual(rank[list[i].level]);
    expect(list.every((a: { status: string }) => ['active', 'acknowledged'].includes(a.status))).toBe(true);
  });
});
