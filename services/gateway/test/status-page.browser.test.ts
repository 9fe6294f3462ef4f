import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { createHarness, type Harness } from './harness.ts';

const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
let h: Harness;
let browser: Browser;

beforeAll(async () => {
  h = await createHarness({ GATEWAY_PROBE_INTERVAL_MS: '200' });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('US-GW-21 status page in headless Chromium', () => {
  it('when all services are up, then 8 cards say Operativo with the H1 banner, no request leaves the origin, and a stopped service turns Caído without reload', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(h.origin)) foreign.push(req.url());
    });
    await page.goto(`${h.origin}/api/v1/gateway/status/page?refresh_ms=500`);
    // Polled from the test side: the page's CSP (script-src 'self') refuses evaluated strings, as it should.
    await expect.poll(() => page.locator('.card .state').allTextContents(), { timeout: 10_000 }).toEqual(Array(8).fill('Operativo'));
    expect(await page.locator('#banner').getAttribute('data-status')).toBe('healthy');
    expect(await page.locator('#banner').textContent()).toContain('Plataforma operativa');
    expect(await page.locator('.card[data-service="users"] h3').textContent()).toBe('Usuarios');
    await page.screenshot({ path: `${ARTIFACTS}status-page-healthy.png`, fullPage: true });

    await h.fakes.upstreams.notification.stop();
    await expect.poll(() => page.locator('.card[data-service="notification"] .state').textContent(), { timeout: 10_000 }).toBe('Caído');
    expect(await page.locator('#banner').getAttribute('data-status')).toBe('degraded');
    await page.screenshot({ path: `${ARTIFACTS}status-page-notification-down.png`, fullPage: true });
    await h.fakes.upstreams.notification.start();
    expect(foreign).toEqual([]);
    await page.close();
  }, 30_000);

  it('when #token carries an admin token, then the admin panel lists stats and recent errors; an aprendiz token shows Acceso restringido', async () => {
    await h.inject({ method: 'GET', url: '/api/v1/kb/nada', auth: await h.token({ role: 'aprendiz', must_change_password: true }) });
    await new Promise((r) => setTimeout(r, 1_200)); // the request-log buffer flushes every second
    const page = await browser.newPage();
    await page.goto(`${h.origin}/api/v1/gateway/status/page#token=${h.adminToken}`);
    await page.waitForSelector('#stats-table', { timeout: 10_000 });
    expect(await page.locator('#errors-table').textContent()).toContain('forbidden');
    expect(await page.locator('#admin-panel').textContent()).toContain('Versión de configuración');
    expect(await page.locator('#circuits-table button[data-action="force_open"]').count()).toBe(8);
    // The fragment moved into sessionStorage and out of the address bar.
    expect(page.url()).not.toContain('token=');
    await page.screenshot({ path: `${ARTIFACTS}status-page-admin.png`, fullPage: true });
    await page.close();

    const restricted = await browser.newPage();
    await restricted.goto(`${h.origin}/api/v1/gateway/status/page#token=${await h.token({ role: 'aprendiz' })}`);
    await restricted.waitForSelector('.restricted', { timeout: 10_000 });
    expect(await restricted.locator('.restricted').textContent()).toBe('Acceso restringido');
    await restricted.close();
  }, 30_000);
});
