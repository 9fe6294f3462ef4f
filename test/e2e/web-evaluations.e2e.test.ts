import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayClient } from './attendance.support.ts';
import { portEnv, runSicora, tempDataDir, waitFor, waitForOutput, type Child } from './support.ts';
import { buildWebApp, expectAccessible, HAS_CHROMIUM, launch, stepper } from './web.support.ts';

// web.md §5 journey (5) in headless Chromium against a real `sicora start` with its demo data: an
// apprentice of a demo ficha (evalin §11 seeds an active period over both demo fichas) signs in for the
// first time, opens Evaluar instructores, tries to send an empty questionnaire (refused on the page), saves
// a draft, comes back to it, sends it, and sees the instructor as evaluated. The apprentice is the first
// demo apprentice with an instructor still pending in the active period (E44 as admin). A screenshot per
// step goes to test-artifacts/web/; axe-core checks every page.
const SKIP = HAS_CHROMIUM ? null : 'web journeys skipped: /usr/bin/chromium is missing (Debian package chromium; .ci/run installs it)';
if (SKIP) console.warn(SKIP);

const ADMIN = { email: 'admin@sicora.sena.edu.co', password: 'E2e#Eval-Inicial-2026x', next: 'Pasarela#Eval-2027q' };
const NEW_PASSWORD = 'Evalua#Movil-2027w';

let gateway = '';
const api = gatewayClient(() => gateway);
let dataDir: string | undefined;
let child: Child | undefined;
let browser: Browser | undefined;
const world = { admin: '', periodId: '', student: { id: '', doc: '', name: '' } };

interface Row { student_id: string; student_name: string; group_number: string; pending: number; total_instructors: number }
interface Evaluation { instructor_id: string; status: string }

describe.skipIf(SKIP !== null)('web journey (5): an apprentice evaluates an instructor', () => {
  beforeAll(async () => {
    await buildWebApp();
    const { env, urls } = await portEnv();
    gateway = urls.gateway;
    dataDir = tempDataDir();
    child = runSicora(['start'], { ...env, SICORA_DATA_DIR: dataDir, SICORA_ADMIN_EMAIL: ADMIN.email, SICORA_ADMIN_PASSWORD: ADMIN.password, DATABASE_URL: '', REDIS_URL: '' });
    await waitFor(`${gateway}/health`, child, { timeoutMs: 90_000 });
    // The demo seeds that read other services (evalin's periods among them) run after every service listens.
    await waitForOutput(child, 'SICORA listo', 120_000);
    world.admin = await api.signIn(ADMIN.email, ADMIN.password, ADMIN.next);
    const as = { token: world.admin };
    const active = await api.must<Array<{ id: string; name: string }>>(200, 'GET', '/api/v1/evalin/periods?status=active', as);
    expect(active.length, 'the demo seed has an active period (evalin §11)').toBeGreaterThan(0);
    world.periodId = active[0].id;
    const rows = await api.must<Row[]>(200, 'GET', `/api/v1/evalin/reports/periods/${world.periodId}/participation?page_size=100`, as);
    for (const row of rows.filter((r) => r.pending > 0)) {
      const user = await api.must<{ document_number: string; is_active: boolean }>(200, 'GET', `/api/v1/users/${row.student_id}`, as);
      if (!user.is_active) continue;
      world.student = { id: row.student_id, doc: user.document_number, name: row.student_name };
      break;
    }
    expect(world.student.doc, 'a demo apprentice with a pending instructor').not.toBe('');
  }, 300_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await child?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const evaluationsOf = (status: string) =>
    api.must<Evaluation[]>(200, 'GET', `/api/v1/evalin/evaluations?period_id=${world.periodId}&student_id=${world.student.id}&status=${status}`, { token: world.admin });

  it('when the apprentice answers the questionnaire of a pending instructor, then an empty send is refused on the page, the draft is kept and the sent evaluation shows the instructor as evaluated', async () => {
    const shot = stepper('5-evaluacion');
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'es-CO', timezoneId: 'America/Bogota' });
    const page: Page = await context.newPage();
    page.on('pageerror', (err) => console.warn(`page error: ${err.message}`));

    // First sign-in with the document number, then the forced change (users A6).
    const doc = world.student.doc;
    await page.goto(`${gateway}/`);
    await page.getByRole('heading', { name: 'Ingresar' }).waitFor();
    await page.getByLabel(/^Documento o correo/).fill(doc);
    await page.getByLabel(/^Contraseña/).fill(doc);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.getByRole('heading', { name: 'Cambiar contraseña' }).waitFor();
    await page.getByLabel(/^Contraseña actual/).fill(doc);
    await page.getByLabel(/^Nueva contraseña/).fill(NEW_PASSWORD);
    await page.getByLabel(/^Confirme la nueva contraseña/).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Guardar contraseña' }).click();
    await page.getByRole('heading', { name: /^Hola/ }).waitFor();
    await shot(page, 'inicio');

    // Evaluar instructores from the menu: the period, the anonymity promise, whom I still have to evaluate.
    await page.getByRole('button', { name: 'Abrir menú' }).click();
    await page.getByRole('link', { name: 'Evaluar instructores' }).click();
    await page.getByRole('heading', { name: 'Evaluar instructores', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/evaluaciones');
    await page.getByText('Su evaluación es anónima').waitFor();
    const evaluate = page.getByRole('link', { name: /^(Evaluar|Continuar): / }).first();
    await evaluate.waitFor();
    await shot(page, 'pendientes');
    await expectAccessible(page, 'aprendiz /evaluaciones');
    const instructorName = (await evaluate.getAttribute('aria-label'))!.replace(/^(Evaluar|Continuar): /, '');
    const instructorId = (await evaluate.locator('xpath=ancestor::li[1]').getAttribute('data-instructor'))!;
    await evaluate.click();

    // The questionnaire: an empty send is refused on the page (no request), each required question marked.
    await page.getByRole('heading', { name: `Evaluar a ${instructorName}` }).waitFor();
    const questions = page.locator('[data-question]');
    const total = await questions.count();
    expect(total).toBeGreaterThan(1);
    await shot(page, 'cuestionario');
    await expectAccessible(page, 'aprendiz cuestionario');
    await page.getByRole('button', { name: 'Enviar evaluación' }).click();
    await page.getByText(/^Faltan? \d+ respuestas? obligatorias?\.$/).waitFor();
    await shot(page, 'faltan-respuestas');
    await expectAccessible(page, 'aprendiz cuestionario con errores');

    // Half the questions, then a draft (E32 submit=false or E34 on the demo's own draft).
    const answer = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const q = questions.nth(i);
        if ((await q.getByRole('radio').count()) > 0) await q.getByLabel('4 · De acuerdo').check();
        else if ((await q.getByRole('checkbox').count()) > 0) await q.getByRole('checkbox').first().check();
        else await q.getByRole('textbox').fill('Las guías tienen ejemplos claros del sector productivo.');
      }
    };
    const half = Math.floor(total / 2);
    await answer(0, half);
    await page.getByRole('button', { name: 'Guardar borrador' }).click();
    await page.getByText(/^Borrador guardado a las/).waitFor();
    await shot(page, 'borrador-guardado');
    expect((await evaluationsOf('draft')).find((e) => e.instructor_id === instructorId)).toMatchObject({ status: 'draft' });

    // Coming back later: the draft's answers are there.
    await page.reload();
    await page.getByRole('heading', { name: `Evaluar a ${instructorName}` }).waitFor();
    await expect.poll(() => questions.nth(0).getByLabel('4 · De acuerdo').isChecked()).toBe(true);
    await answer(half, total);
    await page.getByLabel(/^Comentario general/).fill('Buen acompañamiento durante el trimestre.');
    await page.getByRole('button', { name: 'Enviar evaluación' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/no se puede modificar/).waitFor();
    await shot(page, 'confirmar-envio');
    await dialog.getByRole('button', { name: 'Enviar', exact: true }).click();
    await page.getByRole('heading', { name: 'Evaluación enviada' }).waitFor();
    await shot(page, 'enviada');
    await expectAccessible(page, 'aprendiz evaluación enviada');

    // The list shows the instructor as evaluated; the platform records who submitted, never what.
    await page.getByRole('link', { name: 'Volver a mis evaluaciones' }).click();
    await page.getByRole('heading', { name: 'Evaluar instructores', level: 1 }).waitFor();
    const card = page.locator(`li[data-instructor="${instructorId}"]`);
    await card.getByText('Enviada', { exact: true }).waitFor();
    await shot(page, 'lista-enviada');
    await expectAccessible(page, 'aprendiz /evaluaciones después de enviar');
    const submitted = await evaluationsOf('submitted');
    expect(submitted.find((e) => e.instructor_id === instructorId)).toMatchObject({ status: 'submitted' });
    expect(JSON.stringify(submitted)).not.toContain('Buen acompañamiento');

    await page.setViewportSize({ width: 1366, height: 768 });
    await shot(page, 'lista-escritorio');
  }, 240_000);

  /** Staff accounts change their first password through the API; the UI signs in with the new one. */
  async function staffPage(doc: string, viewport = { width: 360, height: 640 }) {
    await api.signIn(doc, doc, NEW_PASSWORD);
    const context = await browser!.newContext({ viewport, locale: 'es-CO', timezoneId: 'America/Bogota' });
    const page = await context.newPage();
    page.on('pageerror', (err) => console.warn(`page error: ${err.message}`));
    await page.goto(`${gateway}/login`);
    await page.getByLabel(/^Documento o correo/).fill(doc);
    await page.getByLabel(/^Contraseña/).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.waitForURL((u) => u.pathname !== '/login');
    return page;
  }

  it('when the coordinator opens the published demo period, then participation by ficha, ranked results and the pending comments are there, and approving one moves it to the approved list', async () => {
    const shot = stepper('5b-coordinacion');
    browser ??= await launch();
    const page = await staffPage('51876234', { width: 1366, height: 768 });
    await page.goto(`${gateway}/evaluaciones/admin`);
    await page.getByRole('heading', { name: 'Evaluaciones', level: 1 }).waitFor();
    await page.locator('[data-period]').first().waitFor();
    await shot(page, 'periodos');
    await expectAccessible(page, 'coordinador /evaluaciones/admin');

    const published = await api.must<Array<{ id: string; name: string }>>(200, 'GET', '/api/v1/evalin/periods?status=published', { token: world.admin });
    await page.getByRole('link', { name: published[0].name }).click();
    await page.getByRole('heading', { name: published[0].name, level: 1 }).waitFor();
    await page.getByText('Avance por aprendiz').waitFor();
    await page.locator('tbody tr').first().waitFor();
    await shot(page, 'participacion');
    await expectAccessible(page, 'coordinador período participación');

    await page.getByText('Resultados', { exact: true }).click();
    await page.getByRole('heading', { name: 'Resultados por instructor' }).waitFor();
    await page.getByText('Participación por ficha').waitFor();
    await shot(page, 'resultados');
    await expectAccessible(page, 'coordinador período resultados');

    await page.getByText('Comentarios', { exact: true }).click();
    await page.getByRole('heading', { name: 'Moderación de comentarios' }).waitFor();
    const pending = page.locator('li', { has: page.getByRole('button', { name: 'Aprobar', exact: true }) });
    await pending.first().waitFor();
    const before = await pending.count();
    await shot(page, 'comentarios-pendientes');
    await expectAccessible(page, 'coordinador moderación');
    await pending.first().getByRole('button', { name: 'Aprobar', exact: true }).click();
    await expect.poll(() => pending.count()).toBe(before - 1);
    await page.getByText('Aprobados', { exact: true }).click();
    await page.getByRole('button', { name: 'Ocultar' }).first().waitFor();
    await shot(page, 'comentarios-aprobados');
  }, 120_000);

  it('when a demo instructor opens Mis resultados, then the published period shows the figures or explains which threshold withholds them', async () => {
    const shot = stepper('5c-instructor');
    browser ??= await launch();
    // An instructor of the published demo period (E39 as admin), whichever the demo schedules give.
    const published = await api.must<Array<{ id: string }>>(200, 'GET', '/api/v1/evalin/periods?status=published', { token: world.admin });
    const report = await api.must<{ results: { instructors: Array<{ instructor_id: string }> } }>(200, 'GET', `/api/v1/evalin/reports/periods/${published[0].id}`, { token: world.admin });
    const instructor = await api.must<{ document_number: string }>(200, 'GET', `/api/v1/users/${report.results.instructors[0].instructor_id}`, { token: world.admin });
    const page = await staffPage(instructor.document_number);
    await page.goto(`${gateway}/resultados`);
    await page.getByRole('heading', { name: 'Mis resultados', level: 1 }).waitFor();
    await page.getByText('Promedio general').or(page.getByText(/^(Resultados|Promedios) reservados/)).first().waitFor();
    await shot(page, 'mis-resultados');
    await expectAccessible(page, 'instructor /resultados');
  }, 90_000);

  it('when the administrative staff opens the active period, then participation and reminders are there and results are not offered', async () => {
    const shot = stepper('5d-administrativo');
    browser ??= await launch();
    const page = await staffPage('52987345');
    await page.goto(`${gateway}/evaluaciones/admin/${world.periodId}`);
    await page.getByRole('heading', { name: 'Recordatorios' }).waitFor();
    await page.locator('tbody tr').first().waitFor();
    expect(await page.getByText('Resultados', { exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Enviar recordatorio' }).click();
    await page.getByText(/recordatorios enviados de \d+ aprendices pendientes/).waitFor();
    await shot(page, 'recordatorio');
    await expectAccessible(page, 'administrativo período');
  }, 90_000);

  it('when the admin adds a question to the bank and activates the demo draft period, then the question is listed and the period is scheduled, and back to draft', async () => {
    const shot = stepper('5e-admin');
    browser ??= await launch();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'es-CO', timezoneId: 'America/Bogota' });
    const page = await context.newPage();
    await page.goto(`${gateway}/login`);
    await page.getByLabel(/^Documento o correo/).fill(ADMIN.email);
    await page.getByLabel(/^Contraseña/).fill(ADMIN.next);
    await page.getByRole('button', { name: 'Ingresar' }).click();
    await page.waitForURL((u) => u.pathname !== '/login');

    const text = 'El instructor usa ejemplos de proyectos reales del sector.';
    await page.goto(`${gateway}/evaluaciones/admin?vista=preguntas`);
    await page.getByRole('heading', { name: 'Nueva pregunta' }).waitFor();
    await page.getByLabel(/^Texto/).fill(text);
    await page.getByLabel(/^Categoría/).fill('Pertinencia');
    await page.getByRole('button', { name: 'Crear pregunta' }).click();
    await page.getByLabel('Buscar pregunta').fill('proyectos reales');
    await page.locator('li', { hasText: text }).waitFor();
    await shot(page, 'pregunta-creada');

    // The CSV upload is all or nothing: a file with a bad row is refused row by row, a good one is loaded.
    const csv = (rows: string[]) => ({ name: 'preguntas.csv', mimeType: 'text/csv', buffer: Buffer.from(['text;question_type;category', ...rows].join('\n') + '\n') });
    await page.locator('input[type="file"]').setInputFiles(csv(['El instructor propone retos conectados con la industria.;escala;Pertinencia', 'Corta;likert;Pertinencia']));
    await page.getByRole('button', { name: 'Cargar', exact: true }).click();
    await page.getByText(/^Fila 3/).waitFor();
    await shot(page, 'csv-con-errores');
    await expectAccessible(page, 'admin carga CSV con errores');
    await page.locator('input[type="file"]').setInputFiles(csv(['El instructor propone retos conectados con la industria.;escala;Pertinencia']));
    await page.getByRole('button', { name: 'Cargar', exact: true }).click();
    await page.getByText(/^Cargado: 1 fila · nuevas 1/).waitFor();
    const loaded = await api.must<Array<{ question_type: string }>>(200, 'GET', '/api/v1/evalin/questions?search=retos%20conectados', { token: world.admin });
    expect(loaded).toMatchObject([{ question_type: 'likert' }]);
    await expectAccessible(page, 'admin preguntas');
    const created = await api.must<Array<{ text: string; question_type: string; category: string }>>(200, 'GET', '/api/v1/evalin/questions?search=proyectos%20reales', { token: world.admin });
    expect(created).toMatchObject([{ text, question_type: 'likert', category: 'Pertinencia' }]);

    await page.goto(`${gateway}/evaluaciones/admin?vista=cuestionarios`);
    const short = page.locator('li', { hasText: 'Seguimiento corto de la formación' });
    await short.getByRole('button', { name: 'Ver preguntas' }).click();
    await short.getByRole('button', { name: /^Subir: / }).first().waitFor();
    await shot(page, 'cuestionario');
    await expectAccessible(page, 'admin cuestionarios');

    await page.goto(`${gateway}/evaluaciones/admin?estado=draft`);
    const draft = page.locator('[data-period]').first();
    const name = (await draft.getByRole('link').textContent())!;
    await draft.getByRole('link').click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Activar' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Activar' }).click();
    await page.getByText('Programado', { exact: true }).waitFor();
    await shot(page, 'periodo-programado');
    await expectAccessible(page, 'admin período programado');
    await page.getByRole('button', { name: 'Volver a borrador' }).click();
    await page.getByText('Borrador', { exact: true }).waitFor();
    const period = await api.must<{ status: string }>(200, 'GET', `/api/v1/evalin/periods/${new URL(page.url()).pathname.split('/').pop()}`, { token: world.admin });
    expect(period.status).toBe('draft');
    await page.getByRole('button', { name: 'Editar' }).click();
    await page.getByRole('dialog').getByLabel(/^Nombre/).fill(`${name} (revisado)`);
    await page.getByRole('dialog').getByRole('button', { name: 'Guardar' }).click();
    await page.getByRole('heading', { name: `${name} (revisado)`, level: 1 }).waitFor();

    await page.goto(`${gateway}/evaluaciones/admin?vista=nuevo`);
    await page.getByRole('heading', { name: /^Nuevo período/ }).waitFor();
    await shot(page, 'nuevo-periodo');
    await expectAccessible(page, 'admin nuevo período');
  }, 120_000);
});
