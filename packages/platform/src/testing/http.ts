/**
 * Assertions on envelopes for `app.inject` responses and raw fetches.
 */
import { expect } from 'vitest';

export interface ResponseLike {
  statusCode?: number;
  status?: number;
  headers: Record<string, unknown> | Headers;
  body?: string;
  json?: () => unknown;
}

function header(res: ResponseLike, name: string): string | undefined {
  if (res.headers instanceof Headers) return res.headers.get(name) ?? undefined;
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? String(v[0]) : v === undefined ? undefined : String(v);
}

function bodyOf(res: ResponseLike): Record<string, unknown> {
  if (typeof res.body === 'string') return JSON.parse(res.body) as Record<string, unknown>;
  throw new Error('response body not read');
}

/** Asserts an error envelope with this status and code; returns the parsed `error` for further checks. */
export function expectError(res: ResponseLike, status: number, code: string) {
  const body = bodyOf(res) as { success: boolean; error: { code: string; message: string; details?: unknown }; meta: { request_id: string; timestamp: string } };
  expect({ status: res.statusCode ?? res.status, code: body.error?.code }).toEqual({ status, code });
  expect(body.success).toBe(false);
  expect(typeof body.error.message).toBe('string');
  expect(body.meta.request_id).toBe(header(res, 'x-request-id'));
  expect(Number.isNaN(Date.parse(body.meta.timestamp))).toBe(false);
  return body.error;
}

/** Asserts a success envelope with this status; returns `data`. */
export function expectOk<T = any>(res: ResponseLike, status = 200): T {
  const body = bodyOf(res) as { success: boolean; data: T; meta: { request_id: string } };
  expect({ status: res.statusCode ?? res.status, success: body.success }).toEqual({ status, success: true });
  expect(body.meta.request_id).toBe(header(res, 'x-request-id'));
  return body.data;
}
