import { afterEach, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { demoEnabled, loadConfig } from '../src/config.ts';
import { demoUserId, seedUsersDemo } from '../src/seed/demo.seed.ts';
import { bearer, startUsers, type Harness } from './harness.ts';

// A9 (users.md §4.1, web.md §3): the demo accounts of the sign-in screen, through HTTP.
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const get = (app: Harness['app']) => app.inject({ method: 'GET', url: '/api/v1/auth/demo-accounts' });

describe('A9 GET /api/v1/auth/demo-accounts', () => {
  it('when SICORA_DEMO=true and the demo seed has completed, then 200 without a token: one account per role from §11 with the document-number rule', async () => {
    h = await startUsers({ env: { SICORA_DEMO: 'true' } });
    await seedUsersDemo(h.db);
    const res = await get(h.app);
    expect(expectOk(res)).toEqual([
      { role: 'coordinador', full_name: 'Martha Lucía Herrera Castro', document_number: '51876234', first_password_rule: 'document_number' },
      { role: 'administrativo', full_name: 'Diana Marcela Pardo Ríos', document_number: '52987345', first_password_rule: 'document_number' },
      { role: 'instructor', full_name: 'Carlos Andrés Rodríguez Peña', document_number: '79845123', first_password_rule: 'document_number' },
      { role: 'aprendiz', full_name: 'Laura Valentina Gómez Ruiz', document_number: '1023456021', first_password_rule: 'document_number' },
    ]);
    // The listed account signs in with its document number as the first password (R7, §11).
    const login = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: '51876234', password: '51876234' } }));
    expect(login.must_change_password).toBe(true);
  });

  it('when a demo person has been deactivated or deleted, then the next one of that role is offered', async () => {
    h = await startUsers({ env: { SICORA_DEMO: 'true' } });
    await seedUsersDemo(h.db);
    const { token } = await h.tokenFor('admin');
    expectOk(await h.app.inject({ method: 'POST', url: `/api/v1/users/${demoUserId(2)}/deactivate`, headers: bearer(token), payload: {} }));
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/users/${demoUserId(21)}`, headers: bearer(token) })).statusCode).toBe(204);
    const accounts = expectOk<Array<{ role: string; document_number: string }>>(await get(h.app));
    expect(accounts.map((a) => [a.role, a.document_number])).toEqual([
      ['coordinador', '79456120'], ['administrativo', '52987345'], ['instructor', '79845123'], ['aprendiz', '1023456022'],
    ]);
  });

  it('when the demo seed has not run, then 404 NOT_FOUND even with SICORA_DEMO=true', async () => {
    h = await startUsers({ env: { SICORA_DEMO: 'true' } });
    expectError(await get(h.app), 404, 'NOT_FOUND');
  });

  it('when SICORA_DEMO=false, then 404 NOT_FOUND although the demo seed has completed', async () => {
    h = await startUsers({ env: { SICORA_DEMO: 'false' } });
    await seedUsersDemo(h.db);
    expectError(await get(h.app), 404, 'NOT_FOUND');
  });

  it('when SICORA_DEMO is unset, then it is on for the embedded database (sicora start) and off with a database URL (sicora serve)', () => {
    expect(demoEnabled(loadConfig({ LOG_LEVEL: 'silent' }))).toBe(true);
    expect(demoEnabled(loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: 'postgres://u@127.0.0.1:5432/x' }))).toBe(false);
    expect(demoEnabled(loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: 'postgres://u@127.0.0.1:5432/x', SICORA_DEMO: 'true' }))).toBe(true);
    expect(demoEnabled(loadConfig({ LOG_LEVEL: 'silent', SICORA_DEMO: 'no' }))).toBe(false);
  });

  it('documents A9 as public with its 200 and 404 answers', async () => {
    h = await startUsers({ env: { SICORA_DEMO: 'false' } });
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const op = doc.paths['/api/v1/auth/demo-accounts'].get;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '404']));
    expect(op.security ?? []).toEqual(doc.paths['/api/v1/auth/password-policy'].get.security ?? []);
    expect(op.responses['200'].content['application/json'].schema.properties.data.items.required).toEqual(['role', 'full_name', 'document_number', 'first_password_rule']);
  });
});
