import { describe, expect, it } from 'vitest';
import { isAppError } from '@sicora/platform/errors';
import { checkRequest, checkTargets, requestHash, type SendRequest } from './send-request.ts';

const NOW = new Date('2026-03-11T15:00:00Z');
const U = '5eed0001-0000-4000-8000-000000000021';
const base: SendRequest = { type: 'attendance.absence_recorded', target_users: [U], data: { subject: 'Inglés', session_date: '2026-03-10' } };

/** The error code and the `field:reason` pairs a check throws, or null when it passes. */
function failure(fn: () => unknown): { code: string; fields: string[] } | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (!isAppError(err)) throw err;
    const fields = ((err.details as { fields?: Array<{ field: string; reason: string }> } | undefined)?.fields ?? []).map((f) => `${f.field}:${f.reason}`);
    return { code: err.code, fields };
  }
}
const check = (req: Partial<SendRequest>, header?: string) => failure(() => checkRequest({ ...base, ...req }, header, NOW));

describe('targets (R5)', () => {
  it('when no target field has an entry, then NO_TARGETS; exclude_users alone is no target', () => {
    expect(failure(() => checkTargets({ type: 'x.y' }))?.code).toBe('NO_TARGETS');
    expect(failure(() => checkTargets({ type: 'x.y', target_users: [], exclude_users: [U] }))?.code).toBe('NO_TARGETS');
    for (const f of ['target_users', 'target_roles', 'target_groups', 'target_group_numbers']) expect(failure(() => checkTargets({ type: 'x.y', [f]: ['a'] }))).toBeNull();
  });

  it('when a list exceeds its limit after de-duplication, then TOO_MANY_TARGETS', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${i}`);
    expect(failure(() => checkTargets({ type: 'x.y', target_users: ids(1001) }))?.code).toBe('TOO_MANY_TARGETS');
    expect(failure(() => checkTargets({ type: 'x.y', target_users: [...ids(1000), ...ids(1000)] }))).toBeNull();
    expect(failure(() => checkTargets({ type: 'x.y', target_users: [U], target_group_numbers: ids(51) }))?.code).toBe('TOO_MANY_TARGETS');
    expect(failure(() => checkTargets({ type: 'x.y', target_users: [U], exclude_users: ids(1001) }))?.code).toBe('TOO_MANY_TARGETS');
  });
});

describe('request rules (R2, R6, R12)', () => {
  it('when the request is valid, then the key in force is the header or the body key', () => {
    expect(checkRequest(base, undefined, NOW)).toEqual({ key: null });
    expect(checkRequest({ ...base, idempotency_key: 'evt:1' }, undefined, NOW)).toEqual({ key: 'evt:1' });
    expect(checkRequest(base, 'hdr-1', NOW)).toEqual({ key: 'hdr-1' });
    expect(checkRequest({ ...base, idempotency_key: 'same' }, 'same', NOW)).toEqual({ key: 'same' });
  });

  it('when the header and body keys differ or the key breaks its pattern, then VALIDATION_ERROR', () => {
    expect(check({ idempotency_key: 'a' }, 'b')?.fields).toContain('idempotency_key:mismatch');
    expect(check({ idempotency_key: 'con espacio' })?.fields).toContain('idempotency_key:pattern');
    expect(check({ idempotency_key: 'x'.repeat(201) })?.fields).toContain('idempotency_key:pattern');
  });

  it('when data is over 16 KiB, deeper than 6, uses a reserved or malformed key, then VALIDATION_ERROR naming it', () => {
    expect(check({ data: { blob: 'x'.repeat(17 * 1024) } })?.fields).toContain('data:too_large');
    expect(check({ data: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } })?.fields).toContain('data:too_deep');
    expect(check({ data: { a: { b: { c: { d: { e: { f: 1 } } } } } } })).toBeNull();
    expect(check({ data: { recipient: 'x' } })?.fields).toContain('data.recipient:reserved');
    expect(check({ data: { Mayus: 1 } })?.fields).toContain('data.Mayus:pattern');
    expect(check({ data: { ok: 1 }, sensitive_keys: ['missing'] })?.fields).toContain('sensitive_keys:unknown_key');
    expect(check({ data: { reset_url: 'http://x' }, sensitive_keys: ['reset_url'] })).toBeNull();
  });

  it('when action_url, locale or a role is malformed, then VALIDATION_ERROR; service is not a target role', () => {
    expect(check({ action_url: 'javascript:alert(1)' })?.fields).toContain('action_url:format');
    expect(check({ action_url: '/asistencia' })).toBeNull();
    expect(check({ action_url: 'https://sicora.test/x' })).toBeNull();
    expect(check({ locale: 'español!' })?.fields).toContain('locale:format');
    expect(check({ target_roles: ['service'] })?.fields).toContain('target_roles:enum');
    expect(check({ target_roles: ['astronauta'] })?.fields).toContain('target_roles:enum');
    expect(check({ target_roles: ['aprendiz'] })).toBeNull();
  });

  it('when an announcement lacks title or message, then VALIDATION_ERROR for each', () => {
    expect(check({ type: 'manual.announcement' })?.fields).toEqual(['title:required', 'message:required']);
    expect(check({ type: 'manual.announcement', title: 'T', message: 'M' })).toBeNull();
  });

  it('when expires_at is not after now and scheduled_at, or scheduled_at is over 90 days ahead, then refused', () => {
    expect(check({ expires_at: '2026-03-11T14:00:00Z' })?.fields).toContain('expires_at:too_early');
    expect(check({ scheduled_at: '2026-03-12T12:00:00Z', expires_at: '2026-03-12T11:00:00Z' })?.fields).toContain('expires_at:too_early');
    expect(check({ scheduled_at: '2026-03-12T12:00:00Z', expires_at: '2026-03-12T13:00:00Z' })).toBeNull();
    expect(check({ scheduled_at: '2026-06-10T15:00:00Z' })?.code).toBe('SCHEDULE_TOO_FAR');
    expect(check({ scheduled_at: '2026-06-09T14:00:00Z' })).toBeNull();
  });
});

describe('request hash (R2)', () => {
  it('when keys are reordered or only the idempotency key differs, then the hash is the same; a changed value changes it', () => {
    const a = requestHash({ type: 't.x', data: { a: 1, b: { c: 2, d: 3 } }, target_users: [U] });
    const b = requestHash({ target_users: [U], data: { b: { d: 3, c: 2 }, a: 1 }, type: 't.x', idempotency_key: 'k1' });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(requestHash({ type: 't.x', data: { a: 2, b: { c: 2, d: 3 } }, target_users: [U] })).not.toBe(a);
  });
});
