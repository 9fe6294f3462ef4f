/** Usage analytics (US-AI-17, R35): aggregates and excerpts only, coordination only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, seedKb, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness({ env: { AI_RATE_PER_MINUTE: '1000' } });
  seedKb(h.kb);
});
afterAll(async () => h.close());

describe('US-AI-17 usage analytics', () => {
  it('given 5 extractive answers, 2 no-answers and 1 negative feedback, then questions 7, no_answer_rate ≈ 0.286, feedback 1, and no user or conversation id anywhere', async () => {
    const a = h.person('aprendiz');
    const c = (await h.inject('POST', '/api/v1/ai/conversations', a, {})).json().data;
    let answerId = '';
    for (let i = 0; i < 5; i++) {
      const r = await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, { content: `¿Cómo justifico una inasistencia? (${i})` });
      answerId = r.json().data.assistant_message.id;
    }
    await h.inject('POST', '/api/v1/ai/ask', a, { question: '¿Dónde queda la cafetería?' });
    await h.inject('POST', '/api/v1/ai/ask', 'instructor', { question: '¿DÓNDE queda la cafeteria?' });
    await h.inject('PUT', `/api/v1/ai/messages/${answerId}/feedback`, a, { helpful: false, reason: 'incomplete', comment: 'Falta el plazo' });
    const coord = h.person('coordinador');
    const res = await h.inject('GET', '/api/v1/ai/analytics/usage?from=2026-03-01&to=2026-03-09', coord);
    expect(res.statusCode).toBe(200);
    const t = res.json().data.totals;
    expect(t.questions).toBe(7);
    expect(t.no_answer_rate).toBeCloseTo(0.286, 3);
    expect(t.feedback).toMatchObject({ count: 1, helpful_ratio: 0, by_reason: { incomplete: 1 } });
    expect(t.by_answer_mode).toEqual({ extractive: 5, no_answer: 2 });
    expect(t.conversations_started).toBe(1);
    expect(t.active_users).toBe(2);
    expect(t.top_cited_items[0].item_title).toBe('Cómo justificar una inasistencia');
    expect(res.json().data.series).toHaveLength(9);
    const body = res.body;
    expect(body).not.toContain(a.id);
    expect(body).not.toContain(c.id);

    const un = (await h.inject('GET', '/api/v1/ai/analytics/unanswered', coord)).json();
    expect(un.data).toHaveLength(1);
    expect(un.data[0]).toMatchObject({ count: 2, roles: ['aprendiz', 'instructor'] });
    const fb = await h.inject('GET', '/api/v1/ai/analytics/feedback?helpful=false', coord);
    expect(fb.json().data[0]).toMatchObject({ helpful: false, reason: 'incomplete', comment: 'Falta el plazo', answer_mode: 'extractive' });
    expect(fb.json().data[0].question_excerpt).toBe('¿Cómo justifico una inasistencia? (4)');
    expect(fb.body).not.toContain(a.id);
    expect(fb.body).not.toContain(c.id);
    const week = (await h.inject('GET', '/api/v1/ai/analytics/usage?granularity=week', coord)).json().data;
    expect(week.series.reduce((n: number, s: { questions: number }) => n + s.questions, 0)).toBe(7);
    const risk = await h.inject('GET', '/api/v1/ai/analytics/risk', coord);
    expect(risk.statusCode).toBe(200);
    expect(risk.json().data).toMatchObject({ assessed_apprentices: 0, alerts: { open_now: 0 } });
  });

  it('when an instructor GETs it, then 403; a span over 366 days or from after to is 422', async () => {
    expect((await h.inject('GET', '/api/v1/ai/analytics/usage', 'instructor')).statusCode).toBe(403);
    expect((await h.inject('GET', '/api/v1/ai/analytics/unanswered', 'aprendiz')).statusCode).toBe(403);
    expect((await h.inject('GET', '/api/v1/ai/analytics/usage?from=2025-01-01&to=2026-03-09', 'admin')).statusCode).toBe(422);
    expect((await h.inject('GET', '/api/v1/ai/analytics/risk?from=2026-03-09&to=2026-03-01', 'admin')).statusCode).toBe(422);
  });
});
