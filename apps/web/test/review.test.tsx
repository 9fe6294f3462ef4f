import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createSicoraClient } from '@sicora/client';
import type { ReactElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from '@tanstack/react-router';
import { App, createQueryClient } from '../src/app/app.tsx';
import { ServicesProvider } from '../src/app/context.tsx';
import { theme } from '../src/app/theme.ts';
import { fileNameOf } from '../src/features/review/api/files.ts';
import { CsvDownload } from '../src/features/review/components/csv-download.tsx';
import { commentProblem, ReviewForm } from '../src/features/review/components/review-form.tsx';
import { authedFetch } from '../src/lib/api.ts';
import { ApiError } from '../src/lib/errors.ts';
import { createSession } from '../src/lib/session.ts';
import { envelope, failure, fakeJwt, memoryStorage } from './helpers.tsx';

afterEach(cleanup);

const BASE = 'http://sicora.test';

/** The component with the app's providers, over a fake gateway. */
function withServices(ui: ReactElement, server: (req: Request) => Promise<Response>) {
  const session = createSession({ storage: memoryStorage(), refresh: vi.fn() });
  session.establish({ access_token: fakeJwt({ sub: 'c1', role: 'coordinador', name: 'Clara Coordinadora', exp: Math.floor(Date.now() / 1000) + 3600 }), refresh_token: 'r1' });
  const fetcher = authedFetch(session, server as never);
  const api = createSicoraClient({ baseUrl: BASE, fetch: fetcher });
  return render(
    <MantineProvider theme={theme}>
      <ServicesProvider value={{ session, api, baseUrl: BASE, authedFetch: fetcher }}>
        <QueryClientProvider client={createQueryClient()}>{ui}</QueryClientProvider>
      </ServicesProvider>
    </MantineProvider>,
  );
}

describe('review decision form (attendance J9)', () => {
  it('when rejecting without a reason, then the note is marked with J9\'s bound and nothing is sent; with 10 characters it asks to confirm and sends the trimmed note', async () => {
    const onSubmit = vi.fn();
    render(
      <MantineProvider theme={theme}>
        <ReviewForm onSubmit={onSubmit} pending={false} error={null} />
      </MantineProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Guardar decisión' }));
    expect(await screen.findByText('Elija aprobar o rechazar.')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: 'Rechazar' }));
    fireEvent.change(screen.getByLabelText(/^Nota para el aprendiz/), { target: { value: '  corto  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Rechazar justificación' }));
    expect(await screen.findByText('Para rechazar escriba el motivo (mínimo 10 caracteres).')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onSubmit).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText(/^Nota para el aprendiz/), { target: { value: '  La incapacidad no corresponde a la fecha.  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Rechazar justificación' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('¿Rechazar la justificación?');
    fireEvent.click(screen.getByRole('button', { name: 'Rechazar' }));
    expect(onSubmit).toHaveBeenCalledWith({ decision: 'REJECTED', comment: 'La incapacidad no corresponde a la fecha.' });
  });

  it('when approving with no note, then the body carries the decision alone; cancelling the confirmation sends nothing', async () => {
    const onSubmit = vi.fn();
    render(
      <MantineProvider theme={theme}>
        <ReviewForm onSubmit={onSubmit} pending={false} error={null} />
      </MantineProvider>,
    );
    fireEvent.click(screen.getByRole('radio', { name: 'Aprobar' }));
    fireEvent.click(screen.getByRole('button', { name: 'Aprobar justificación' }));
    await screen.findByRole('dialog');
    fireEvent.click(screen.getByRole('button', { name: 'Cancelar' }));
    expect(onSubmit).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Aprobar justificación' }));
    await screen.findByRole('dialog');
    fireEvent.click(screen.getByRole('button', { name: 'Aprobar' }));
    expect(onSubmit).toHaveBeenCalledWith({ decision: 'APPROVED' });
  });

  it('when the server refuses, then its message is shown (under the note for the comment, above otherwise) and what was typed stays', async () => {
    const { rerender } = render(
      <MantineProvider theme={theme}>
        <ReviewForm onSubmit={vi.fn()} pending={false} error={null} />
      </MantineProvider>,
    );
    fireEvent.click(screen.getByRole('radio', { name: 'Aprobar' }));
    fireEvent.change(screen.getByLabelText(/^Nota para el aprendiz/), { target: { value: 'Soporte válido.' } });
    rerender(
      <MantineProvider theme={theme}>
        <ReviewForm onSubmit={vi.fn()} pending={false} error={new ApiError({ code: 'JUSTIFICATION_NOT_PENDING', status: 409, message: 'La justificación ya fue revisada' })} />
      </MantineProvider>,
    );
    expect(screen.getByRole('alert').textContent).toContain('La justificación ya fue revisada');
    expect((screen.getByLabelText(/^Nota para el aprendiz/) as HTMLTextAreaElement).value).toBe('Soporte válido.');
    rerender(
      <MantineProvider theme={theme}>
        <ReviewForm onSubmit={vi.fn()} pending={false} error={new ApiError({ code: 'REVIEW_COMMENT_REQUIRED', status: 422, message: 'El comentario es obligatorio al rechazar' })} />
      </MantineProvider>,
    );
    expect(screen.getByText('El comentario es obligatorio al rechazar')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('commentProblem follows J9\'s bounds: ≤1000 always, 10–1000 when rejecting', () => {
    expect(commentProblem('APPROVED', '')).toBeNull();
    expect(commentProblem('APPROVED', 'x'.repeat(1001))).toBe('Máximo 1000 caracteres.');
    expect(commentProblem('REJECTED', 'x'.repeat(9))).toMatch(/mínimo 10/);
    expect(commentProblem('REJECTED', 'x'.repeat(10))).toBeNull();
  });
});

describe('report CSV download (attendance §6.2, web.md §3 files behind a token)', () => {
  let saved: Array<{ name: string; text: string }>;
  let created: Blob[];
  beforeEach(() => {
    saved = [];
    created = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      created.push(b as Blob);
      return `blob:${BASE}/${created.length}`;
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      const blob = created[Number(this.href.split('/').pop()) - 1];
      void blob.text().then((text) => saved.push({ name: this.download, text }));
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('when clicked, then the CSV is fetched with the bearer and format=csv and saved under the server\'s file name', async () => {
    const csv = '\ufeffdate,instructor_name,group_number\r\n2026-12-07,Inés Toma Lista,2826503\r\n';
    const server = vi.fn(async (req: Request) => {
      const url = new URL(req.url);
      expect(req.headers.get('authorization')).toMatch(/^Bearer /);
      expect(url.pathname).toBe('/api/v1/attendance/reports/missing-rolls');
      expect(Object.fromEntries(url.searchParams)).toEqual({ date: '2026-12-07', include_in_progress: 'false', format: 'csv' });
      return new Response(csv, {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="asistencia_tomas_pendientes_2026-12-07_20261207_20261207.csv"` },
      });
    });
    withServices(<CsvDownload path="/api/v1/attendance/reports/missing-rolls" query={{ date: '2026-12-07', include_in_progress: false }} fallbackName="respaldo.csv" />, server);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Descargar CSV' })));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(server).toHaveBeenCalledTimes(1);
    expect(saved[0].name).toBe('asistencia_tomas_pendientes_2026-12-07_20261207_20261207.csv');
    expect(saved[0].text).toBe(csv);
  });

  it('when the API refuses (EXPORT_TOO_LARGE), then its Spanish message is shown and nothing is saved', async () => {
    const server = vi.fn(async () => failure(422, 'EXPORT_TOO_LARGE', 'El archivo supera 100 000 filas; acote el periodo'));
    withServices(<CsvDownload path="/api/v1/attendance/reports/period" query={{ start_date: '2026-01-01', end_date: '2026-06-30' }} fallbackName="periodo.csv" />, server);
    fireEvent.click(screen.getByRole('button', { name: 'Descargar CSV' }));
    expect((await screen.findByRole('alert')).textContent).toContain('El archivo supera 100 000 filas; acote el periodo');
    expect(saved).toHaveLength(0);
    expect(created).toHaveLength(0);
  });

  it('fileNameOf reads filename* (RFC 5987) before filename, and null without a header', () => {
    expect(fileNameOf(`attachment; filename="a.csv"; filename*=UTF-8''asistencia_ficha_%C3%B1.csv`)).toBe('asistencia_ficha_ñ.csv');
    expect(fileNameOf('attachment; filename="b.csv"')).toBe('b.csv');
    expect(fileNameOf(null)).toBeNull();
  });
});

describe('staff homes at / (web.md §4)', () => {
  function signedIn(role: string, name: string, server: (req: Request) => Promise<Response>) {
    const session = createSession({ storage: memoryStorage(), refresh: vi.fn() });
    session.establish({ access_token: fakeJwt({ sub: 'u1', role, name, exp: Math.floor(Date.now() / 1000) + 3600 }), refresh_token: 'r1' });
    const fetcher = authedFetch(session, server as never);
    const api = createSicoraClient({ baseUrl: BASE, fetch: fetcher });
    return render(<App services={{ session, api, baseUrl: BASE, authedFetch: fetcher }} queryClient={createQueryClient()} history={createMemoryHistory({ initialEntries: ['/'] })} />);
  }
  const WAIT = { timeout: 15_000 };

  it('when a coordinador opens /, then the Tablero shows today\'s missing rolls (RP5), alerts by level (AL2) and the participation of the open period (E18 → E20)', async () => {
    const seen: string[] = [];
    const server = vi.fn(async (req: Request) => {
      const url = new URL(req.url);
      seen.push(`${url.pathname}?${url.searchParams}`);
      if (url.pathname === '/api/v1/attendance/reports/missing-rolls')
        return new Response(
          JSON.stringify({
            success: true,
            data: {
              date: '2026-12-07', sessions_total: 9, sessions_taken: 6, sessions_missing: 2, affected_instructors: 2, affected_groups: 2,
              items: [{ schedule_id: 's1', instructor_name: 'Inés Toma Lista', group_number: '2826503', subject: 'Bases de datos', start_time: '07:00', end_time: '09:00', venue_code: 'A1', minutes_since_end: 30 }],
            },
            meta: { pagination: { total: 2, total_pages: 1, page: 1, page_size: 5 } },
          }),
          { headers: { 'content-type': 'application/json' } },
        );
      if (url.pathname === '/api/v1/attendance/alerts/stats') return envelope({ total: 7, by_state: { OPEN: 5, ACKNOWLEDGED: 2, RESOLVED: 0 }, by_level: { CRITICAL: 1, HIGH: 2, MEDIUM: 0, LOW: 4 }, overdue: 1 });
      if (url.pathname === '/api/v1/evalin/periods') return envelope([{ id: 'p1' }]);
      if (url.pathname === '/api/v1/evalin/periods/p1')
        return envelope({ id: 'p1', name: 'Evaluación 2026-T4', end_date: '2026-12-20T05:00:00.000Z', days_remaining: 13, groups: [{ group_id: 'g', group_number: '2826503' }], participation: { expected: 168, submitted: 67, rate: 39.9 } });
      if (url.pathname.startsWith('/api/v1/notifications')) return envelope({ unread: 0 });
      return failure(404, 'NOT_FOUND');
    });
    signedIn('coordinador', 'Clara Centro', server);
    expect(await screen.findByRole('heading', { name: 'Tablero' }, WAIT)).toBeTruthy();
    const missing = await screen.findByRole('region', { name: 'Listas sin tomar hoy' }, WAIT);
    await waitFor(() => expect(missing.textContent).toContain('6 con lista de 9 sesiones programadas'), WAIT);
    expect(missing.textContent).toContain('Inés Toma Lista · Ficha 2826503 · Bases de datos');
    expect(missing.textContent).toContain('y 1 más');
    const alerts = screen.getByRole('region', { name: 'Alertas de asistencia' });
    await waitFor(() => expect(alerts.textContent).toContain('7 sin resolver'), WAIT);
    expect(screen.getByLabelText('Nivel crítica: 1')).toBeTruthy();
    expect(alerts.textContent).toContain('1 vencidas');
    const evaluations = screen.getByRole('region', { name: 'Evaluación de instructores' });
    await waitFor(() => expect(evaluations.textContent).toContain('67 de 168 evaluaciones'), WAIT);
    expect(evaluations.textContent).toContain('39,9 %');
    expect(seen.some((s) => s.startsWith('/api/v1/evalin/periods?') && s.includes('status=active') && s.includes('timing=current'))).toBe(true);
  }, 30_000);

  it('when an administrativo opens /, then the page lists the areas of the menu for the role and no attendance screen', async () => {
    const server = vi.fn(async (req: Request) => (new URL(req.url).pathname.startsWith('/api/v1/notifications') ? envelope({ unread: 0 }) : failure(404, 'NOT_FOUND')));
    signedIn('administrativo', 'Adela Administrativa', server);
    const areas = await screen.findByRole('list', { name: 'Áreas' }, WAIT);
    const labels = [...areas.querySelectorAll('li')].map((li) => li.textContent);
    expect(labels).toContain('Notificaciones');
    for (const hidden of ['Justificaciones', 'Alertas', 'Reportes de asistencia', 'Mis fichas', 'Mi código']) expect(labels).not.toContain(hidden);
    expect(screen.queryByText('Pantallas en construcción')).toBeNull();
  }, 30_000);
});
