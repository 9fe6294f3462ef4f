/**
 * When an upstream attempt may be repeated (gateway.md R28) and how long to wait first (R29).
 */
export const RETRYABLE_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'];
/** Bodies up to this size of retryable methods are buffered so an attempt can be replayed. */
export const REPLAYABLE_BODY_LIMIT = 1_048_576;
/** Below this remaining budget an attempt has no realistic chance, so none is started. */
const MIN_ATTEMPT_MS = 50;

export type FailureKind = 'timeout' | 'connect_refused' | 'connect_reset' | 'dns' | 'malformed' | 'http_status';

export interface Failure {
  kind: FailureKind;
  status?: number;
}

export function isRetryableFailure(failure: Failure): boolean {
  if (failure.kind === 'http_status') return failure.status === 502 || failure.status === 503 || failure.status === 504;
  return failure.kind !== 'malformed';
}

/** 50·2^(n−1) ms times a factor in [0.5, 1]; `random` is in [0, 1). */
export function backoffMs(retryNumber: number, random: number): number {
  return Math.round(50 * 2 ** (retryNumber - 1) * (0.5 + 0.5 * random));
}

export interface RetryQuestion {
  method: string;
  replayable: boolean;
  failure: Failure;
  retriesDone: number;
  maxRetries: number;
  remainingMs: number;
  random: number;
}

export function planRetry(q: RetryQuestion): { retry: false } | { retry: true; delayMs: number } {
  if (!RETRYABLE_METHODS.includes(q.method) || !q.replayable) return { retry: false };
  if (q.retriesDone >= q.maxRetries || !isRetryableFailure(q.failure)) return { retry: false };
  const delayMs = backoffMs(q.retriesDone + 1, q.random);
  if (q.remainingMs < delayMs + MIN_ATTEMPT_MS) return { retry: false };
  return { retry: true, delayMs };
}

export function attemptTimeoutMs(configured: number, remainingMs: number): number {
  return Math.max(0, Math.min(configured, remainingMs));
}
