import { cleanup, render, screen, within } from '@testing-library/react';
import { createMemoryHistory } from '@tanstack/react-router';
import { createSicoraClient } from '@sicora/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App, createQueryClient } from '../src/app/app.tsx';
import { authedFetch } from '../src/lib/api.ts';
import { createSession } from '../src/lib/session.ts';
import { envelope, failure, fakeJwt, memoryStorage } from './helpers.tsx';

afterEach(cleanup);

const exp = Math.floor(Date.now() / 1000) + 3600;
const instructor = (id: string, name: string, status: string) => ({ instructor_id: id, instructor_name: name, subjects: ['Bases de datos'], status, evaluation_id: status === 'pending' ? null : `e-${id}`, submitted_at: status === 'submitted' ? '2026-12-01T15:00:00Z' : null });

function renderAt(path: string, role: string, server: (path: string) => Response) {
  const session = createSession({ storage: memoryStorage(), refresh: vi.fn() });
  session.establish({ access_token: fakeJwt({ sub: 'u1', role, name: 'Ana Alba', group_number: '2826503', exp }), refresh_token: 'r' });
  const fetcher = authedFetch(session, (async (req: Request) => {
    const p = new URL(req.url).pathname;
    if (p === '/api/v1/evalin/config') return envelope({ settings: { min_responses_for_results: 5 }, limits: {}, version: 1 });
    if (p === '/api/v1/notifications/inbox/unread-count') return envelope({ unread: 0 });
    return server(p);
  }) as never);
  const api = createSicoraClient({ baseUrl: 'http://sicora.test', fetch: fetcher });
  render(<App services={{ session, api, baseUrl: 'http://sicora.test', authedFetch: fetcher }} queryClient={createQueryClient()} history={createMemoryHistory({ initialEntries: [path] })} />);
}

describe('Evaluar instructores (evalin E30) at /evaluaciones', () => {
  it('when a period is open, then pending and draft instructors offer Evaluar / Continuar, a submitted one only its badge, and the anonymity promise quotes the threshold; a suspended period offers nothing', async () => {
    renderAt('/evaluaciones', 'aprendiz', (p) =>
      p === '/api/v1/evalin/instructors-to-evaluate'
        ? envelope({
            periods: [
              { period_id: 'p1', name: 'Evaluación 2026-T4', end_date: '2026-12-21T04:59:59Z', days_remaining: 14, is_open: true, total: 3, submitted: 1, instructors: [instructor('i1', 'Carlos Rodríguez', 'pending'), instructor('i2', 'Luz Moreno', 'draft'), instructor('i3', 'Paola Vargas', 'submitted')] },
              { period_id: 'p2', name: 'Seguimiento corto', end_date: '2026-12-30T04:59:59Z', days_remaining: 23, is_open: false, total: 1, submitted: 0, instructors: [instructor('i1', 'Carlos Rodríguez', 'pending')] },
            ],
          })
        : failure(404, 'NOT_FOUND'),
    );
    expect(await screen.findByRole('heading', { name: 'Evaluación 2026-T4' }, { timeout: 10_000 })).toBeTruthy();
    const open = within(screen.getByRole('region', { name: 'Evaluación 2026-T4' }));
    expect(open.getByRole('link', { name: 'Evaluar: Carlos Rodríguez' }).getAttribute('href')).toBe('/evaluaciones/i1?periodo=p1');
    expect(open.getByRole('link', { name: 'Continuar: Luz Moreno' })).toBeTruthy();
    expect(open.queryByRole('link', { name: /Paola Vargas/ })).toBeNull();
    expect(open.getByText('Enviada')).toBeTruthy();
    expect(open.getByText('Evaluados 1 de 3')).toBeTruthy();
    const suspended = within(screen.getByRole('region', { name: 'Seguimiento corto' }));
    expect(suspended.getByText('Período suspendido')).toBeTruthy();
    expect(suspended.queryByRole('link')).toBeNull();
    expect(screen.getByText(/solo si al menos 5 aprendices lo evaluaron/)).toBeTruthy();
  });

  it('when no period is open for my ficha, then the page says so; another role typing the path is told it has no access', async () => {
    renderAt('/evaluaciones', 'aprendiz', (p) => (p === '/api/v1/evalin/instructors-to-evaluate' ? envelope({ periods: [] }) : failure(404, 'NOT_FOUND')));
    expect(await screen.findByText('No hay períodos de evaluación abiertos para su ficha.', {}, { timeout: 10_000 })).toBeTruthy();
    cleanup();
    renderAt('/evaluaciones', 'instructor', () => failure(404, 'NOT_FOUND'));
    expect(await screen.findByText('No tiene acceso', {}, { timeout: 10_000 })).toBeTruthy();
  });
});
