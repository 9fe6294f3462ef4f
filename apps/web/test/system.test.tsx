import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createSicoraClient } from '@sicora/client';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createQueryClient } from '../src/app/app.tsx';
import { ServicesProvider } from '../src/app/context.tsx';
import { theme } from '../src/app/theme.ts';
import { readHealth, type HealthReport } from '../src/features/system/api/system.ts';
import { attendanceOrderErrors, AttendanceSettingsForm } from '../src/features/system/components/attendance-settings.tsx';
import { parseReminderDays, parseTerms } from '../src/features/system/components/evalin-settings.tsx';
import { HealthPanel } from '../src/features/system/components/health-panel.tsx';
import { cutoffError, factorError } from '../src/features/system/components/risk-settings.tsx';
import { SigningKeys } from '../src/features/system/components/signing-keys.tsx';
import { createSession } from '../src/lib/session.ts';
import { envelope, failure, memoryStorage } from './helpers.tsx';

afterEach(cleanup);

const BASE = 'http://sicora.test';
const service = (name: string, status: 'up' | 'down' = 'up') => ({ name, display_name: name.toUpperCase(), status, critical: name === 'users', latency_ms: status === 'up' ? 4 : null, checked_at: '2026-12-07T15:00:00Z', circuit: 'closed' });
const REPORT: HealthReport = {
  status: 'healthy',
  checked_at: '2026-12-07T15:00:00Z',
  gateway: { database: 'ok', redis: 'not_configured', jwks: 'ok', config_version: 1 },
  services: ['users', 'schedules', 'attendance'].map((n) => service(n)),
  summary: { up: 3, down: 0, disabled: 0, total: 3 },
};
const SETTINGS = {
  open_before_minutes: 15,
  late_after_minutes: 15,
  auto_close_after_minutes: 30,
  instructor_edit_days: 0,
  roll_reminder_after_minutes: 15,
  qr_ttl_seconds: 15,
  qr_scan_grace_seconds: 3,
  justification_deadline_business_days: 3,
  advance_notice_max_days: 30,
  justification_overdue_days: 7,
  alert_window_days: 30,
  alert_overdue_days: 7,
  dismissal_suppression_days: 7,
  consecutive_absences: { high: 3, critical: 5 },
  low_attendance: { min_records: 5, medium_below: 80, high_below: 70, critical_below: 60 },
  frequent_lateness: { low_at: 4, medium_at: 8 },
  version: 4,
  updated_at: '2026-12-01T15:00:00Z',
};

function harness(route: (req: Request, body: unknown) => Response | undefined) {
  const calls: Array<{ method: string; path: string; body: unknown }> = [];
  const server = vi.fn(async (req: Request) => {
    const body = req.method === 'GET' ? undefined : await req.clone().json().catch(() => undefined);
    calls.push({ method: req.method, path: new URL(req.url).pathname, body });
    return route(req, body) ?? failure(404, 'NOT_FOUND');
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

describe('platform health (gateway H1)', () => {
  it('when the gateway answers 200, 207 or 503, then each is read as a report; another error is thrown', async () => {
    const res = (status: number, body: unknown) => ({ data: status < 300 ? body : undefined, error: status >= 300 ? body : undefined, response: new Response(null, { status }) });
    expect((await readHealth(async () => res(200, { data: REPORT }))).status).toBe('healthy');
    expect((await readHealth(async () => res(207, { data: { ...REPORT, status: 'degraded' } }))).status).toBe('degraded');
    const down = { ...REPORT, status: 'unhealthy', services: [service('users', 'down')] };
    expect(await readHealth(async () => res(503, { success: false, error: { code: 'SERVICE_UNAVAILABLE', message: 'x', details: down } }))).toEqual(down);
    await expect(readHealth(async () => res(502, { success: false, error: { code: 'BAD_GATEWAY', message: 'Sin respuesta' } }))).rejects.toMatchObject({ code: 'BAD_GATEWAY' });
  });

  it('when a service is down, then the panel says so per service and overall, and links the status page and the notification dashboard', async () => {
    const down = { ...REPORT, status: 'unhealthy', services: [service('users', 'down'), service('schedules')], summary: { up: 1, down: 1, disabled: 0, total: 2 } };
    const { wrapper } = harness((req) => (new URL(req.url).pathname === '/health' ? failure(503, 'SERVICE_UNAVAILABLE', 'La plataforma no está sana', down as never) : undefined));
    render(<HealthPanel />, { wrapper });
    expect(await screen.findByText('Plataforma con fallas')).toBeTruthy();
    expect(document.querySelector('[data-status]')!.getAttribute('data-status')).toBe('unhealthy');
    expect(document.querySelector('[data-service="users"]')!.textContent).toContain('Caído');
    expect(document.querySelector('[data-service="users"]')!.textContent).toContain('(crítico)');
    expect(document.querySelector('[data-service="schedules"]')!.textContent).toContain('Operativo');
    expect(screen.getByRole('link', { name: /Página de estado/ }).getAttribute('href')).toBe('/api/v1/gateway/status/page');
    expect(screen.getByRole('link', { name: /Tablero de notificaciones/ }).getAttribute('href')).toBe('/api/v1/notifications/admin/dashboard');
  });
});

describe('settings forms (attendance ST2, evalin E53, ai risk)', () => {
  it('when ST2 answers VALIDATION_ERROR naming a key, then that field is marked and the typed values stay', async () => {
    const { calls, wrapper } = harness((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/v1/attendance/settings' && req.method === 'GET') return envelope(SETTINGS);
      if (path === '/api/v1/attendance/settings' && req.method === 'PATCH')
        return failure(422, 'VALIDATION_ERROR', 'La configuración no es válida', { fields: [{ field: 'qr_ttl_seconds', reason: 'out_of_range', message: 'qr_ttl_seconds debe ser un entero entre 10 y 60' }] });
      return undefined;
    });
    render(<AttendanceSettingsForm />, { wrapper });
    const ttl = (await screen.findByLabelText(/^Vigencia del código QR/)) as HTMLInputElement;
    expect(ttl.value).toBe('15');
    fireEvent.change(ttl, { target: { value: '45' } });
    fireEvent.click(screen.getByRole('button', { name: 'Guardar asistencia' }));
    expect(await screen.findByText('qr_ttl_seconds debe ser un entero entre 10 y 60')).toBeTruthy();
    expect((screen.getByLabelText(/^Vigencia del código QR/) as HTMLInputElement).value).toBe('45');
    const sent = calls.find((c) => c.method === 'PATCH')!.body as typeof SETTINGS;
    expect(sent.qr_ttl_seconds).toBe(45);
    expect(sent.consecutive_absences).toEqual({ high: 3, critical: 5 });
    expect(sent).not.toHaveProperty('version');
  });

  it('when a value is outside its bounds, then Guardar is disabled before anything is sent', async () => {
    const { calls, wrapper } = harness((req) => (new URL(req.url).pathname === '/api/v1/attendance/settings' ? envelope(SETTINGS) : undefined));
    render(<AttendanceSettingsForm />, { wrapper });
    const grace = (await screen.findByLabelText(/^Gracia al escanear/)) as HTMLInputElement;
    fireEvent.change(grace, { target: { value: '11' } });
    await waitFor(() => expect(screen.getByText('Entre 0 y 10')).toBeTruthy());
    expect((screen.getByRole('button', { name: 'Guardar asistencia' }) as HTMLButtonElement).disabled).toBe(true);
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
  });

  it('orderings, lists and cut-offs follow the specs', () => {
    const base = { 'consecutive_absences.high': 3, 'consecutive_absences.critical': 5, 'low_attendance.medium_below': 80, 'low_attendance.high_below': 70, 'low_attendance.critical_below': 60, 'frequent_lateness.low_at': 4, 'frequent_lateness.medium_at': 8 };
    expect(attendanceOrderErrors(base)).toEqual({});
    expect(Object.keys(attendanceOrderErrors({ ...base, 'consecutive_absences.high': 5, 'consecutive_absences.critical': 4, 'low_attendance.critical_below': 75 }))).toEqual([
      'consecutive_absences.critical',
      'low_attendance.critical_below',
    ]);
    expect(parseReminderDays('3, 0')).toEqual({ days: [3, 0] });
    expect(parseReminderDays('3, 3').error).toBe('Sin días repetidos');
    expect(parseReminderDays('1,2,3,4').error).toBe('Como máximo 3 días');
    expect(parseReminderDays('15').error).toBe('Cada día entre 0 y 14');
    expect(parseTerms('tonto\n\ntonto\nbobo').terms).toEqual(['tonto', 'bobo']);
    expect(parseTerms('x').error).toContain('entre 2 y 50');
    expect(factorError({ bands: '70, 80, 90', points: '35, 20, 8', extra: '' })).toBeUndefined();
    expect(factorError({ bands: '70, 80', points: '35', extra: '' })).toBe('Un puntaje por umbral');
    expect(factorError({ bands: '70', points: '51', extra: '' })).toBe('Cada puntaje entero entre 0 y 50');
    expect(factorError({ bands: '101', points: '5', extra: '' })).toBe('Cada umbral entre 0 y 100');
    expect(cutoffError({ medium: 30, high: 50, critical: 70 })).toBeUndefined();
    expect(cutoffError({ medium: 40, high: 30, critical: 70 })).toBe('Medio < alto < crítico');
  });
});

describe('signing keys (users K2, K3)', () => {
  it('when the admin rotates, then a confirmation comes first, K3 runs only after it, and the list is read again', async () => {
    let rotated = false;
    const key = (kid: string, status: string) => ({ kid, alg: 'EdDSA', status, source: 'generated', created_at: '2026-12-01T15:00:00Z', retire_at: status === 'retiring' ? '2026-12-07T17:00:00Z' : null });
    const { calls, wrapper } = harness((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/v1/auth/keys') return envelope(rotated ? [key('nueva-clave-000000', 'active'), key('vieja-clave-000000', 'retiring')] : [key('vieja-clave-000000', 'active')]);
      if (path === '/api/v1/auth/keys/rotate') {
        rotated = true;
        return envelope({ active_kid: 'nueva-clave-000000', retiring_kid: 'vieja-clave-000000', retire_at: '2026-12-07T17:00:00Z' }, 201);
      }
      return undefined;
    });
    render(<SigningKeys />, { wrapper });
    await screen.findByText('Activa');
    fireEvent.click(screen.getByRole('button', { name: 'Rotar clave' }));
    expect(await screen.findByText(/Se creará una clave nueva/)).toBeTruthy();
    expect(calls.some((c) => c.path === '/api/v1/auth/keys/rotate')).toBe(false);
    const buttons = screen.getAllByRole('button', { name: 'Rotar clave' });
    fireEvent.click(buttons[buttons.length - 1]);
    expect(await screen.findByText('En retiro')).toBeTruthy();
    expect(calls.filter((c) => c.path === '/api/v1/auth/keys/rotate')).toHaveLength(1);
  });
});
