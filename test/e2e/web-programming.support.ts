/**
 * What the Programación and Sistema journey needs beside web.support.ts: a first sign-in with the forced
 * change through the UI (for any identifier), and the pick of one option in a Mantine Select.
 */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectAccessible } from './web.support.ts';

export type Shot = (page: Page, name: string) => Promise<void>;

/** Sign-in with the first password, then users A6's forced change; returns once the shell shows `landmark`. */
export async function firstSignIn(page: Page, base: string, opts: { identifier: string; password: string; next: string; shot: Shot; where: string; landmark: string }): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: 'Ingresar' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/login');
  await opts.shot(page, 'ingresar');
  await expectAccessible(page, `${opts.where} /login`);
  await page.getByLabel(/^Documento o correo/).fill(opts.identifier);
  await page.getByLabel(/^Contraseña/).fill(opts.password);
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await page.getByRole('heading', { name: 'Cambiar contraseña' }).waitFor();
  await page.getByLabel(/^Contraseña actual/).fill(opts.password);
  await page.getByLabel(/^Nueva contraseña/).fill(opts.next);
  await page.getByLabel(/^Confirme la nueva contraseña/).fill(opts.next);
  await opts.shot(page, 'cambio-obligatorio');
  await expectAccessible(page, `${opts.where} /cambiar-contrasena`);
  await page.getByRole('button', { name: 'Guardar contraseña' }).click();
  await page.getByRole('link', { name: opts.landmark }).first().waitFor();
}

/** Opens the Select labelled `label` inside `scope` and clicks the option named `option`. */
export async function pick(scope: Locator, page: Page, label: string | RegExp, option: string | RegExp): Promise<void> {
  const input = scope.getByRole('textbox', { name: label }).or(scope.getByLabel(label)).first();
  await input.click();
  const listbox = page.locator(`#${await waitForAttribute(input, 'aria-controls')}`);
  await listbox.getByRole('option', { name: option, exact: typeof option === 'string' }).click();
}

async function waitForAttribute(locator: Locator, name: string): Promise<string> {
  let value: string | null = null;
  await expect.poll(async () => (value = await locator.getAttribute(name)), { timeout: 5_000 }).toBeTruthy();
  return value!;
}
