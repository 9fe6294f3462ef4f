import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bannerFor, createScanQueue, type ScanAnswer, type ScanResult } from '../src/features/roll/api/scan-queue.ts';
import { Scanner } from '../src/features/roll/components/scanner.tsx';
import type { RosterRow } from '../src/features/roll/api/roll.ts';
import { ApiError, networkError } from '../src/lib/errors.ts';
import { renderUi } from './helpers.tsx';

const student = { id: 's1', full_name: 'Ana Alba Primera', avatar_url: null, document_last4: '0211' };
const answer = (outcome: ScanAnswer['outcome'], extra: Partial<ScanAnswer> = {}): ScanAnswer => ({
  outcome,
  replayed: false,
  record: { status: 'PRESENT', late_minutes: null },
  student,
  scan: { flags: [] },
  ...extra,
});
const refusal = (status: number, code: string) => new ApiError({ code, status, message: `mensaje ${code}` });

/** A queue on a clock the test moves; sleeping advances it. */
function harness(send: (code: string) => Promise<ScanAnswer>) {
  let now = 0;
  const results: ScanResult[] = [];
  const queue = createScanQueue({
    send,
    onResult: (r) => results.push(r),
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  });
  return { queue, results, advance: (ms: number) => (now += ms) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('scanner outcomes (attendance Q2)', () => {
  it('when the API records, updates or already has the record, then the banner says so with the apprentice name, lateness and flags', async () => {
    expect(bannerFor({ kind: 'accepted', code: 'c', answer: answer('RECORDED') })).toMatchObject({ tone: 'success', title: 'Registrado: Ana Alba Primera' });
    expect(bannerFor({ kind: 'accepted', code: 'c', answer: answer('RECORDED', { record: { status: 'LATE', late_minutes: 20 } }) }).title).toBe('Registrado: Ana Alba Primera (20 min tarde)');
    expect(bannerFor({ kind: 'accepted', code: 'c', answer: answer('UPDATED') })).toMatchObject({ tone: 'success', title: 'Actualizado: Ana Alba Primera' });
    expect(bannerFor({ kind: 'accepted', code: 'c', answer: answer('ALREADY_RECORDED', { replayed: true }) })).toMatchObject({
      tone: 'info',
      detail: 'Lectura repetida: se conserva el primer registro.',
    });
    expect(bannerFor({ kind: 'accepted', code: 'c', answer: answer('RECORDED', { scan: { flags: ['SHARED_DEVICE_ATTEMPT'] } }) }).flags).toEqual(['SHARED_DEVICE_ATTEMPT']);
  });

  it.each([
    [410, 'QR_EXPIRED', 'Código vencido'],
    [409, 'QR_ALREADY_USED', 'ya se usó'],
    [410, 'QR_SUPERSEDED', 'reemplazado'],
    [409, 'QR_WRONG_SESSION', 'otra clase'],
    [400, 'QR_INVALID', 'No es un código'],
    [422, 'STUDENT_NOT_IN_GROUP', 'no pertenece'],
    [409, 'ROLL_CLOSED', 'cerrada'],
    [409, 'SESSION_ENDED', 'terminó'],
  ])('when the API refuses with %i %s, then one error banner explains it and nothing is retried', async (status, code, words) => {
    const send = vi.fn(async () => Promise.reject(refusal(status, code)));
    const { queue, results } = harness(send);
    queue.submit('SQ1.a');
    await settle();
    expect(send).toHaveBeenCalledTimes(1);
    expect(results).toHaveLength(1);
    expect(results[0].kind).toBe('refused');
    const banner = bannerFor(results[0]);
    expect(banner.tone).toBe('error');
    expect(banner.title).toContain(words);
  });

  it('when the network fails twice and then answers, then the scan is retried and recorded, not lost', async () => {
    const send = vi.fn().mockRejectedValueOnce(networkError()).mockRejectedValueOnce(refusal(503, 'SERVICE_UNAVAILABLE')).mockResolvedValueOnce(answer('RECORDED'));
    const { queue, results } = harness(send);
    queue.submit('SQ1.a');
    await waitFor(() => expect(results.at(-1)?.kind).toBe('accepted'));
    expect(results.map((r) => r.kind)).toEqual(['retrying', 'retrying', 'accepted']);
    expect(send).toHaveBeenCalledTimes(3);
    expect(queue.pendingCount()).toBe(0);
  });

  it('when the network keeps failing past the replay window, then the scan is shown as lost: "escanee de nuevo o marque a mano"', async () => {
    const send = vi.fn(async () => Promise.reject(networkError()));
    const { queue, results } = harness(send);
    queue.submit('SQ1.a');
    await waitFor(() => expect(results.at(-1)?.kind).toBe('lost'));
    expect(bannerFor(results.at(-1)!)).toEqual({ tone: 'error', title: 'No se pudo enviar la lectura', detail: 'Escanee de nuevo o marque a mano.' });
    expect(send.mock.calls.length).toBeGreaterThan(3);
    expect(queue.pendingCount()).toBe(0);
  });

  it('when the camera reads the same code again within 5 s, then it is not sent twice; after 5 s it is', async () => {
    const send = vi.fn(async () => answer('RECORDED'));
    const { queue, advance } = harness(send);
    expect(queue.submit('SQ1.a')).toBe(true);
    await settle();
    expect(queue.submit('SQ1.a')).toBe(false);
    advance(5_000);
    expect(queue.submit('SQ1.a')).toBe(true);
    expect(queue.submit('SQ1.b')).toBe(true);
    await settle();
    expect(send).toHaveBeenCalledTimes(3);
  });
});

describe('Scanner component', () => {
  const roster: RosterRow[] = [{ student_id: 's2', full_name: 'Bruno Beltrán', document_number: '1023456022', avatar_url: null, status: 'UNMARKED', flags: [], record: null }];
  let secure: PropertyDescriptor | undefined;
  beforeEach(() => {
    secure = Object.getOwnPropertyDescriptor(window, 'isSecureContext');
    Object.defineProperty(window, 'isSecureContext', { configurable: true, value: true });
  });
  afterEach(() => {
    cleanup();
    if (secure) Object.defineProperty(window, 'isSecureContext', secure);
  });

  it('when the camera reads a code, then the banner shows the outcome and the apprentice; a typed document marks by hand', async () => {
    let emit: (code: string) => void = () => undefined;
    const startCamera = vi.fn(async (_v: HTMLVideoElement, onCode: (c: string) => void) => {
      emit = onCode;
      return () => undefined;
    });
    const send = vi.fn(async () => answer('RECORDED'));
    const markPresent = vi.fn(async () => undefined);
    renderUi(<Scanner send={send} roster={roster} markPresent={markPresent} startCamera={startCamera} />);
    await waitFor(() => expect(startCamera).toHaveBeenCalled());
    await act(async () => emit('SQ1.ana'));
    expect(await screen.findByText('Registrado: Ana Alba Primera')).toBeTruthy();
    expect(screen.getByText('Documento terminado en 0211')).toBeTruthy();
    expect(send).toHaveBeenCalledWith('SQ1.ana');

    fireEvent.change(screen.getByLabelText('Registro manual por documento'), { target: { value: '1023456022' } });
    fireEvent.click(screen.getByRole('button', { name: 'Marcar presente' }));
    await waitFor(() => expect(markPresent).toHaveBeenCalledWith(roster[0]));
    expect(await screen.findByText('Bruno Beltrán quedó presente.')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Registro manual por documento'), { target: { value: '999' } });
    fireEvent.click(screen.getByRole('button', { name: 'Marcar presente' }));
    expect(await screen.findByText('Ningún aprendiz de esta ficha tiene ese documento.')).toBeTruthy();
  });

  it('when the page is not a secure context, then the scanner says why and keeps the manual fallback', async () => {
    Object.defineProperty(window, 'isSecureContext', { configurable: true, value: false });
    const startCamera = vi.fn();
    renderUi(<Scanner send={vi.fn()} roster={roster} markPresent={vi.fn()} startCamera={startCamera} />);
    expect(await screen.findByText(/necesita una conexión segura/)).toBeTruthy();
    expect(screen.getByLabelText('Registro manual por documento')).toBeTruthy();
    expect(startCamera).not.toHaveBeenCalled();
  });
});
