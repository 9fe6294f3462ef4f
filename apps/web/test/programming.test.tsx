import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import { createSicoraClient } from '@sicora/client';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createQueryClient } from '../src/app/app.tsx';
import { ServicesProvider } from '../src/app/context.tsx';
import { theme } from '../src/app/theme.ts';
import { useImport, type ImportReport } from '../src/features/programming/api/files.ts';
import type { Conflict } from '../src/features/programming/api/programming.ts';
import { ConflictList } from '../src/features/programming/components/conflict-list.tsx';
import { defaultDates, EntryEditor } from '../src/features/programming/components/entry-editor.tsx';
import { groupFormErrors } from '../src/features/programming/components/group-form.tsx';
import { ImportReportView } from '../src/components/import-report.tsx';
import { codeError } from '../src/features/programming/components/master-forms.tsx';
import { createSession } from '../src/lib/session.ts';
import { envelope, failure, memoryStorage, renderUi } from './helpers.tsx';

afterEach(cleanup);

const BASE = 'http://sicora.test';
const GROUP = { id: 'g1', number: '2826503', shift: 'MANANA', start_date: '2026-01-05', end_date: '2027-06-30', current_quarter: 3, max_apprentices: 35, notes: null, is_active: true, program: { id: 'p1', code: 'ADSO', name: 'Análisis y Desarrollo de Software' }, campus: { id: 'c1', code: 'CALLE52', name: 'Sede Calle 52' } };
const INSTRUCTOR = { id: 'i1', full_name: 'Sandra Milena Beltrán Duarte', document_number: '1020765432' };
const VENUE = { id: 'v1', code: '191', name: 'Aula 191', type: 'AULA', capacity: 30, floor: '1', is_active: true, campus: { id: 'c1', code: 'CALLE52', name: 'Sede Calle 52' } };
const CONFLICT: Conflict = {
  kind: 'GROUP',
  schedule_id: '5eed0006-0000-4000-8000-000000000001',
  group_number: '2826503',
  instructor_id: 'i9',
  instructor_name: 'Andrés Felipe Castaño Gil',
  venue_code: '205',
  day_of_week: 1,
  start_time: '06:00',
  end_time: '09:00',
  first_common_date: '2026-12-14',
  last_common_date: '2027-02-15',
};
const page = (items: unknown[]) => new Response(JSON.stringify({ success: true, data: items, meta: { pagination: { page: 1, page_size: 100, total: items.length, total_pages: 1 } } }), { status: 200, headers: { 'content-type': 'application/json' } });

function harness(route: (req: Request, body: unknown) => Response | undefined) {
  const calls: Array<{ method: string; path: string; body: unknown }> = [];
  const server = vi.fn(async (req: Request) => {
    const url = new URL(req.url);
    const body = req.method === 'GET' ? undefined : await req.clone().json().catch(() => undefined);
    calls.push({ method: req.method, path: url.pathname, body });
    const answer = route(req, body);
    if (answer) return answer;
    if (url.pathname === '/api/v1/groups') return page([GROUP]);
    if (url.pathname === '/api/v1/users') return page([INSTRUCTOR]);
    if (url.pathname === '/api/v1/venues') return page([VENUE]);
    return failure(404, 'NOT_FOUND');
  });
  const session = createSession({ storage: memoryStorage(), refresh: vi.fn() });
  const fetcher = (r: Request) => server(r);
  const services = { session, api: createSicoraClient({ baseUrl: BASE, fetch: fetcher }), baseUrl: BASE, authedFetch: fetcher };
  const client = createQueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <MantineProvider theme={theme}>
      <ServicesProvider value={services}>
        <QueryClientProvider client={client}>{children}</QueryClientProvider>
      </ServicesProvider>
    </MantineProvider>
  );
  return { calls, wrapper };
}

/** The visible input labelled so (a Select also labels its listbox). */
const field = (label: RegExp) => screen.getAllByLabelText(label).find((el) => el.tagName === 'INPUT' && (el as HTMLInputElement).type !== 'hidden') as HTMLInputElement;

async function choose(label: RegExp, option: string) {
  const input = field(label);
  fireEvent.click(input);
  await waitFor(() => expect(input.getAttribute('aria-controls')).toBeTruthy());
  const listbox = document.getElementById(input.getAttribute('aria-controls')!)!;
  fireEvent.click(within(listbox).getByRole('option', { name: option, hidden: true }));
  await waitFor(() => expect(input.value).toBe(option));
}

describe('conflict display (schedules S7, S2 409)', () => {
  it('when a candidate clashes, then each conflicting entry is listed with its kind, ficha, day and hours, instructor, venue and common dates', () => {
    renderUi(<ConflictList conflicts={[CONFLICT, { ...CONFLICT, kind: 'VENUE', schedule_id: 'otra', group_number: '2901817', venue_code: '191', first_common_date: '2026-12-21', last_common_date: '2026-12-21', instructor_name: null }]} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('No se guardó');
    const items = within(alert).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain('Ficha ocupada');
    expect(items[0].textContent).toContain('Ficha 2826503 · Lunes 06:00–09:00');
    expect(items[0].textContent).toContain('Andrés Felipe Castaño Gil · ambiente 205 · del 14/12/2026 al 15/02/2027');
    expect(items[0].getAttribute('data-conflict')).toBe(CONFLICT.schedule_id);
    expect(items[1].textContent).toContain('Ambiente ocupado');
    expect(items[1].textContent).toContain('Instructor sin nombre disponible · ambiente 191 · el 21/12/2026');
  });

  it('when Guardar finds conflicts through S7, then nothing is created; when S2 answers 409 anyway, its conflicts show; once free, the entry is saved', async () => {
    let checks = 0;
    let creates = 0;
    const { calls, wrapper } = harness((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/v1/schedules/check-conflicts') {
        checks += 1;
        return envelope(checks === 1 ? { has_conflicts: true, conflicts: [CONFLICT] } : { has_conflicts: false, conflicts: [] });
      }
      if (path === '/api/v1/schedules' && req.method === 'POST') {
        creates += 1;
        if (creates === 1) return failure(409, 'SCHEDULE_CONFLICT', 'El ambiente ya tiene clase', { conflicts: [{ ...CONFLICT, kind: 'VENUE', schedule_id: 'carrera', venue_code: '191' }] });
        return envelope({ id: 'nueva', subject: 'Matemáticas aplicadas', day_of_week: 6, start_time: '06:00', end_time: '08:00', start_date: '2026-12-07' }, 201);
      }
      return undefined;
    });
    const onSaved = vi.fn();
    render(<EntryEditor fixed={{ group_id: 'g1', instructor_id: 'i1', venue_id: 'v1' }} onSaved={onSaved} onCancel={() => undefined} />, { wrapper });

    await waitFor(() => expect(field(/^Ficha/).value).toContain('2826503'));
    fireEvent.change(field(/^Competencia/), { target: { value: 'Matemáticas aplicadas' } });
    await choose(/^Desde/, '06:00');
    await choose(/^Hasta/, '08:00');
    const save = screen.getByRole('button', { name: 'Verificar y guardar' });
    fireEvent.click(save);

    const first = await screen.findByTestId('conflicts');
    expect(first.textContent).toContain('Ficha ocupada');
    expect(first.textContent).toContain('Andrés Felipe Castaño Gil');
    expect(calls.filter((c) => c.path === '/api/v1/schedules' && c.method === 'POST')).toHaveLength(0);
    const checked = calls.find((c) => c.path === '/api/v1/schedules/check-conflicts')!.body as Record<string, unknown>;
    expect(checked).toMatchObject({ group_id: 'g1', instructor_id: 'i1', venue_id: 'v1', subject: 'Matemáticas aplicadas', day_of_week: 1, start_time: '06:00', end_time: '08:00' });

    // Fixing the day clears the list; S7 is clean but someone took the venue: S2's 409 lists it.
    await choose(/^Día/, 'Sábado');
    expect(screen.queryByTestId('conflicts')).toBeNull();
    fireEvent.click(save);
    const second = await screen.findByTestId('conflicts');
    expect(second.textContent).toContain('Ambiente ocupado');
    expect(second.querySelector('[data-conflict="carrera"]')).not.toBeNull();
    expect(onSaved).not.toHaveBeenCalled();

    fireEvent.click(save);
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(onSaved.mock.calls[0][0]).toMatchObject({ id: 'nueva' });
    expect(calls.filter((c) => c.path === '/api/v1/schedules/check-conflicts')).toHaveLength(3);
    expect((calls.filter((c) => c.path === '/api/v1/schedules' && c.method === 'POST')[1].body as { day_of_week: number }).day_of_week).toBe(6);
  });

  it('when S2 refuses with VALIDATION_ERROR, then the named field is marked and what was typed stays', async () => {
    const { wrapper } = harness((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/v1/schedules/check-conflicts') return failure(422, 'VALIDATION_ERROR', 'Las fechas están fuera del periodo de la ficha', { fields: [{ field: '/end_date', message: 'Después del fin de la ficha' }] });
      return undefined;
    });
    render(<EntryEditor fixed={{ group_id: 'g1', instructor_id: 'i1', venue_id: 'v1' }} onSaved={vi.fn()} onCancel={() => undefined} />, { wrapper });
    await waitFor(() => expect(field(/^Ficha/).value).toContain('2826503'));
    fireEvent.change(field(/^Competencia/), { target: { value: 'Inglés técnico' } });
    await choose(/^Desde/, '09:00');
    await choose(/^Hasta/, '11:00');
    fireEvent.click(screen.getByRole('button', { name: 'Verificar y guardar' }));
    expect(await screen.findByText('Después del fin de la ficha')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('Las fechas están fuera del periodo de la ficha');
    expect(field(/^Competencia/).value).toBe('Inglés técnico');
  });

  it('default dates stay inside the ficha period', () => {
    expect(defaultDates({ start_date: '2026-01-05', end_date: '2026-12-20' }, '2026-12-07')).toEqual({ start_date: '2026-12-07', end_date: '2026-12-20' });
    expect(defaultDates({ start_date: '2027-01-11', end_date: '2027-12-20' }, '2026-12-07')).toEqual({ start_date: '2027-01-11', end_date: '2027-04-04' });
  });
});

const REPORT: ImportReport = {
  dry_run: false,
  total_rows: 3,
  valid_rows: 2,
  error_rows: 1,
  created: 0,
  skipped: 0,
  errors: [{ line: 3, column: 'instructor_document', code: 'INVALID_INSTRUCTOR', message: 'No hay un instructor activo con ese documento', value: '999' }],
  errors_truncated: false,
  created_ids: [],
};

describe('import report (schedules S8 §6.1)', () => {
  it('when rows fail, then the counts and one row per error with line, column, value and message are shown, and nothing is said to be saved', () => {
    renderUi(<ImportReportView report={REPORT} message="El archivo tiene 1 fila con errores" createdLabel={(n) => `${n} filas creadas`} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('no se guardó nada');
    expect(alert.textContent).toContain('Filas: 3');
    expect(alert.textContent).toContain('Con error: 1');
    const row = document.querySelector('[data-line="3"]')!;
    expect(row.textContent).toContain('instructor_document');
    expect(row.textContent).toContain('999');
    expect(row.textContent).toContain('No hay un instructor activo con ese documento');
  });

  it('when a dry run is clean, then it says nothing was stored yet; after the import, how many were created', () => {
    renderUi(<ImportReportView report={{ ...REPORT, dry_run: true, valid_rows: 3, error_rows: 0, errors: [] }} createdLabel={(n) => `${n} filas creadas`} />);
    expect(screen.getByRole('status').textContent).toContain('Validación correcta: no se guardó nada todavía');
    cleanup();
    renderUi(<ImportReportView report={{ ...REPORT, valid_rows: 3, error_rows: 0, created: 3, errors: [] }} createdLabel={(n) => `${n} filas creadas`} />);
    expect(screen.getByRole('status').textContent).toContain('Importación terminada: 3 filas creadas');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('when the API answers 422 CSV_VALIDATION_FAILED, then the hook returns its report; a header error is an error with its message', async () => {
    let n = 0;
    const { calls, wrapper } = harness((req) => {
      if (new URL(req.url).pathname !== '/api/v1/schedules/import') return undefined;
      n += 1;
      return n === 1 ? failure(422, 'CSV_VALIDATION_FAILED', 'El archivo tiene 1 fila con errores', REPORT as never) : failure(400, 'CSV_HEADER_INVALID', 'Faltan columnas: subject');
    });
    const { result } = renderHook(() => useImport(), { wrapper });
    const file = new File(['group_number\n'], 'horarios.csv', { type: 'text/csv' });
    const outcome = await result.current.mutateAsync({ kind: 'schedules', file, dryRun: true, onExisting: 'skip' });
    expect(outcome).toEqual({ ok: false, report: REPORT, message: 'El archivo tiene 1 fila con errores' });
    const url = new URL(`${BASE}${calls[0].path}`);
    expect(url.pathname).toBe('/api/v1/schedules/import');
    await expect(result.current.mutateAsync({ kind: 'schedules', file, dryRun: false, onExisting: 'error' })).rejects.toMatchObject({ code: 'CSV_HEADER_INVALID', message: 'Faltan columnas: subject' });
  });
});

describe('master data and ficha forms (schedules G2, C2, V2, P2)', () => {
  it('bounds of the ficha number, period and codes are checked before sending', () => {
    expect(groupFormErrors({ number: '2826503', start_date: '2026-01-05', end_date: '2027-06-30' })).toEqual({});
    expect(groupFormErrors({ number: '123', start_date: '2026-01-05', end_date: '2026-01-05' })).toEqual({ number: 'Entre 4 y 10 dígitos', end_date: 'Debe ser posterior a la fecha inicial' });
    expect(groupFormErrors({ number: '12345678901', start_date: '2026-01-01', end_date: '2030-01-02' })).toEqual({ number: 'Entre 4 y 10 dígitos', end_date: 'El periodo no puede superar 1 461 días' });
    expect(codeError('CALLE52', 2)).toBeUndefined();
    expect(codeError('C', 2)).toBe('Entre 2 y 20 caracteres');
    expect(codeError('F 201', 1)).toBe('Solo letras, números, guion y guion bajo');
    expect(codeError('205', 1)).toBeUndefined();
  });
});
