import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatewayClient } from './attendance.support.ts';
import { portEnv, runSicora, tempDataDir, waitFor, type Child } from './support.ts';
import { buildWebApp, expectAccessible, HAS_CHROMIUM, launch, stepper } from './web.support.ts';
import { firstSignIn, pick } from './web-programming.support.ts';

// web.md §4 Programación and /sistema in headless Chromium against a real `sicora start` with its demo data:
// (1) a coordinator (demo Martha Herrera) signs in for the first time, opens ficha 2826503's week, adds a
//     class on Monday 07:00–08:00, which the conflict check refuses showing the demo entry that holds the
//     ficha then (Castaño, 205), moves it to Saturday and saves it; the entry is checked through the API;
// (2) the admin signs in and /sistema shows every service of the platform operating (gateway H1).
// A screenshot per step (laptop 1366×768, plus the phone size for the editor and /sistema) goes to
// test-artifacts/web/; axe-core checks every page. Skipped with the reason without Chromium.
const SKIP = HAS_CHROMIUM ? null : 'web journeys skipped: /usr/bin/chromium is missing (Debian package chromium; .ci/run installs it)';
if (SKIP) console.warn(SKIP);

const ADMIN = { email: 'admin@sicora.sena.edu.co', password: 'E2e#Prog-Inicial-2026x', next: 'Sistema#Web-2027q' };
const COORDINATOR = { document: '51876234', next: 'Horario#Sede-2027k' };
const FICHA = '2826503';
/** Demo entry 01 (schedules §11): ficha 2826503, Monday 06–09, Castaño, venue 205. */
const HOLDER = '5eed0006-0000-4000-8000-000000000001';
const SUBJECT = 'Refuerzo de matemáticas web';
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 360, height: 640 };

let gateway = '';
const api = gatewayClient(() => gateway);
let dataDir: string | undefined;
let child: Child | undefined;
const browsers: Browser[] = [];

async function open(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: LAPTOP, locale: 'es-CO', timezoneId: 'America/Bogota' });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.warn(`page error: ${err.message}`));
  return page;
}

describe.skipIf(SKIP !== null)('web Programación and Sistema', () => {
  beforeAll(async () => {
    await buildWebApp();
    const { env, urls } = await portEnv();
    gateway = urls.gateway;
    dataDir = tempDataDir();
    child = runSicora(['start'], {
      ...env,
      SICORA_DATA_DIR: dataDir,
      SICORA_TIMEZONE: 'America/Bogota',
      SICORA_ADMIN_EMAIL: ADMIN.email,
      SICORA_ADMIN_PASSWORD: ADMIN.password,
      DATABASE_URL: '',
      REDIS_URL: '',
    });
    // 200 = every service probed ready (207 while some are still starting); a loaded machine needs longer.
    await waitFor(`${gateway}/health`, child, { timeoutMs: 240_000 });
  }, 300_000);

  beforeEach(() => {
    // A platform that stopped says why (its output), instead of a refused connection.
    if (child && (child.process.exitCode !== null || child.process.signalCode !== null)) throw new Error(`sicora start exited:\n${child.output().slice(-4000)}`);
  });

  afterAll(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    await child?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('(1) when a coordinator adds a class that clashes, then the conflict check shows the entry in the way; moved to a free day, it is saved', async () => {
    const shot = stepper('prog-coordinador');
    const browser = await launch();
    browsers.push(browser);
    const page = await open(browser);
    await firstSignIn(page, gateway, { identifier: COORDINATOR.document, password: COORDINATOR.document, next: COORDINATOR.next, shot, where: 'coordinador', landmark: 'Programación' });

    await page.getByRole('link', { name: 'Programación' }).first().click();
    await page.getByRole('heading', { name: 'Fichas', level: 1 }).waitFor();
    await page.getByText(`Ficha ${FICHA}`).waitFor();
    await shot(page, 'fichas');
    await expectAccessible(page, 'coordinador /programacion');

    await page.getByRole('link', { name: `Horario de la ficha ${FICHA}` }).click();
    await page.getByRole('heading', { name: 'Horario semanal' }).waitFor();
    const url = new URL(page.url());
    expect(url.pathname).toBe('/programacion/horario');
    expect(url.searchParams.get('view')).toBe('group');
    const groupId = url.searchParams.get('id')!;
    await page.getByText('Construcción de software: backend').first().waitFor();
    await shot(page, 'horario-ficha');
    await expectAccessible(page, 'coordinador /programacion/horario');

    await page.getByRole('button', { name: 'Agregar clase' }).click();
    const editor = page.getByRole('region', { name: 'Nueva clase semanal' });
    await editor.waitFor();
    await expect.poll(() => editor.getByLabel(/^Ficha/).first().inputValue()).toContain(FICHA);
    await pick(editor, page, /^Instructor/, /Beltrán/);
    await pick(editor, page, /^Ambiente/, /^191 /);
    await editor.getByLabel(/^Competencia/).fill(SUBJECT);
    await pick(editor, page, /^Día/, 'Lunes');
    await pick(editor, page, /^Desde/, '07:00');
    await pick(editor, page, /^Hasta/, '08:00');
    await editor.getByRole('button', { name: 'Verificar y guardar' }).click();

    const conflicts = editor.getByTestId('conflicts');
    await conflicts.waitFor();
    const holder = conflicts.locator(`[data-conflict="${HOLDER}"]`);
    await holder.waitFor();
    expect(await holder.textContent()).toContain('Ficha ocupada');
    expect(await holder.textContent()).toContain(`Ficha ${FICHA} · Lunes 06:00–09:00`);
    expect(await holder.textContent()).toContain('ambiente 205');
    await shot(page, 'cruce');
    await expectAccessible(page, 'coordinador cruce');
    await page.setViewportSize(PHONE);
    await shot(page, 'cruce-telefono');
    await page.setViewportSize(LAPTOP);
    // Nothing was written by the refused attempt.
    const before = await api.must<Array<{ subject: string }>>(200, 'GET', `/api/v1/schedules?group_id=${groupId}&page_size=100`, { token: await coordinatorToken() });
    expect(before.filter((e) => e.subject === SUBJECT)).toHaveLength(0);

    await pick(editor, page, /^Día/, 'Sábado');
    await expect.poll(() => conflicts.count()).toBe(0);
    await editor.getByRole('button', { name: 'Verificar y guardar' }).click();
    await page.getByText(`Clase guardada: ${SUBJECT}`).waitFor();
    await expect.poll(() => editor.count()).toBe(0);
    await page.getByText(new RegExp(`^Sábado 07:00–08:00 · ${SUBJECT}$`)).waitFor();
    await shot(page, 'guardada');
    await expectAccessible(page, 'coordinador guardada');

    const after = await api.must<Array<{ subject: string; day_of_week: number; start_time: string; end_time: string; venue: { code: string }; status: string }>>(
      200,
      'GET',
      `/api/v1/schedules?group_id=${groupId}&day_of_week=6&page_size=100`,
      { token: await coordinatorToken() },
    );
    expect(after.filter((e) => e.subject === SUBJECT)).toEqual([expect.objectContaining({ day_of_week: 6, start_time: '07:00', end_time: '08:00', venue: expect.objectContaining({ code: '191' }), status: 'ACTIVE' })]);

    // The ficha's page: instructors and apprentices.
    await page.getByRole('link', { name: 'Fichas', exact: true }).click();
    await page.getByRole('link', { name: `Ver ficha ${FICHA}` }).click();
    await page.getByRole('heading', { name: `Ficha ${FICHA}`, level: 1 }).waitFor();
    await page.getByRole('table').getByRole('row').nth(1).waitFor();
    await page.getByText('Carlos Andrés Rodríguez Peña').first().waitFor();
    await shot(page, 'ficha');
    await expectAccessible(page, 'coordinador /programacion/fichas/:id');

    // S8 with a dry run: the second data row names no instructor, the report points at its line.
    await page.getByRole('link', { name: 'Importar CSV' }).click();
    await page.getByRole('heading', { name: 'Importar CSV' }).waitFor();
    const csv = [
      'ficha,documento_instructor,ambiente,competencia,dia,hora_inicio,hora_fin,fecha_inicio,fecha_fin',
      `${FICHA},1020765432,191,Tutoría de matemáticas,sábado,09:00,10:00,2027-01-04,2027-02-27`,
      `${FICHA},999000111,191,Tutoría de inglés,sábado,10:00,11:00,2027-01-04,2027-02-27`,
    ].join('\n');
    await page.locator('input[type="file"]').setInputFiles({ name: 'horarios.csv', mimeType: 'text/csv', buffer: Buffer.from(`${csv}\n`) });
    await page.getByRole('button', { name: 'Validar sin guardar' }).click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    expect(await report.locator('[data-line="3"]').textContent()).toContain('instructor_document');
    expect(await report.locator('[data-line="2"]').count()).toBe(0);
    await shot(page, 'importar-reporte');
    await expectAccessible(page, 'coordinador /programacion/importar');
  }, 150_000);

  it('(2) when the admin opens /sistema, then every service of the platform is shown operating', async () => {
    const shot = stepper('prog-admin');
    // H1 reads the last probe round (every 10 s): wait until the platform reports healthy.
    await expect.poll(async () => (await api.call<{ status: string }>('GET', '/health')).body?.data?.status, { timeout: 60_000, interval: 1_000 }).toBe('healthy');
    const browser = await launch();
    browsers.push(browser);
    const page = await open(browser);
    await firstSignIn(page, gateway, { identifier: ADMIN.email, password: ADMIN.password, next: ADMIN.next, shot, where: 'admin', landmark: 'Sistema' });

    await page.getByRole('link', { name: 'Sistema' }).first().click();
    await page.getByRole('heading', { name: 'Sistema', level: 1 }).waitFor();
    await page.locator('[data-status="healthy"]').waitFor();
    const rows = page.locator('[data-service]');
    const health = await api.must<{ services: Array<{ name: string }> }>(200, 'GET', '/health');
    expect(health.services.length).toBeGreaterThanOrEqual(8);
    await expect.poll(() => rows.count()).toBe(health.services.length);
    expect(await page.locator('[data-service][data-state="up"]').count()).toBe(health.services.length);
    for (const s of health.services) expect(await page.locator(`[data-service="${s.name}"]`).textContent()).toContain('Operativo');
    await shot(page, 'sistema-salud');
    await expectAccessible(page, 'admin /sistema');
    await page.setViewportSize(PHONE);
    await shot(page, 'sistema-salud-telefono');
    await page.setViewportSize(LAPTOP);

    await page.getByRole('tab', { name: 'Claves de firma' }).click();
    await page.getByText('Activa').first().waitFor();
    await shot(page, 'sistema-claves');
    await expectAccessible(page, 'admin /sistema claves');

    await page.getByRole('tab', { name: 'Seguridad' }).click();
    await page.getByText('Ingreso').first().waitFor();
    await shot(page, 'sistema-seguridad');
    await expectAccessible(page, 'admin /sistema seguridad');
    for (const [tab, button, name] of [
      ['Asistencia', 'Guardar asistencia', 'asistencia'],
      ['Evaluación', 'Guardar evaluación', 'evaluacion'],
      ['Riesgo', 'Guardar riesgo', 'riesgo'],
    ] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await page.getByRole('button', { name: button }).waitFor();
      await shot(page, `sistema-${name}`);
      await expectAccessible(page, `admin /sistema ${tab}`);
    }
  }, 150_000);
});

let coordinator = '';
/** The coordinator's token for API checks (signs in with the password the journey set). */
async function coordinatorToken(): Promise<string> {
  if (!coordinator) coordinator = await api.signIn(COORDINATOR.document, COORDINATOR.next, COORDINATOR.next);
  return coordinator;
}
