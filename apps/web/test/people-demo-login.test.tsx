import { cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryHistory } from '@tanstack/react-router';
import { createSicoraClient } from '@sicora/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App, createQueryClient } from '../src/app/app.tsx';
import { authedFetch } from '../src/lib/api.ts';
import { createSession } from '../src/lib/session.ts';
import { envelope, failure, memoryStorage } from './helpers.tsx';

afterEach(cleanup);
configure({ asyncUtilTimeout: 5000 });

const ACCOUNTS = [
  { role: 'coordinador', full_name: 'Martha Lucía Herrera Castro', document_number: '51876234', first_password_rule: 'document_number' },
  { role: 'administrativo', full_name: 'Diana Marcela Pardo Ríos', document_number: '52987345', first_password_rule: 'document_number' },
  { role: 'instructor', full_name: 'Carlos Andrés Rodríguez Peña', document_number: '79845123', first_password_rule: 'document_number' },
  { role: 'aprendiz', full_name: 'Laura Valentina Gómez Ruiz', document_number: '1023456021', first_password_rule: 'document_number' },
];

function signInScreen(demo: () => Response) {
  const server = vi.fn(async (req: Request) => (new URL(req.url).pathname === '/api/v1/auth/demo-accounts' ? demo() : failure(404, 'NOT_FOUND')));
  const session = createSession({ storage: memoryStorage(), refresh: vi.fn() });
  const fetcher = authedFetch(session, server as never);
  const api = createSicoraClient({ baseUrl: 'http://sicora.test', fetch: fetcher });
  render(<App services={{ session, api, baseUrl: 'http://sicora.test', authedFetch: fetcher }} queryClient={createQueryClient()} history={createMemoryHistory({ initialEntries: ['/login'] })} />);
  return server;
}

describe('sign-in demo accounts (users A9, web.md §3)', () => {
  it('when A9 answers 200, then "Cuentas de demostración" lists one account per role with its document, and "Usar" fills the form', async () => {
    signInScreen(() => envelope(ACCOUNTS));
    const section = await screen.findByRole('region', { name: 'Cuentas de demostración' });
    const items = within(section).getAllByRole('listitem');
    expect(items.map((i) => i.textContent?.split('Documento')[0])).toEqual([
      'Coordinador: Martha Lucía Herrera Castro', 'Administrativo: Diana Marcela Pardo Ríos', 'Instructor: Carlos Andrés Rodríguez Peña', 'Aprendiz: Laura Valentina Gómez Ruiz',
    ]);
    expect(items[0].textContent).toContain('Documento 51876234 · contraseña inicial: el mismo documento');
    fireEvent.click(within(section).getByRole('button', { name: 'Usar la cuenta de Instructor' }));
    expect((screen.getByLabelText(/^Documento o correo/) as HTMLInputElement).value).toBe('79845123');
    expect((screen.getByLabelText(/^Contraseña/) as HTMLInputElement).value).toBe('79845123');
  });

  it('when A9 answers 404, then the sign-in screen shows no demo accounts', async () => {
    const server = signInScreen(() => failure(404, 'NOT_FOUND', 'No hay cuentas de demostración en esta instalación'));
    expect(await screen.findByRole('heading', { name: 'Ingresar' })).toBeTruthy();
    await waitFor(() => expect(server.mock.calls.some(([r]) => new URL((r as Request).url).pathname === '/api/v1/auth/demo-accounts')).toBe(true));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByText('Cuentas de demostración')).toBeNull();
    expect(server.mock.calls.filter(([r]) => new URL((r as Request).url).pathname === '/api/v1/auth/demo-accounts')).toHaveLength(1);
  });
});
