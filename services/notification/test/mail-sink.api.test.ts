import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';

let h: Harness;
let dir: string;
let admin: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sicora-sink-'));
  // The embedded default: no SMTP_URL, so e-mail goes through the real SMTP adapter into the local sink.
  h = await createHarness({ MAIL_SINK_ENABLED: 'true', MAIL_SINK_PORT: '0', SICORA_DATA_DIR: dir });
  h.dir.people.set(uid(21), person(21, { email: 'laura.gomez21@demo.sicora.test' }));
  admin = await h.token({ role: 'admin' });
}, 60_000);

afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('embedded mail sink (R41, A11–A12)', () => {
  it('when an e-mail is sent without SMTP_URL, then the sink keeps it as <delivery_id>.eml and A11/A12 list and return it', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${await h.token({ name: 'users' })}` }, payload: { type: 'user.password_changed', target_users: [uid(21)], channels: ['email'], data: { changed_at: '2026-03-02T14:05:00Z' } } });
    const { id } = expectOk(res, 202);
    const [d] = (await vi.waitUntil(async () => { const r = await h.db.query<{ id: string }>("SELECT id FROM notification.deliveries WHERE notification_id = $1 AND status = 'sent'", [id]); return r.length ? r : undefined; }, poll))!;
    const list = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/notifications/admin/mail-sink', headers: { authorization: `Bearer ${admin}` } }));
    expect(list[0]).toMatchObject({ id: d.id, to: 'laura.gomez21@demo.sicora.test', subject: 'Tu contraseña de SICORA fue cambiada' });
    const eml = await h.app.inject({ method: 'GET', url: `/api/v1/notifications/admin/mail-sink/${d.id}`, headers: { authorization: `Bearer ${admin}` } });
    expect(eml.statusCode).toBe(200);
    expect(eml.headers['content-type']).toContain('message/rfc822');
    expect(eml.headers['content-disposition']).toBe(`attachment; filename="${d.id}.eml"`);
    expect(eml.body).toContain(`Message-ID: <${d.id}@sicora>`);
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/notifications/admin/mail-sink/00000000-0000-4000-8000-000000000000', headers: { authorization: `Bearer ${admin}` } }), 404, 'NOT_FOUND');
  });
});
