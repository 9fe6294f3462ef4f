/** Conversations, extractive answers, privacy, limits and feedback through HTTP (US-AI-01–03, 07–10, 18). */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, HUMAN_ROLES, seedKb, type Harness } from './harness.ts';

let h: Harness;
let items: ReturnType<typeof seedKb>;

beforeAll(async () => {
  h = await createHarness({ env: { AI_RATE_PER_MINUTE: '10' } });
  items = seedKb(h.kb);
});
afterAll(async () => h.close());

const tick = (ms = 61_000) => (h.clock.now = new Date(h.clock.now.getTime() + ms));

async function conversation(who: { id: string; role: string }, title?: string) {
  const res = await h.inject('POST', '/api/v1/ai/conversations', who, title ? { title } : {});
  expect(res.statusCode).toBe(201);
  return res.json().data as { id: string; title: string };
}

describe('US-AI-01 ask without any model installed', () => {
  it('when an aprendiz asks how many days to justify, then 201 extractive citing the procedure, both messages stored and the title set', async () => {
    tick();
    const a = h.person('aprendiz');
    const c = await conversation(a);
    const q = '¿Cuántos días tengo para justificar una falta?';
    const res = await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, { content: q });
    expect(res.statusCode).toBe(201);
    const data = res.json().data;
    expect(data.assistant_message.answer_mode).toBe('extractive');
    expect(data.assistant_message.fallback_reason).toBeNull();
    expect(data.assistant_message.content.startsWith('**Respuesta extractiva** — no hay un modelo de lenguaje configurado')).toBe(true);
    expect(data.assistant_message.content).toContain('Fuentes:');
    expect(data.assistant_message.model).toBeNull();
    expect(data.assistant_message.citations[0].item_title).toBe('Cómo justificar una inasistencia');
    expect(data.assistant_message.citations.every((x: { cited: boolean }) => x.cited)).toBe(true);
    expect(res.headers['ratelimit-remaining']).toBeDefined();
    const conv = (await h.inject('GET', `/api/v1/ai/conversations/${c.id}`, a)).json().data;
    expect(conv.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
    expect(conv.message_count).toBe(2);
    expect(conv.title).toBe('¿Cuántos días tengo para justificar una falta?');
    // O3: the kb was called with the caller's own token.
    expect(decodeJwt(h.kb.calls.at(-1)!.token).sub).toBe(a.id);
  });

  it('when the title would pass 60 chars, then it is cut at the last space with …', async () => {
    tick();
    const a = h.person('aprendiz');
    const c = await conversation(a);
    await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, { content: 'Quisiera saber cuántos días hábiles tengo para justificar una inasistencia médica' });
    const conv = (await h.inject('GET', `/api/v1/ai/conversations/${c.id}`, a)).json().data;
    expect(conv.title).toBe('Quisiera saber cuántos días hábiles tengo para justificar…');
  });

  it('when a FAQ leads, then its summary opens the extractive answer with [1]', async () => {
    tick();
    const res = await h.inject('POST', '/api/v1/ai/ask', 'aprendiz', { question: '¿Cómo uso el código QR?' });
    expect(res.statusCode).toBe(200);
    const d = res.json().data;
    expect(d.answer.split('\n')[1]).toBe(`${items.qr.summary} [1]`);
    expect(d.citations[0].item_id).toBe(items.qr.id);
  });

  it('then GET /status says extractive and llm not configured', async () => {
    const res = await h.inject('GET', '/api/v1/ai/status', 'aprendiz');
    expect(res.statusCode).toBe(200);
    const d = res.json().data;
    expect(d.answer_mode).toBe('extractive');
    expect(d.llm).toEqual({ configured: false, model: null, available: false });
    expect(d.limits.per_minute).toBe(10);
    expect(d.max_message_chars).toBe(2000);
  });
});

describe('US-AI-02 my conversations are mine', () => {
  it('when B or an admin reads A’s conversation, lists, or rates A’s answer, then 404 and totals only count their own', async () => {
    tick();
    const a = h.person('aprendiz');
    const b = h.person('aprendiz');
    const admin = h.person('admin');
    const c = await conversation(a, 'Privada');
    const ans = (await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, { content: 'derechos del aprendiz' })).json().data.assistant_message;
    for (const who of [b, admin]) {
      const res = await h.inject('GET', `/api/v1/ai/conversations/${c.id}`, who);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('CONVERSATION_NOT_FOUND');
      expect((await h.inject('GET', `/api/v1/ai/conversations/${c.id}/messages`, who)).statusCode).toBe(404);
      expect((await h.inject('PATCH', `/api/v1/ai/conversations/${c.id}`, who, { title: 'x' })).statusCode).toBe(404);
      expect((await h.inject('DELETE', `/api/v1/ai/conversations/${c.id}`, who)).statusCode).toBe(404);
      expect((await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, who, { content: 'hola' })).statusCode).toBe(404);
    }
    await conversation(b, 'De B');
    const list = (await h.inject('GET', '/api/v1/ai/conversations', b)).json();
    expect(list.data.map((x: { title: string }) => x.title)).toEqual(['De B']);
    expect(list.meta.pagination.total).toBe(1);
    const fb = await h.inject('PUT', `/api/v1/ai/messages/${ans.id}/feedback`, b, { helpful: true });
    expect(fb.statusCode).toBe(404);
    expect(fb.json().error.code).toBe('MESSAGE_NOT_FOUND');
  });
});

describe('US-AI-03 manage conversation history', () => {
  it('when renamed and searched by a word of a message, archived, and deleted, then each step holds', async () => {
    tick();
    const a = h.person('instructor');
    const c = await conversation(a);
    await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, { content: '¿Cómo reviso las justificaciones pendientes?' });
    const ren = await h.inject('PATCH', `/api/v1/ai/conversations/${c.id}`, a, { title: 'Revisión' });
    expect(ren.json().data.title).toBe('Revisión');
    const found = (await h.inject('GET', '/api/v1/ai/conversations?q=PENDIENTES', a)).json().data;
    expect(found.map((x: { id: string; title: string }) => [x.id, x.title])).toEqual([[c.id, 'Revisión']]);
    expect(found[0].last_message_excerpt.length).toBeLessThanOrEqual(100);
    expect((await h.inject('GET', '/api/v1/ai/conversations?q=zzzz', a)).json().data).toEqual([]);

    // A custom title is never replaced by R1.
    await h.inject('PATCH', `/api/v1/ai/conversations/${c.id}`, a, { status: 'archived' });
    expect((await h.inject('GET', '/api/v1/ai/conversations', a)).json().data).toEqual([]);
    expect((await h.inject('GET', '/api/v1/ai/conversations?status=archived', a)).json().data).toHaveLength(1);
    const blocked = await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, { content: 'otra pregunta' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.code).toBe('CONVERSATION_ARCHIVED');

    const msgs = (await h.inject('GET', `/api/v1/ai/conversations/${c.id}/messages?page_size=1&page=2`, a)).json();
    expect(msgs.meta.pagination.total).toBe(2);
    expect(msgs.data[0].role).toBe('assistant');
    await h.inject('PUT', `/api/v1/ai/messages/${msgs.data[0].id}/feedback`, a, { helpful: true });

    const del = await h.inject('DELETE', `/api/v1/ai/conversations/${c.id}`, a);
    expect(del.statusCode).toBe(204);
    const left = await h.db.query<{ n: number }>(`SELECT (SELECT count(*) FROM ai.messages WHERE conversation_id = '${c.id}')::int + (SELECT count(*) FROM ai.answer_feedback WHERE message_id = '${msgs.data[0].id}')::int AS n`);
    expect(left[0].n).toBe(0);
  });

  it('when a list query breaks its rules, then 422', async () => {
    for (const q of ['status=deleted', 'q=a', 'sort=owner', 'page=0']) {
      expect((await h.inject('GET', `/api/v1/ai/conversations?${q}`, 'aprendiz')).statusCode).toBe(422);
    }
    expect((await h.inject('POST', '/api/v1/ai/conversations', 'aprendiz', { title: 'x'.repeat(121) })).statusCode).toBe(422);
    expect((await h.inject('POST', '/api/v1/ai/conversations', 'aprendiz', { title: '   ' })).statusCode).toBe(422);
  });

  it('when the conversation already holds 200 messages, then 409 CONVERSATION_FULL', async () => {
    const a = h.person('aprendiz');
    const c = await conversation(a);
    await h.db.query(`UPDATE ai.conversations SET message_count = 199 WHERE id = '${c.id}'`);
    const res = await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, { content: 'hola' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CONVERSATION_FULL');
  });

  it('when a message is blank or too long, then 422', async () => {
    tick();
    const a = h.person('aprendiz');
    const c = await conversation(a);
    expect((await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, { content: '   ' })).statusCode).toBe(422);
    expect((await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, { content: 'x'.repeat(2001) })).statusCode).toBe(422);
    expect((await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, { content: 'hola', stream: 'yes' })).statusCode).toBe(422);
  });
});

describe('US-AI-07 honest I don’t know', () => {
  it('when the topic is absent, then no_answer with the coordinación hint, no citations, and it is listed as unanswered in usage', async () => {
    tick();
    const a = h.person('aprendiz');
    const c = await conversation(a);
    const res = await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, { content: '¿Dónde queda la cafetería de la sede?' });
    const m = res.json().data.assistant_message;
    expect(res.statusCode).toBe(201);
    expect(m.answer_mode).toBe('no_answer');
    expect(m.fallback_reason).toBeNull();
    expect(m.citations).toEqual([]);
    expect(m.content).toContain('consulta con la coordinación académica');
    const ev = await h.db.query<{ question_excerpt: string }>(`SELECT question_excerpt FROM ai.usage_events WHERE answer_mode = 'no_answer' AND question_excerpt IS NOT NULL`);
    expect(ev.map((e) => e.question_excerpt)).toContain('¿Dónde queda la cafetería de la sede?');
  });

  it('when the kb is down, then 201 no_answer with kb_unavailable', async () => {
    tick();
    h.kb.down = true;
    try {
      const a = h.person('aprendiz');
      const c = await conversation(a);
      const res = await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, { content: '¿Cómo justifico una falta?' });
      expect(res.statusCode).toBe(201);
      const m = res.json().data.assistant_message;
      expect(m.answer_mode).toBe('no_answer');
      expect(m.fallback_reason).toBe('kb_unavailable');
      expect(m.content).toBe('La base de conocimiento no está disponible en este momento. Intenta de nuevo en unos minutos.');
    } finally {
      h.kb.down = false;
    }
  });
});

describe('US-AI-08 retrieval respects my audience', () => {
  it('when an aprendiz asks about an instructor-only procedure, then it is not cited; an instructor gets it cited', async () => {
    tick();
    const q = { question: '¿Cómo se revisan las justificaciones?' };
    const ap = (await h.inject('POST', '/api/v1/ai/ask', 'aprendiz', q)).json().data;
    expect(ap.citations.map((c: { item_id: string }) => c.item_id)).not.toContain(items.review.id);
    const ins = (await h.inject('POST', '/api/v1/ai/ask', 'instructor', q)).json().data;
    expect(ins.citations.map((c: { item_id: string }) => c.item_id)).toContain(items.review.id);
  });

  it('when the message is regulatory, then regulation passages are boosted ahead', async () => {
    tick();
    const d = (await h.inject('POST', '/api/v1/ai/ask', 'aprendiz', { question: '¿Qué derechos tengo si debo justificar una falta?' })).json().data;
    expect(d.citations[0].item_id).toBe(items.rights.id);
  });
});

describe('US-AI-09 fair use', () => {
  it('when a user sends 11 questions within one minute, then the 11th is 429 with Retry-After and every 201 carried RateLimit-Remaining', async () => {
    tick();
    const a = h.person('aprendiz');
    const c = await conversation(a);
    const remaining: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, { content: `pregunta ${i} sobre el codigo qr` });
      expect(res.statusCode).toBe(201);
      remaining.push(String(res.headers['ratelimit-remaining']));
    }
    expect(remaining[0]).toBe('9');
    expect(remaining[9]).toBe('0');
    const res = await h.inject('POST', '/api/v1/ai/ask', a, { question: 'una más' });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json().error.details).toEqual({ limit: 10, window: 'minute' });
    tick(120_000);
    expect((await h.inject('POST', '/api/v1/ai/ask', a, { question: 'ya puedo' })).statusCode).toBe(200);
  });

  it('when a request is repeated with the same Idempotency-Key, then the same answer comes back replayed and no extra message exists; another body is 422', async () => {
    tick();
    const a = h.person('aprendiz');
    const c = await conversation(a);
    const body = { content: '¿Cómo justifico una inasistencia?' };
    const first = await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, body, { 'idempotency-key': 'k-1' });
    const again = await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, body, { 'idempotency-key': 'k-1' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().data).toEqual(first.json().data);
    expect((await h.inject('GET', `/api/v1/ai/conversations/${c.id}`, a)).json().data.message_count).toBe(2);
    const other = await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, { content: 'otra' }, { 'idempotency-key': 'k-1' });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_MISMATCH');
    const askBody = { question: '¿Cómo uso el QR?' };
    const ask1 = await h.inject('POST', '/api/v1/ai/ask', a, askBody, { 'idempotency-key': 'ask-1' });
    const ask2 = await h.inject('POST', '/api/v1/ai/ask', a, askBody, { 'idempotency-key': 'ask-1' });
    expect(ask2.headers['idempotent-replayed']).toBe('true');
    expect(ask2.json().data).toEqual(ask1.json().data);
  });

  it('when the key is still in progress, then 409 REQUEST_IN_PROGRESS', async () => {
    const a = h.person('aprendiz');
    await h.db.query(`INSERT INTO ai.idempotency_keys (user_id, key, request_hash, state, expires_at) VALUES ('${a.id}', 'busy', 'x', 'in_progress', now() + interval '1 day')`);
    const res = await h.inject('POST', '/api/v1/ai/ask', a, { question: 'hola' }, { 'idempotency-key': 'busy' });
    // Another body under the same key is a mismatch first; the same hash in progress is 409.
    expect(res.statusCode).toBe(422);
    const { requestHash } = await import('../src/application/questions.service.ts');
    await h.db.query(`UPDATE ai.idempotency_keys SET request_hash = '${requestHash('/api/v1/ai/ask', { question: 'hola' })}' WHERE key = 'busy'`);
    const res2 = await h.inject('POST', '/api/v1/ai/ask', a, { question: 'hola' }, { 'idempotency-key': 'busy' });
    expect(res2.statusCode).toBe(409);
    expect(res2.json().error.code).toBe('REQUEST_IN_PROGRESS');
  });
});

describe('US-AI-10 rate an answer', () => {
  it('when I PUT helpful false without reason, then 422; with a reason 201; again helpful 200; my own question 422 NOT_AN_ANSWER; DELETE twice 204 then 404', async () => {
    tick();
    const a = h.person('coordinador');
    const c = await conversation(a);
    const d = (await h.inject('POST', `/api/v1/ai/conversations/${c.id}/messages`, a, { content: '¿Cuáles son los derechos del aprendiz?' })).json().data;
    const url = `/api/v1/ai/messages/${d.assistant_message.id}/feedback`;
    expect((await h.inject('PUT', url, a, { helpful: false })).statusCode).toBe(422);
    const first = await h.inject('PUT', url, a, { helpful: false, reason: 'outdated', comment: 'Cambió el reglamento' });
    expect(first.statusCode).toBe(201);
    expect(first.json().data).toMatchObject({ helpful: false, reason: 'outdated', comment: 'Cambió el reglamento' });
    const second = await h.inject('PUT', url, a, { helpful: true });
    expect(second.statusCode).toBe(200);
    expect(second.json().data.reason).toBeNull();
    const conv = (await h.inject('GET', `/api/v1/ai/conversations/${c.id}`, a)).json().data;
    expect(conv.messages[1].feedback).toEqual({ helpful: true, reason: null, comment: null });
    const own = await h.inject('PUT', `/api/v1/ai/messages/${d.user_message.id}/feedback`, a, { helpful: true });
    expect(own.statusCode).toBe(422);
    expect(own.json().error.code).toBe('NOT_AN_ANSWER');
    expect((await h.inject('PUT', url, a, { helpful: 'yes' })).statusCode).toBe(422);
    expect((await h.inject('DELETE', url, a)).statusCode).toBe(204);
    const gone = await h.inject('DELETE', url, a);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('FEEDBACK_NOT_FOUND');
  });
});

describe('suggestions (R21)', () => {
  it('when an aprendiz asks for suggestions, then popular FAQs first and the role list up to 6 distinct', async () => {
    const d = (await h.inject('GET', '/api/v1/ai/suggestions?context=asistencia', 'aprendiz')).json().data;
    expect(d.questions.length).toBe(5);
    expect(d.questions[0]).toBe('¿Cómo registro mi asistencia con el código QR?');
    expect(new Set(d.questions).size).toBe(d.questions.length);
    const admin = (await h.inject('GET', '/api/v1/ai/suggestions', 'admin')).json().data;
    expect(admin.questions).toContain('¿Cuál es el debido proceso disciplinario?');
    expect((await h.inject('GET', '/api/v1/ai/suggestions?context=otra', 'aprendiz')).statusCode).toBe(422);
  });
});

describe('permissions (§2)', () => {
  it('when any person role calls the assistant, then allowed; a service token is 403; no token 401', async () => {
    for (const role of HUMAN_ROLES) expect((await h.inject('GET', '/api/v1/ai/status', role)).statusCode).toBe(200);
    expect((await h.inject('GET', '/api/v1/ai/status', 'service')).statusCode).toBe(403);
    expect((await h.inject('POST', '/api/v1/ai/conversations', 'service', {})).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/ai/conversations' })).statusCode).toBe(401);
  });
});

describe('US-AI-18 readiness tells the truth', () => {
  it('given no LLM, then 200 with llm not_configured and extractive default; with the kb down, kb unreachable and still 200', async () => {
    const probes = (h.app as unknown as { aiProbes: { run(): Promise<void> } }).aiProbes;
    await probes.run();
    let res = await h.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json().checks).toMatchObject({ database: 'ok', kb: 'ok', llm: { status: 'not_configured', model: null }, answer_mode_default: 'extractive' });
    h.kb.down = true;
    await probes.run();
    h.kb.down = false;
    res = await h.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json().checks.kb).toBe('unreachable');
    expect((await h.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});
