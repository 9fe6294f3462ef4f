/**
 * What the Ayuda/Asistente journey needs besides web.support.ts: a phone-sized page, one apprentice of a
 * demo ficha imported through the API, and the first sign-in with the forced password change in the UI.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { gatewayClient } from './attendance.support.ts';
import { expectAccessible } from './web.support.ts';

export type Shot = (page: Page, name: string) => Promise<void>;

export async function phone(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'es-CO', timezoneId: 'America/Bogota' });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.warn(`page error: ${err.message}`));
  return { context, page };
}

/** One apprentice in the demo ficha 2826503 (users import, admin token); returns the document number. */
export async function importApprentice(api: ReturnType<typeof gatewayClient>, adminToken: string): Promise<string> {
  const tag = String(Date.now()).slice(-6);
  const doc = `13${tag}7`;
  const csv = ['first_name,last_name,email,document_type,document_number,role,group_number', `Paula,Pregunta Mucho,web.ayuda.${tag}@e2e.sicora.test,CC,${doc},aprendiz,2826503`].join('\n');
  const form = new FormData();
  form.append('file', new Blob([`${csv}\n`], { type: 'text/csv' }), 'personas.csv');
  const imported = await api.must<{ created_users: Array<{ document_number: string }> }>(201, 'POST', '/api/v1/users/import', { token: adminToken, form });
  expect(imported.created_users.map((u) => u.document_number)).toEqual([doc]);
  return doc;
}

/** Sign-in with the first password (the document number) and the forced change (users A6) through the UI. */
export async function firstSignIn(page: Page, gateway: string, doc: string, newPassword: string, shot: Shot, where: string): Promise<void> {
  await page.goto(`${gateway}/`);
  await page.getByRole('heading', { name: 'Ingresar' }).waitFor();
  await shot(page, 'ingresar');
  await expectAccessible(page, `${where} /login`);
  await page.getByLabel(/^Documento o correo/).fill(doc);
  await page.getByLabel(/^Contraseña/).fill(doc);
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await page.getByRole('heading', { name: 'Cambiar contraseña' }).waitFor();
  await page.getByLabel(/^Contraseña actual/).fill(doc);
  await page.getByLabel(/^Nueva contraseña/).fill(newPassword);
  await page.getByLabel(/^Confirme la nueva contraseña/).fill(newPassword);
  await page.getByRole('button', { name: 'Guardar contraseña' }).click();
  await page.getByRole('heading', { name: /^Hola/ }).waitFor();
}

/** Opens a screen from the shell's menu (the burger on a phone). */
export async function openFromMenu(page: Page, label: string): Promise<void> {
  const burger = page.getByRole('button', { name: 'Abrir menú' });
  if (await burger.isVisible()) await burger.click();
  await page.getByRole('link', { name: label, exact: true }).first().click();
}
