import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createMemoryHistory } from '@tanstack/react-router';
import { createSicoraClient } from '@sicora/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App, createQueryClient } from '../src/app/app.tsx';
import { authedFetch } from '../src/lib/api.ts';
import { createSession, REFRESH_KEY } from '../src/lib/session.ts';
import { envelope, failure, fakeJwt, memoryStorage } from './helpers.tsx';

afterEach(cleanup);

const exp = Math.floor(Date.now() / 1000) + 3600;
const claims = { sub: 'u1', role: 'aprendiz', name: 'Ana Alba Primera', group_number: '2826503', exp };
const POLICY = { min_length: 10, max_length: 128, require_lower: true, require_upper: true, require_digit: true, require_symbol: true, forbidden_words: ['sena'] };

describe('forced password change (users A6) in the app', () => {
  it('when the token says must_change_password, then every route leads to the change; WEAK_PASSWORD marks the field and keeps what was typed; the new pair is stored and Inicio opens', async () => {
    const storage = memoryStorage();
    const session = createSession({ storage, refresh: vi.fn() });
    session.establish({ access_token: fakeJwt({ ...claims, must_change_password: true }), refresh_token: 'r-primera' });
    let attempts = 0;
    const server = vi.fn(async (req: Request) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/v1/auth/password-policy') return envelope(POLICY);
      if (path === '/api/v1/auth/change-password') {
        attempts += 1;
        if (attempts === 1) return failure(422, 'WEAK_PASSWORD', 'La contraseña no cumple la política', { rules: ['personal_data'] });
        return envelope({ access_token: fakeJwt({ ...claims, must_change_password: false }), refresh_token: 'r-nueva', must_change_password: false });
      }
      if (path === '/api/v1/attendance/me/classes') return envelope([]);
      if (path === '/api/v1/attendance/summary') return envelope({ attendance_pct: 96.5, total_absent: 1, total_late: 0, pending_justifications: 0, open_alerts: [] });
      if (path === '/api/v1/notifications/inbox/unread-count') return envelope({ unread: 2 });
      return failure(404, 'NOT_FOUND');
    });
    const fetcher = authedFetch(session, server as never);
    const api = createSicoraClient({ baseUrl: 'http://sicora.test', fetch: fetcher });
    render(<App services={{ session, api, baseUrl: 'http://sicora.test', authedFetch: fetcher }} queryClient={createQueryClient()} history={createMemoryHistory({ initialEntries: ['/asistencia'] })} />);

    expect(await screen.findByRole('heading', { name: 'Cambiar contraseña' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/^Contraseña actual/), { target: { value: '1023456021' } });
    fireEvent.change(screen.getByLabelText(/^Nueva contraseña/), { target: { value: 'Ana#Alba-2027x' } });
    fireEvent.change(screen.getByLabelText(/^Confirme la nueva contraseña/), { target: { value: 'Ana#Alba-2027x' } });
    expect(await screen.findByText('Un símbolo (por ejemplo # o !)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Guardar contraseña' }));

    expect(await screen.findByText('No use su documento, nombre, apellido ni correo.')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('La contraseña no cumple la política');
    expect((screen.getByLabelText(/^Nueva contraseña/) as HTMLInputElement).value).toBe('Ana#Alba-2027x');
    expect(storage.getItem(REFRESH_KEY)).toBe('r-primera');

    fireEvent.change(screen.getByLabelText(/^Nueva contraseña/), { target: { value: 'Clase#Movil-2027w' } });
    fireEvent.change(screen.getByLabelText(/^Confirme la nueva contraseña/), { target: { value: 'Clase#Movil-2027w' } });
    fireEvent.click(screen.getByRole('button', { name: 'Guardar contraseña' }));
    expect(await screen.findByRole('heading', { name: 'Hola, Ana' })).toBeTruthy();
    expect(storage.getItem(REFRESH_KEY)).toBe('r-nueva');
    expect(session.getState().claims?.must_change_password).toBe(false);
    await waitFor(() => expect(screen.getByText('96,5 %')).toBeTruthy());
  });
});
