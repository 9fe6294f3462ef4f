import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portEnv, runSicora, tempDataDir, waitFor, type Child } from './support.ts';
import { buildWebApp, expectAccessible, HAS_CHROMIUM, launch, stepper } from './web.support.ts';

// web.md §5 journey (4) in headless Chromium against a real `sicora start` with its demo data: the demo
// coordinator (users §11, found in the sign-in screen's "Cuentas de demostración", users A9) signs in for
// the first time and changes the password as forced, opens Personas, imports apprentices of the demo ficha
// 2826503 from a CSV with one bad row (users B1 with the `ficha` column: membership of a ficha is the
// users service's `group_id`, schedules §1), sees that row's error, fixes the file, imports it, and finds
// the new apprentices in the list filtered by the ficha. A screenshot per step goes to test-artifacts/web/
// (laptop 1366×768, and the list again on a 360×640 phone); axe-core checks every page.
const SKIP = HAS_CHROMIUM ? null : 'web journeys skipped: /usr/bin/chromium is missing (Debian package chromium; .ci/run installs it)';
if (SKIP) console.warn(SKIP);

const COORDINATOR = { doc: '51876234', name: 'Martha Lucía Herrera Castro', next: 'Ficha#Carga-2027k' };
const FICHA = '2826503';

let gateway = '';
let dataDir: string | undefined;
let filesDir: string | undefined;
let child: Child | undefined;
let browser: Browser | undefined;
let passed = false;
const tag = String(Date.now()).slice(-6);
const people = [
  { first: 'Sara Lucía', last: 'Méndez Rivera', doc: `11${tag}71`, email: `sara.mendez.${tag}@e2e.sicora.test` },
  { first: 'Kevin Andrés', last: 'Arias Pulido', doc: `11${tag}72`, email: `kevin.arias.${tag}@e2e.sicora.test` },
  { first: 'Luz Marina', last: 'Peña Ortiz', doc: `11${tag}73`, email: `luz.pena.${tag}@e2e.sicora.test` },
];
const BAD_EMAIL = `kevin.arias.${tag}@@e2e`;

/** The CSV a coordinator exports from a spreadsheet: Spanish headers, `;` delimiter (users §6.1). */
function csv(secondEmail: string): string {
  const rows = people.map((p, i) => [p.first, p.last, i === 1 ? secondEmail : p.email, 'CC', p.doc, 'aprendiz', FICHA].join(';'));
  return ['nombres;apellidos;correo;tipo_documento;documento;rol;ficha', ...rows].join('\r\n') + '\r\n';
}

describe.skipIf(SKIP !== null)('web journey (4): a coordinator loads a ficha\'s apprentices by CSV', () => {
  beforeAll(async () => {
    await buildWebApp();
    const { env, urls } = await portEnv();
    gateway = urls.gateway;
    dataDir = tempDataDir();
    child = runSicora(['start'], { ...env, SICORA_DATA_DIR: dataDir, SICORA_ADMIN_PASSWORD: 'E2e#Personas-Inicial-2026x', DATABASE_URL: '', REDIS_URL: '' });
    await waitFor(`${gateway}/health`, child, { timeoutMs: 90_000 });
    filesDir = mkdtempSync(join(tmpdir(), 'sicora-web-people-'));
    writeFileSync(join(filesDir, 'ficha-con-error.csv'), csv(BAD_EMAIL));
    writeFileSync(join(filesDir, 'ficha-corregida.csv'), csv(people[1].email));
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    if (child && !passed) console.warn(`sicora start (exit code ${child.process.exitCode}) printed:\n${child.output().slice(-4000)}`);
    await browser?.close().catch(() => undefined);
    await child?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
  });

  it('(4) when the coordinator imports a file with one bad row, then the row error shows and nothing is saved; the fixed file imports and the apprentices are listed in the ficha', async () => {
    const shot = stepper('4-personas');
    const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, locale: 'es-CO', timezoneId: 'America/Bogota' });
    const page: Page = await context.newPage();
    page.on('pageerror', (err) => console.warn(`page error: ${err.message}`));

    // Sign-in: the demo accounts come from users A9 through the gateway (public).
    const a9 = await fetch(`${gateway}/api/v1/auth/demo-accounts`);
    await page.goto(`${gateway}/login`);
    await page.getByRole('heading', { name: 'Ingresar' }).waitFor();
    if (a9.status === 200) {
      const accounts = ((await a9.json()) as { data: Array<{ role: string; document_number: string }> }).data;
      expect(accounts.map((a) => a.role)).toEqual(['coordinador', 'administrativo', 'instructor', 'aprendiz']);
      expect(accounts[0].document_number).toBe(COORDINATOR.doc);
      const demo = page.getByRole('region', { name: 'Cuentas de demostración' });
      await demo.getByText(`Coordinador: ${COORDINATOR.name}`).waitFor();
      await shot(page, 'ingresar-cuentas-demo');
      await expectAccessible(page, 'coordinador /login');
      await demo.getByRole('button', { name: 'Usar la cuenta de Coordinador' }).click();
    } else {
      // Until the gateway publishes A9 (gateway §4.8 rule 5a), it asks for a token and the screen shows nothing.
      console.warn(`users A9 through the gateway answered ${a9.status}: the sign-in screen shows no demo accounts`);
      expect(a9.status).toBe(401);
      await shot(page, 'ingresar');
      await expectAccessible(page, 'coordinador /login');
      expect(await page.getByText('Cuentas de demostración').count()).toBe(0);
      await page.getByLabel(/^Documento o correo/).fill(COORDINATOR.doc);
      await page.getByLabel(/^Contraseña/).fill(COORDINATOR.doc);
    }
    await page.getByRole('button', { name: 'Ingresar', exact: true }).click();
    await page.getByRole('heading', { name: 'Cambiar contraseña' }).waitFor();
    await page.getByLabel(/^Contraseña actual/).fill(COORDINATOR.doc);
    await page.getByLabel(/^Nueva contraseña/).fill(COORDINATOR.next);
    await page.getByLabel(/^Confirme la nueva contraseña/).fill(COORDINATOR.next);
    await shot(page, 'cambio-obligatorio');
    await expectAccessible(page, 'coordinador /cambiar-contrasena');
    await page.getByRole('button', { name: 'Guardar contraseña' }).click();
    await page.waitForURL((url) => url.pathname === '/');

    // Personas from the navigation: the list with its filters.
    await page.getByRole('link', { name: 'Personas' }).first().click();
    await page.getByRole('heading', { name: 'Personas', exact: true }).waitFor();
    await page.getByRole('list', { name: 'Personas' }).waitFor();
    await shot(page, 'personas');
    await expectAccessible(page, 'coordinador /personas');

    // The import screen; the first file has an invalid e-mail on line 3.
    await page.getByRole('link', { name: 'Importar CSV' }).click();
    await page.getByRole('heading', { name: 'Importar personas' }).waitFor();
    await shot(page, 'importar');
    await expectAccessible(page, 'coordinador /personas/importar');
    await page.locator('input[type="file"]').setInputFiles(join(filesDir!, 'ficha-con-error.csv'));
    await page.getByRole('button', { name: 'Importar', exact: true }).click();
    const errors = page.getByRole('table', { name: 'Errores por fila' });
    await errors.waitFor();
    await page.getByText('El archivo tiene errores: no se guardó nada').waitFor();
    const row = errors.locator('tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.first().locator('td').first().textContent()).toBe('3');
    expect(await row.first().locator('td').nth(1).textContent()).toBe('Correo');
    expect(await row.first().locator('td').nth(2).textContent()).toBe(BAD_EMAIL);
    await shot(page, 'error-de-fila');
    await expectAccessible(page, 'coordinador /personas/importar (errores)');

    // The fixed file imports all three.
    await page.locator('input[type="file"]').setInputFiles(join(filesDir!, 'ficha-corregida.csv'));
    await page.getByRole('button', { name: 'Importar', exact: true }).click();
    await page.getByText('Importación terminada: 3 personas creadas').waitFor();
    const created = page.getByRole('table', { name: 'Personas creadas' });
    for (const p of people) await created.getByText(p.doc).waitFor();
    await shot(page, 'importado');
    await expectAccessible(page, 'coordinador /personas/importar (importado)');

    // The ficha's apprentices in Personas, the new ones first (most recent).
    await page.getByRole('link', { name: `Ver los aprendices de la ficha ${FICHA}` }).click();
    await page.getByRole('heading', { name: 'Personas', exact: true }).waitFor();
    const list = page.getByRole('list', { name: 'Personas' });
    for (const p of people) await list.getByText(`${p.first} ${p.last}`).waitFor();
    const url = new URL(page.url());
    expect(url.pathname).toBe('/personas');
    expect(url.searchParams.get('role')).toBe('aprendiz');
    expect(url.searchParams.get('group_number')?.replaceAll('"', '')).toBe(FICHA);
    // 15 demo apprentices of the ficha plus the three imported.
    await page.getByText('18 personas').waitFor();
    await shot(page, 'ficha-con-nuevos');
    await expectAccessible(page, 'coordinador /personas?group_number');

    // The same list on a phone.
    await page.setViewportSize({ width: 360, height: 640 });
    await list.getByText(`${people[0].first} ${people[0].last}`).waitFor();
    await shot(page, 'ficha-telefono');
    await expectAccessible(page, 'coordinador /personas (teléfono)');
    await context.close();
    passed = true;
  }, 240_000);
});
