/**
 * The scanner's outcomes (attendance Q2), free of React and of the camera so every case is testable:
 * - the camera reports the same code many times a second: a code already handled in the last 5 s is ignored;
 * - an answer of the API becomes one banner: RECORDED / UPDATED / ALREADY_RECORDED (replayed or not), or a refusal;
 * - a scan that fails on the network (no answer, 5xx, 429) is retried with back-off while R19's replay
 *   window allows (10 min after the first attempt; the server answers a replay with the original result),
 *   and after that it is shown as "escanee de nuevo o marque a mano": never silently dropped.
 */
import { ApiError, networkError } from '../../../lib/errors.ts';

export interface ScanAnswer {
  outcome: 'RECORDED' | 'UPDATED' | 'ALREADY_RECORDED';
  replayed: boolean;
  record: { status: string; late_minutes: number | null };
  student: { id: string; full_name: string; avatar_url: string | null; document_last4: string | null };
  scan: { flags: string[] };
}

export type ScanResult =
  | { kind: 'accepted'; code: string; answer: ScanAnswer }
  | { kind: 'refused'; code: string; error: ApiError }
  | { kind: 'retrying'; code: string; attempt: number; error: ApiError }
  | { kind: 'lost'; code: string; error: ApiError };

export interface ScanQueueDeps {
  send: (code: string) => Promise<ScanAnswer>;
  onResult: (result: ScanResult) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** R19: 10 minutes; retries stop a minute before, so the last one still lands inside it. */
  replayWindowMs?: number;
}

const DUPLICATE_MS = 5_000;

export function isTransient(error: ApiError): boolean {
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

export function createScanQueue(deps: ScanQueueDeps) {
  const now = deps.now ?? (() => Date.now());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const window = (deps.replayWindowMs ?? 10 * 60_000) - 60_000;
  const seen = new Map<string, number>();
  const pending = new Set<string>();

  async function attempt(code: string): Promise<void> {
    const started = now();
    let tries = 0;
    for (;;) {
      tries += 1;
      try {
        const answer = await deps.send(code);
        pending.delete(code);
        deps.onResult({ kind: 'accepted', code, answer });
        return;
      } catch (err) {
        const error = err instanceof ApiError ? err : networkError();
        if (!isTransient(error)) {
          pending.delete(code);
          deps.onResult({ kind: 'refused', code, error });
          return;
        }
        const delay = Math.max(Math.min(1_000 * 2 ** (tries - 1), 15_000), (error.retryAfterSeconds ?? 0) * 1_000);
        if (now() + delay - started > window) {
          pending.delete(code);
          deps.onResult({ kind: 'lost', code, error });
          return;
        }
        deps.onResult({ kind: 'retrying', code, attempt: tries, error });
        await sleep(delay);
      }
    }
  }

  return {
    /** Returns false when the code was ignored (read again within 5 s, or still being sent). */
    submit(code: string): boolean {
      const at = now();
      const last = seen.get(code);
      if (pending.has(code) || (last !== undefined && at - last < DUPLICATE_MS)) return false;
      seen.set(code, at);
      pending.add(code);
      void attempt(code);
      return true;
    },
    pendingCount: () => pending.size,
  };
}

const REFUSALS: Record<string, string> = {
  QR_EXPIRED: 'Código vencido: pida al aprendiz que lo muestre de nuevo.',
  QR_ALREADY_USED: 'Este código ya se usó.',
  QR_SUPERSEDED: 'Código reemplazado por uno más nuevo: escanee el que muestra ahora.',
  QR_WRONG_SESSION: 'El código es de otra clase.',
  QR_INVALID: 'No es un código de asistencia de SICORA.',
  STUDENT_NOT_IN_GROUP: 'El aprendiz no pertenece a esta ficha.',
  ROLL_CLOSED: 'La lista está cerrada: reábrala para seguir registrando.',
  SESSION_ENDED: 'La clase ya terminó.',
  SESSION_NOT_STARTED: 'La clase aún no empieza.',
  NOT_SESSION_INSTRUCTOR: 'Usted no es el instructor de esta clase.',
};

export interface Banner {
  tone: 'success' | 'info' | 'warning' | 'error';
  title: string;
  detail?: string;
  student?: ScanAnswer['student'];
  flags?: string[];
}

const FLAGS: Record<string, string> = {
  SHARED_DEVICE_ATTEMPT: 'Se intentó usar su teléfono para otro aprendiz',
  DEVICE_CHANGED: 'Pidió el código desde un teléfono distinto al habitual',
};
export const flagLabel = (flag: string) => FLAGS[flag] ?? flag;

/** One banner per outcome (web.md §4 Tomar asistencia). */
export function bannerFor(result: ScanResult): Banner {
  switch (result.kind) {
    case 'accepted': {
      const { answer } = result;
      const late = answer.record.status === 'LATE' ? ` (${answer.record.late_minutes ?? '?'} min tarde)` : '';
      const base = { student: answer.student, flags: answer.scan.flags };
      if (answer.outcome === 'RECORDED') return { ...base, tone: 'success', title: `Registrado: ${answer.student.full_name}${late}` };
      if (answer.outcome === 'UPDATED') return { ...base, tone: 'success', title: `Actualizado: ${answer.student.full_name}${late}`, detail: 'Tenía falta; ahora quedó presente.' };
      return { ...base, tone: 'info', title: `Ya estaba registrado: ${answer.student.full_name}`, detail: answer.replayed ? 'Lectura repetida: se conserva el primer registro.' : undefined };
    }
    case 'refused':
      return { tone: 'error', title: REFUSALS[result.error.code] ?? result.error.message, detail: REFUSALS[result.error.code] ? undefined : result.error.code };
    case 'retrying':
      return { tone: 'warning', title: 'Sin conexión: reintentando el envío…', detail: `Intento ${result.attempt}. No cierre esta pantalla.` };
    case 'lost':
      return { tone: 'error', title: 'No se pudo enviar la lectura', detail: 'Escanee de nuevo o marque a mano.' };
  }
}
