import { MantineProvider } from '@mantine/core';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { theme } from '../src/app/theme.ts';

/** An unsigned JWT with these claims: the app only reads them (the API verifies). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'EdDSA', typ: 'JWT' })}.${b64(claims)}.firma`;
}

export function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
    data,
  };
}

/** Two "tabs" of one browser: every message posted on one reaches the others (BroadcastChannel). */
export function channelPair() {
  const listeners: Array<Array<(e: MessageEvent) => void>> = [[], []];
  const make = (i: number) => ({
    postMessage: (m: unknown) => listeners[1 - i].forEach((l) => l({ data: m } as MessageEvent)),
    addEventListener: (_t: 'message', l: (e: MessageEvent) => void) => void listeners[i].push(l),
  });
  return [make(0), make(1)] as const;
}

/** Web Locks as one queue shared by the tabs of the test. */
export function sharedLocks() {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    request<T>(_name: string, cb: () => Promise<T>): Promise<T> {
      const run = tail.then(cb, cb);
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

export function envelope(data: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ success: true, data }), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function failure(status: number, code: string, message = 'Error', details?: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ success: false, error: { code, message, details } }), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function renderUi(ui: ReactElement) {
  return render(<MantineProvider theme={theme}>{ui}</MantineProvider>);
}
