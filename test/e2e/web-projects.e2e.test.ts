import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayClient, smallPdf } from './attendance.support.ts';
import { portEnv, runSicora, tempDataDir, waitFor, type Child } from './support.ts';
import { buildWebApp, expectAccessible, HAS_CHROMIUM, launch, stepper } from './web.support.ts';
import { buildProject, P, patientSignIn, PEOPLE_PASSWORD, signInUi, type ProjectWorld } from './web-projects.support.ts';

// web.md §4 projects area in headless Chromium against a real `sicora start` (demo data loaded): the team,
// project, rubric and deliverable are made through the API (as the projecteval journey does); then
// (1) an apprentice opens Mis proyectos on a 360 px phone and uploads a PDF through the form (P81's limits
//     shown, progress, P39 multipart);
// (2) a juror instructor confirms the invitation on Jurado (P51) and, once the session started, scores the
//     submission against the rubric through the UI: draft first, then completed (P58, P60, P61);
// (3) after the chair's score, completion and publication (API), the apprentice sees the grade with the
//     rubric breakdown; (4) the coordinator's /proyectos/admin with its rubrics.
// A screenshot per step goes to test-artifacts/web/; axe-core checks every page. Skipped without Chromium.
const SKIP = HAS_CHROMIUM ? null : 'web journeys skipped: /usr/bin/chromium is missing (Debian package chromium; .ci/run installs it)';
if (SKIP) console.warn(SKIP);

const ADMIN = { email: 'admin@sicora.sena.edu.co', password: 'E2e#WebProy-2026x', next: 'Pasarela#Proy-2027q' };

let gateway = '';
const raw = gatewayClient(() => gateway);
let lastCall = '';
/** The gateway client, remembering the last call so a failed set-up names its step. */
const api: typeof raw = {
  ...raw,
  call: (method, path, opts) => ((lastCall = `${method} ${path}`), raw.call(method, path, opts)),
  must: (status, method, path, opts) => ((lastCall = `${method} ${path}`), raw.must(status, method, path, opts)),
};
let dataDir: string | undefined;
let child: Child | undefined;
let browser: Browser | undefined;
let admin = '';
let world: ProjectWorld;
let submissionId = '';
let sessionId = '';
let anaPage: Page;
const anaShot = stepper('proyectos-1-aprendiz');

async function page(size: 'phone' | 'laptop'): Promise<Page> {
  const viewport = size === 'phone' ? { width: 360, height: 640 } : { width: 1366, height: 768 };
  const context = await browser!.newContext({ viewport, locale: 'es-CO', timezoneId: 'America/Bogota' });
  const p = await context.newPage();
  p.on('pageerror', (err) => console.warn(`page error: ${err.message}`));
  return p;
}

describe.skipIf(SKIP !== null)('web: projects (Mis proyectos, Jurado, Proyectos)', () => {
  beforeAll(async () => {
    await buildWebApp();
    const { env, urls } = await portEnv();
    gateway = urls.gateway;
    dataDir = tempDataDir();
    child = runSicora(['start'], { ...env, SICORA_DATA_DIR: dataDir, SICORA_ADMIN_EMAIL: ADMIN.email, SICORA_ADMIN_PASSWORD: ADMIN.password, DATABASE_URL: '', REDIS_URL: '' });
    // A loaded machine (several platforms at once) may need more than the usual 90 s to be healthy.
    await waitFor(`${gateway}/health`, child, { timeoutMs: 180_000 });
    try {
      admin = await patientSignIn(api, ADMIN.email, ADMIN.password, ADMIN.next);
      world = await buildProject(api, admin);
    } catch (err) {
      console.warn(`failed at ${lastCall}: ${String((err as Error).stack).slice(0, 800)}`);
      console.warn(`platform output:\n${child.output().slice(-6000)}`);
      throw err;
    }
    browser = await launch();
  }, 360_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await child?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('(1) when an apprentice opens Mis proyectos on a phone, then the team, ideas and deliverable show, and a PDF goes up through the form', async () => {
    const shot = anaShot;
    const [ana] = world.apprentices;
    anaPage = await page('phone');
    const p = anaPage;
    await signInUi(p, gateway, '/proyectos', ana.doc, PEOPLE_PASSWORD);
    await p.getByRole('heading', { name: world.teamName }).waitFor();
    await p.getByText('Idea aprobada: Inventario de la panadería escolar.').waitFor();
    await p.getByText(world.deliverable.title).waitFor();
    expect(await p.getByText('Ana Alba Primera (usted)', { exact: false }).count()).toBe(1);
    await shot(p, 'mis-proyectos');
    await expectAccessible(p, 'aprendiz /proyectos');
    // Phone first: nothing wider than the screen.
    expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);

    await p.getByRole('button', { name: 'Entregar', exact: true }).click();
    const form = p.getByRole('form', { name: `Entregar ${world.deliverable.title}` });
    await form.getByText(/Hasta 5 archivos de 25 MB cada uno \(100 MB en total\)/).waitFor();
    await expect.poll(() => form.getByText(/\.pdf .*\.md .*\.zip/).count()).toBe(1);
    // A type the API refuses is caught before sending.
    await form.locator('input[type="file"]').setInputFiles({ name: 'virus.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
    await form.getByText('virus.exe: tipo de archivo no permitido.').waitFor();
    expect(await form.getByRole('button', { name: 'Enviar entrega' }).isDisabled()).toBe(true);
    await form.locator('input[type="file"]').setInputFiles({ name: 'informe-prototipo.pdf', mimeType: 'application/pdf', buffer: Buffer.from(smallPdf('Informe del prototipo')) });
    await form.getByLabel('Enlace al repositorio').fill('https://github.com/sena/prototipo-web');
    await shot(p, 'entregar');
    await expectAccessible(p, 'aprendiz /proyectos entregar');
    await form.getByRole('button', { name: 'Enviar entrega' }).click();
    await p.getByText('Entrega enviada. Su asesor recibe un aviso.').waitFor({ timeout: 15_000 });
    await p.getByText('Archivo: informe-prototipo.pdf').waitFor();
    await shot(p, 'entregado');
    await expectAccessible(p, 'aprendiz /proyectos entregado');

    const subs = await api.must<Array<{ id: string; version: number; status: string; repository_url: string; files: Array<{ original_name: string; size_bytes: number }> }>>(200, 'GET', `${P}/submissions?deliverable_id=${world.deliverable.id}`, { token: world.advisor.token });
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ version: 1, status: 'submitted', repository_url: 'https://github.com/sena/prototipo-web' });
    submissionId = subs[0].id;
    const detail = await api.must<{ files: Array<{ original_name: string; size_bytes: number }> }>(200, 'GET', `${P}/submissions/${submissionId}`, { token: world.advisor.token });
    expect(detail.files).toEqual([expect.objectContaining({ original_name: 'informe-prototipo.pdf', size_bytes: smallPdf('Informe del prototipo').length })]);
  }, 120_000);

  it('(2) when the juror confirms on Jurado and the session starts, then the submission is scored through the rubric form: draft, then completed', async () => {
    const shot = stepper('proyectos-2-jurado');
    // The session (advisor chairs, two jurors) starts in 5 minutes: inside R28's 15-minute window.
    const session = await api.must<{ id: string }>(201, 'POST', `${P}/sessions`, {
      token: world.advisor.token,
      json: { title: 'Sustentación del prototipo web', session_type: 'progress_review', starts_at: new Date(Date.now() + 5 * 60_000).toISOString(), location: 'Ambiente 301', juror_ids: [world.advisor.id, world.juror.id], chair_id: world.advisor.id, submission_ids: [submissionId] },
    });
    sessionId = session.id;
    await api.must(200, 'POST', `${P}/sessions/${sessionId}/respond`, { token: world.advisor.token, json: { response: 'confirm' } });

    const p = await page('phone');
    await signInUi(p, gateway, '/jurado', world.juror.doc, PEOPLE_PASSWORD);
    await p.getByText('Sustentación del prototipo web').first().waitFor();
    await p.getByRole('button', { name: 'Confirmar asistencia' }).waitFor();
    await shot(p, 'invitacion');
    await expectAccessible(p, 'instructor /jurado');
    // P51 only seats jurors who confirmed: without a confirmation the session cannot start.
    const early = await api.call('POST', `${P}/sessions/${sessionId}/start`, { token: world.advisor.token });
    expect([early.status, (early.body as unknown as { error: { code: string; details: { reason: string } } }).error.details.reason]).toEqual([409, 'jury_not_confirmed']);
    await p.getByRole('button', { name: 'Confirmar asistencia' }).click();
    await p.getByText('No tiene invitaciones por responder.').waitFor();
    await p.getByText(/Usted: Confirmado/).waitFor();
    await shot(p, 'confirmado');

    expect((await api.must<{ status: string }>(200, 'POST', `${P}/sessions/${sessionId}/start`, { token: world.advisor.token })).status).toBe('in_progress');
    await p.reload();
    const scoreLink = p.getByRole('link', { name: `Calificar ${world.teamName}: ${world.deliverable.title}` });
    await scoreLink.waitFor();
    await shot(p, 'por-calificar');
    await expectAccessible(p, 'instructor /jurado por calificar');
    await scoreLink.click();
    await p.getByRole('heading', { name: 'Calificar entrega' }).waitFor();
    await p.getByText('Peso 60 %').waitFor();
    await p.getByLabel('Nota de Producto').fill('80');
    await p.getByLabel('Comentario sobre Producto').fill('El inventario funciona; faltan reportes.');
    await expect.poll(() => p.getByTestId('total').textContent()).toBe('Nota ponderada: —');
    await p.getByRole('button', { name: 'Guardar borrador' }).click();
    await p.getByText('Borrador guardado.').waitFor();
    await shot(p, 'borrador');
    await expectAccessible(p, 'instructor /jurado/evaluar borrador');
    const draft = await api.must<Array<{ status: string; scores: Array<{ score: number }> }>>(200, 'GET', `${P}/evaluations?submission_id=${submissionId}&evaluator_id=${world.juror.id}`, { token: world.juror.token });
    expect(draft).toMatchObject([{ status: 'draft', scores: [{ score: 80 }] }]);

    await p.getByLabel('Nota de Sustentación').fill('70');
    // 80 × 0.6 + 70 × 0.4 = 76.0 → C
    await expect.poll(() => p.getByTestId('total').textContent()).toBe('Nota ponderada: 76,0 · C Aceptable');
    await p.getByRole('button', { name: 'Completar evaluación' }).click();
    await p.getByText('Evaluación completada.').waitFor();
    await p.getByRole('button', { name: 'Reabrir para corregir' }).waitFor();
    await shot(p, 'completada');
    await expectAccessible(p, 'instructor /jurado/evaluar completada');
    const done = await api.must<Array<{ status: string; total_score: number; band_code: string }>>(200, 'GET', `${P}/evaluations?submission_id=${submissionId}&evaluator_id=${world.juror.id}`, { token: world.juror.token });
    expect(done).toMatchObject([{ status: 'completed', total_score: 76, band_code: 'C' }]);
    await p.context().close();
  }, 120_000);

  it('(3) when the chair scores, completes and publishes, then the apprentice sees the grade with the rubric breakdown', async () => {
    const chair = { token: world.advisor.token };
    const [product, talk] = world.rubric.criteria;
    const e = await api.must<{ id: string }>(201, 'POST', `${P}/submissions/${submissionId}/evaluations`, { ...chair, json: { session_id: sessionId, scores: [{ criterion_id: product.id, score: 90 }, { criterion_id: talk.id, score: 80 }] } });
    await api.must(200, 'POST', `${P}/evaluations/${e.id}/complete`, chair);
    await api.must(200, 'POST', `${P}/sessions/${sessionId}/complete`, chair);
    // 86.0 and 76.0 → 81.0, band B.
    expect(await api.must<{ status: string; final_score: number }>(200, 'POST', `${P}/submissions/${submissionId}/publish`, chair)).toMatchObject({ status: 'published', final_score: 81 });

    const p = anaPage;
    await p.reload();
    await p.getByText('Nota: 81,0 · Bueno').waitFor();
    await p.getByRole('button', { name: 'Ver detalle de la calificación' }).click();
    await p.getByText('Nota final: 81,0').waitFor();
    const table = p.getByRole('table', { name: 'Promedio por criterio' });
    await expect.poll(() => table.getByRole('row').allTextContents()).toEqual(['CriterioPesoPromedio', 'Producto60 %85,0', 'Sustentación40 %75,0']);
    await p.getByText('El inventario funciona; faltan reportes.', { exact: false }).waitFor();
    await anaShot(p, 'calificacion');
    await expectAccessible(p, 'aprendiz /proyectos calificación');
    expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
  }, 60_000);

  it('(4) when the coordination opens Proyectos, then teams, ideas, rubrics with their weight sums and sessions are listed', async () => {
    const shot = stepper('proyectos-3-coordinacion');
    const p = await page('laptop');
    await signInUi(p, gateway, '/proyectos/admin', ADMIN.email, ADMIN.next);
    await p.getByText(world.teamName).waitFor();
    await shot(p, 'equipos');
    await expectAccessible(p, 'admin /proyectos/admin equipos');
    await p.getByRole('tab', { name: 'Rúbricas' }).click();
    // The demo's draft rubric totals 90 (projecteval §11): the editor shows the sum and withholds Activar.
    await p.getByRole('button', { name: 'Editar Rúbrica de entrega final' }).click();
    await p.getByTestId('weight-total').getByText('Suma de pesos: 90 de 100').waitFor();
    expect(await p.getByRole('button', { name: 'Activar' }).isDisabled()).toBe(true);
    await shot(p, 'rubrica-borrador');
    await expectAccessible(p, 'admin /proyectos/admin rúbricas');
    await p.getByRole('tab', { name: 'Sesiones y jurados' }).click();
    await p.getByText('Sustentación del prototipo web').waitFor();
    await shot(p, 'sesiones');
    await expectAccessible(p, 'admin /proyectos/admin sesiones');
    await p.context().close();
  }, 60_000);
});
