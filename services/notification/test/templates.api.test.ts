import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';
import { startSmtpFake, type SmtpFake } from './smtp-fake.ts';

let h: Harness;
let smtp: SmtpFake;
let admin: string;

const req = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, token = admin) =>
  h.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
const find = async (type: string, channel: string) => expectOk(await req('GET', `/api/v1/notifications/templates?type=${type}&channel=${channel}`))[0];

beforeAll(async () => {
  smtp = await startSmtpFake();
  h = await createHarness({ SMTP_URL: smtp.url });
  admin = await h.token({ role: 'admin' });
  h.dir.people.set(uid(21), person(21, { first_name: 'Laura Valentina' }));
}, 60_000);

afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

const welcome = { first_name: 'Laura Valentina', role_label: 'aprendiz', login_url: 'https://sicora.test/login' };
async function sendWelcome(): Promise<string> {
  const { id } = expectOk(await req('POST', '/api/v1/notifications', { type: 'user.welcome', target_users: [uid(21)], channels: ['email'], data: welcome }, await h.token()), 202);
  return id;
}

describe('templates (T1–T9)', () => {
  it('when the service starts, then the 148 system templates exist at version 1', async () => {
    const res = await req('GET', '/api/v1/notifications/templates?is_system=true&page_size=1');
    expect(JSON.parse(res.body).meta.pagination.total).toBe(148);
    expectError(await req('GET', '/api/v1/notifications/templates', undefined, await h.token({ role: 'instructor' })), 403, 'INSUFFICIENT_PERMISSIONS');
  });

  it('when T4 changes the user.welcome e-mail subject, then version 2 is current, new sends use it and a delivery pinned to 1 renders 1', async () => {
    const tpl = await find('user.welcome', 'email');
    // A delivery pinned to version 1 that is still waiting for its retry when version 2 arrives.
    smtp.rcptReplies.push(451);
    const pinnedId = await sendWelcome();
    const waiting = await vi.waitUntil(async () => (await h.db.query<{ next_attempt_at: string }>("SELECT next_attempt_at FROM notification.deliveries WHERE notification_id = $1 AND status = 'retrying'", [pinnedId]))[0], poll);
    const v2 = expectOk(await req('PUT', `/api/v1/notifications/templates/${tpl.id}`, { subject: 'Te damos la bienvenida, {{ first_name }}', body_text: tpl.body_text, expected_version: 1, change_note: 'Nuevo asunto' }));
    expect(v2.current_version).toBe(2);
    expectError(await req('PUT', `/api/v1/notifications/templates/${tpl.id}`, { subject: 'x', body_text: 'y', expected_version: 1 }), 409, 'TEMPLATE_VERSION_CONFLICT');
    const id = await sendWelcome();
    const [fresh] = (await vi.waitUntil(async () => { const r = await h.db.query<{ id: string }>("SELECT id FROM notification.deliveries WHERE notification_id = $1 AND status = 'sent'", [id]); return r.length ? r : undefined; }, poll))!;
    expect(smtp.received.find((r) => r.mail.messageId === `<${fresh.id}@sicora>`)!.mail.subject).toBe('Te damos la bienvenida, Laura Valentina');
    const start = h.clock.now;
    h.clock.now = new Date(waiting!.next_attempt_at).getTime() + 1;
    try {
      await h.app.notificationWorker!.sweep();
      const [old] = (await vi.waitUntil(async () => { const r = await h.db.query<{ id: string }>("SELECT id FROM notification.deliveries WHERE notification_id = $1 AND status = 'sent'", [pinnedId]); return r.length ? r : undefined; }, poll))!;
      expect(smtp.received.find((r) => r.mail.messageId === `<${old.id}@sicora>`)!.mail.subject).toBe('Bienvenido a SICORA, Laura Valentina');
    } finally { h.clock.now = start; }
    const preview = expectOk(await req('POST', '/api/v1/notifications/templates/preview', { template_id: tpl.id, version: 1, data: welcome }));
    expect(preview.subject).toBe('Bienvenido a SICORA, Laura Valentina');
    const t3 = expectOk(await req('GET', `/api/v1/notifications/templates/${tpl.id}`));
    expect(t3.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const back = expectOk(await req('POST', `/api/v1/notifications/templates/${tpl.id}/rollback`, { version: 1 }));
    expect(back).toMatchObject({ current_version: 3, subject: 'Bienvenido a SICORA, {{ first_name }}' });
    expect(expectOk(await req('GET', `/api/v1/notifications/templates/${tpl.id}/versions/2`)).subject).toBe('Te damos la bienvenida, {{ first_name }}');
    expectError(await req('GET', `/api/v1/notifications/templates/${tpl.id}/versions/9`), 404, 'TEMPLATE_VERSION_NOT_FOUND');
    // A non-finite number is refused by the platform's path validation before the database sees it.
    expectError(await req('GET', `/api/v1/notifications/templates/${tpl.id}/versions/Infinity`), 422, 'VALIDATION_ERROR');
  });

  it('when a body is unsafe, unclosed or reads an unknown variable, then 422 with the matching code and a line number', async () => {
    const tpl = await find('user.activated', 'email');
    const put = (body_text: string) => req('PUT', `/api/v1/notifications/templates/${tpl.id}`, { subject: 'Hola', body_text, expected_version: 1 });
    expectError(await put('{{ range.constructor("return process")() }}'), 422, 'TEMPLATE_UNSAFE');
    const syntax = expectError(await put('Hola\n{% if recipient %}\nsin cierre'), 422, 'TEMPLATE_SYNTAX_ERROR');
    expect((syntax.details as { line: number }).line).toBeGreaterThanOrEqual(2);
    expectError(await put('{{ unknown_var }}'), 422, 'TEMPLATE_VARIABLE_UNKNOWN');
    // Plain text with "proceso" is not an unsafe identifier.
    expectOk(await put('Tu proceso terminó, {{ recipient.first_name }}.'));
  });

  it('when T9 previews evalin.period_ending SMS without data, then sample text with GSM-7 encoding and segments', async () => {
    const sms = await req('POST', '/api/v1/notifications/templates/preview', { type: 'evalin.period_ending', channel: 'sms', body_text: 'SICORA: quedan {{ days_remaining }} días del período {{ period_name }}' });
    const out = expectOk(sms);
    expect(out.text).toBe('SICORA: quedan 3 dias del periodo Evaluacion de instructores 2026-T1');
    expect(out.sms).toEqual({ encoding: 'GSM-7', length: out.text.length, segments: 1 });
    expectError(await req('POST', '/api/v1/notifications/templates/preview', { type: 'evalin.period_ending', channel: 'sms', body_text: '{{ days_remaining }}', data: {} }), 422, 'TEMPLATE_RENDER_ERROR');
  });

  it('when T6 targets a system template, then 409; a custom one is created (T2) and deleted', async () => {
    const tpl = await find('kb.item.published', 'email');
    expectError(await req('DELETE', `/api/v1/notifications/templates/${tpl.id}`), 409, 'TEMPLATE_IS_SYSTEM');
    const created = expectOk(await req('POST', '/api/v1/notifications/templates', { type: 'kb.item.published', channel: 'email', locale: 'en-US', subject: 'New: {{ item_title }}', body_text: 'Hi {{ recipient.first_name }}' }), 201);
    expectError(await req('POST', '/api/v1/notifications/templates', { type: 'kb.item.published', channel: 'email', locale: 'en-US', subject: 'x', body_text: 'y' }), 409, 'TEMPLATE_ALREADY_EXISTS');
    expect((await req('DELETE', `/api/v1/notifications/templates/${created.id}`)).statusCode).toBe(204);
  });

  it('when T5 deactivates a template, then new deliveries for that type and channel are skipped (template_inactive)', async () => {
    const tpl = await find('user.activated', 'in_app');
    expect(expectOk(await req('PATCH', `/api/v1/notifications/templates/${tpl.id}`, { is_active: false })).is_active).toBe(false);
    const { id } = expectOk(await req('POST', '/api/v1/notifications', { type: 'user.activated', target_users: [uid(21)], channels: ['in_app'] }, await h.token()), 202);
    const d = await vi.waitUntil(async () => (await h.db.query<{ status: string; status_reason: string }>('SELECT status, status_reason FROM notification.deliveries WHERE notification_id = $1', [id]))[0], poll);
    expect(d).toEqual({ status: 'skipped', status_reason: 'template_inactive' });
  });
});
