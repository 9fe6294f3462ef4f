import { describe, expect, it } from 'vitest';
import { SEED_ROUTES } from './seed-config.ts';
import { bodyLimitFor, createRouteMatcher, DEFAULT_BODY_LIMIT, DEFAULT_MULTIPART_LIMIT, pathOf, type RouteRule } from './route-matching.ts';

const match = createRouteMatcher();

describe('route matching (R2)', () => {
  it('when a path is under a prefix of 00-conventions §1, then its owner is chosen, on segment boundaries only', () => {
    expect(match('/api/v1/users', 'GET')?.service).toBe('users');
    expect(match('/api/v1/users/me', 'GET')?.service).toBe('users');
    expect(match('/api/v1/groups/1/members', 'DELETE')?.service).toBe('schedules');
    expect(match('/api/v1/notifications/admin/dashboard', 'GET')?.service).toBe('notification');
    expect(match('/api/v1/usersfoo', 'GET')).toBeUndefined();
    expect(match('/api/v1', 'GET')).toBeUndefined();
    expect(match('/health/x', 'GET')).toBeUndefined();
    expect(match('/API/v1/users', 'GET')).toBeUndefined();
  });

  it('when an exact upload rule and a prefix both match, then the exact one wins for its method and the prefix for others', () => {
    expect(match('/api/v1/users/import', 'POST')).toMatchObject({ name: 'users-import', deadline_ms: 60_000 });
    expect(match('/api/v1/users/import', 'GET')?.name).toBe('users');
    expect(match('/api/v1/kb/imports/pdf', 'POST')).toMatchObject({ name: 'kb-pdf', body_limit_bytes: 51 * 1_048_576 });
    expect(match('/api/v1/kb/admin/reindex', 'GET')?.name).toBe('kb-admin');
    expect(match('/.well-known/jwks.json', 'GET')?.name).toBe('jwks');
  });

  it('when two rules have the same pattern, then the one with a method list is tried first', () => {
    const base = SEED_ROUTES[0];
    const rules: RouteRule[] = [
      { ...base, name: 'all', pattern: '/x', match: 'prefix', methods: null, service: 'kb' },
      { ...base, name: 'post', pattern: '/x', match: 'prefix', methods: ['POST'], service: 'ai' },
      { ...base, name: 'off', pattern: '/x/1', match: 'exact', methods: null, service: 'users', enabled: false },
    ];
    const m = createRouteMatcher(rules);
    expect(m('/x/1', 'POST')?.name).toBe('post');
    expect(m('/x/1', 'GET')?.name).toBe('all');
    expect(m('/x/1', 'PUT')?.name).toBe('all');
  });

  it('when the seed is read, then it holds the 42 rules of §4.8 (1–39, 5a, 40, 41) with unique names', () => {
    expect(SEED_ROUTES).toHaveLength(42);
    expect(new Set(SEED_ROUTES.map((r) => r.name)).size).toBe(42);
    // 40–41: a report or the records export gets 60 s and is never retried (attendance RP4, RC6).
    expect(match('/api/v1/attendance/reports/periods', 'GET')).toMatchObject({ name: 'attendance-reports', deadline_ms: 60_000, max_retries: 0 });
    expect(match('/api/v1/attendance/records/export', 'GET')).toMatchObject({ name: 'attendance-export', deadline_ms: 60_000, max_retries: 0 });
    expect(match('/api/v1/attendance/records', 'GET')).toMatchObject({ name: 'attendance', deadline_ms: null });
    expect(match('/api/v1/auth/demo-accounts', 'GET')).toMatchObject({ access: 'public', rate_limit_policy: 'anonymous' });
    expect(match('/api/v1/auth/login', 'POST')).toMatchObject({ access: 'public', rate_limit_policy: 'auth' });
    expect(match('/api/v1/users/security-events', 'GET')).toMatchObject({ roles: ['admin'] });
  });

  it('when the body limit is asked, then multipart gets 6 MiB, others 1 MiB, and a rule override replaces both', () => {
    const plain = match('/api/v1/evalin/x', 'POST')!;
    expect(bodyLimitFor(plain, 'application/json')).toBe(DEFAULT_BODY_LIMIT);
    expect(bodyLimitFor(plain, undefined)).toBe(DEFAULT_BODY_LIMIT);
    expect(bodyLimitFor(plain, 'Multipart/Form-Data; boundary=x')).toBe(DEFAULT_MULTIPART_LIMIT);
    expect(bodyLimitFor(match('/api/v1/projecteval/deliverables/1', 'POST')!, 'multipart/form-data')).toBe(100 * 1_048_576);
  });

  it('when the raw target has a query, then only the path is matched', () => {
    expect(pathOf('/a/b?c=/d')).toBe('/a/b');
    expect(pathOf('/a')).toBe('/a');
  });
});
