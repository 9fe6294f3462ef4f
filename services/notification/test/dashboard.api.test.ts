import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { expectOk } from '@sicora/platform/testing/http';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';
import { startSmtpFake, type SmtpFake } from './smtp-fake.ts';

let h: Harness;
let smtp: SmtpFake;
let browser: Browser;
let base: string;
let admin: string;

/** The page's document inside browser callbacks (the test's TypeScript has no DOM types; callbacks are serialised, so each casts inline). */
type Doc = { document: { querySelector(s: string): unknown; querySelectorAll(s: string): { length: number } } };

beforeAll(async () => {
  smtp = await startSmtpFake();
  h = await createHarness({ SMTP_URL: smtp.url });
  admin = await h.token({ role: 'admin' });
  for (const n of [70, 71, 72]) h.dir.people.set(uid(n), person(n));
  smtp.rcptReplies.push(550, 550);
  for (const n of [70, 71]) {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${await h.token()}` }, payload: { type: 'user.activated', target_users: [uid(n)], channels: ['email', 'in_app'] } });
    const { id } = expectOk(res, 202);
    await vi.waitUntil(async () => (await h.db.query("SELECT 1 FROM notification.deliveries WHERE notification_id = $1 AND status = 'dead'", [id])).length === 1, poll);
  }
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await smtp?.close();
});

describe('dashboard (A13, A14, R62) in headless Chromium', () => {
  it('when an admin opens it, then 24 bars match A7, queue numbers match A8, dead letters are listed and "Reintentar" redrives one', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(5000);
    const foreign: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith(base)) foreign.push(r.url()); });
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    await page.goto(`${base}/api/v1/notifications/admin/dashboard#token=${admin}`);
    await page.waitForSelector('#dead tbody tr');
    await page.waitForSelector('#chart svg g.bar', { state: 'attached' });
    const counts = await page.$$eval('#chart svg g.bar', (gs) => gs.map((g) => Number(g.getAttribute('data-count'))));
    expect(counts).toHaveLength(24);
    const a7 = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/notifications/admin/metrics', headers: { authorization: `Bearer ${admin}` } }));
    const total = Object.values(a7.totals as Record<string, { total: number }>).reduce((s, t) => s + t.total, 0);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(total);
    const a8 = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/notifications/admin/queue', headers: { authorization: `Bearer ${admin}` } }));
    const waiting = await page.$$eval('#queue p.queue', (ps) => ps.map((p) => [p.getAttribute('data-queue'), Number(p.getAttribute('data-waiting'))]));
    expect(waiting).toEqual(a8.queues.map((q: { name: string; waiting: number }) => [q.name, q.waiting]));
    expect(await page.$$eval('#dead tbody tr', (rs) => rs.length)).toBe(2);
    const id = await page.$eval('#dead tbody tr', (r) => r.getAttribute('data-id'));
    await page.click(`#dead tbody tr[data-id="${id}"] button`);
    await page.waitForFunction((x) => !(globalThis as unknown as Doc).document.querySelector(`#dead tbody tr[data-id="${x}"]`), id, { timeout: 3000 });
    const a5 = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/notifications/admin/deliveries/${id}`, headers: { authorization: `Bearer ${admin}` } }));
    expect(['queued', 'sending', 'sent']).toContain(a5.status);
    await page.click('#redrive-all');
    await page.click('#confirm-ok');
    await page.waitForFunction(() => (globalThis as unknown as Doc).document.querySelectorAll('#dead tbody tr').length === 0, undefined, { timeout: 3000 });
    expect(foreign).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('when an aprendiz token is used, then the page shows "Acceso restringido" and no data', async () => {
    const page = await browser.newPage();
    const token = await h.token({ role: 'aprendiz', sub: uid(72) });
    await page.goto(`${base}/api/v1/notifications/admin/dashboard#token=${token}`);
    await page.waitForSelector('#restricted:not([hidden])');
    expect(await page.textContent('#restricted h2')).toBe('Acceso restringido');
    expect(await page.$$eval('#dead tbody tr', (rs) => rs.length)).toBe(0);
    await page.close();
  });
});
