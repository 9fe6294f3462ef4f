import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { UPSTREAM_NAMES } from '@sicora/platform/services';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { duplicatePaths } from '../src/core/openapi-merge.ts';
import { resetUpstreams } from './fake-upstreams.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness({ GATEWAY_PROBE_INTERVAL_MS: '100' });
});
afterAll(async () => h?.close());
beforeEach(() => resetUpstreams(h.fakes));

const version = async () => expectOk(await h.inject({ method: 'GET', url: '/api/v1/gateway/status' }), 200).config_version as number;

describe('admin API permissions (§2)', () => {
  it('when a non-admin role or no token calls the admin API, then 403 or 401; an admin gets every read', async () => {
    for (const role of ['coordinador', 'administrativo', 'instructor', 'aprendiz', 'service']) {
      expectError(await h.inject({ method: 'GET', url: '/api/v1/gateway/services', auth: await h.token({ role }) }), 403, 'INSUFFICIENT_PERMISSIONS');
    }
    expectError(await h.inject({ method: 'GET', url: '/api/v1/gateway/status', auth: null }), 401, 'UNAUTHENTICATED');
    for (const url of ['/api/v1/gateway/status', '/api/v1/gateway/services', '/api/v1/gateway/services/kb', '/api/v1/gateway/routes', '/api/v1/gateway/rate-limit-policies', '/api/v1/gateway/config/versions', '/api/v1/gateway/stats', '/api/v1/gateway/request-logs']) {
      expect((await h.inject({ method: 'GET', url })).statusCode).toBe(200);
    }
  });

  it('when S1 and V1 are read, then the seed of §11 is in force: 8 services, 42 rules, 11 policies, version ≥ 1', async () => {
    const status = expectOk(await h.inject({ method: 'GET', url: '/api/v1/gateway/status' }), 200);
    expect(status.services).toHaveLength(8);
    expect(status.rate_limit_store.kind).toBe(process.env.REDIS_URL ? 'redis' : 'memory');
    expect(status.jwks.kids).toEqual([h.keys.kid]);
    const kb = status.services.find((s: { name: string }) => s.name === 'kb');
    expect(kb).toMatchObject({ display_name: 'Base de conocimiento', base_url_source: 'env', critical: false, timeouts: { attempt_timeout_ms: 15_000, deadline_ms: 30_000, max_retries: 1 } });
    expect(expectOk(await h.inject({ method: 'GET', url: '/api/v1/gateway/routes' }), 200).length).toBeGreaterThanOrEqual(42);
    const policies = expectOk(await h.inject({ method: 'GET', url: '/api/v1/gateway/rate-limit-policies' }), 200);
    expect(policies.find((p: { name: string }) => p.name === 'auth').routes_using).toEqual(['auth-login']);
  });
});

describe('US-GW-15 live configuration', () => {
  it('when RT2 adds kb-export for admins, then a coordinador gets 403 at once and the version went up by one; C3 rolls it back', async () => {
    const before = await version();
    const coord = await h.token({ role: 'coordinador' });
    expectOk(await h.inject({ method: 'GET', url: '/api/v1/kb/admin/export', auth: coord }), 200);
    const created = expectOk(
      await h.inject({ method: 'POST', url: '/api/v1/gateway/routes', payload: { name: 'kb-export', methods: ['GET'], pattern: '/api/v1/kb/admin/export', match: 'exact', service: 'kb', access: 'authenticated', roles: ['admin'], expected_config_version: before } }),
      201,
    );
    expect(created.config_version).toBe(before + 1);
    expectError(await h.inject({ method: 'GET', url: '/api/v1/kb/admin/export', auth: coord }), 403, 'INSUFFICIENT_PERMISSIONS');
    const rows = await h.db.query<{ name: string }>("select name from gateway.routes where name = 'kb-export'");
    expect(rows).toHaveLength(1);

    expectOk(await h.inject({ method: 'POST', url: '/api/v1/gateway/config/rollback', payload: { version: before } }), 200);
    expectOk(await h.inject({ method: 'GET', url: '/api/v1/kb/admin/export', auth: coord }), 200);
    const versions = expectOk(await h.inject({ method: 'GET', url: '/api/v1/gateway/config/versions' }), 200);
    expect(versions[0].change_summary).toContain(`reversión a la versión ${before}`);
    expect(versions[1].change_summary).toContain('regla kb-export: creada');
  });

  it('when a rule pattern is reserved or duplicates an enabled rule, then 422 ROUTE_RESERVED_PATH or 409 ROUTE_CONFLICT and nothing changes', async () => {
    const before = await version();
    const base = { match: 'exact', service: 'kb', access: 'public' };
    expectError(await h.inject({ method: 'POST', url: '/api/v1/gateway/routes', payload: { ...base, name: 'salud-x', pattern: '/health/x' } }), 422, 'ROUTE_RESERVED_PATH');
    expectError(await h.inject({ method: 'POST', url: '/api/v1/gateway/routes', payload: { ...base, name: 'login-copia', pattern: '/api/v1/auth/login', methods: ['POST'] } }), 409, 'ROUTE_CONFLICT');
    expectError(await h.inject({ method: 'POST', url: '/api/v1/gateway/routes', payload: { ...base, name: 'kb', pattern: '/x/y' } }), 409, 'ROUTE_NAME_EXISTS');
    expectError(await h.inject({ method: 'PATCH', url: '/api/v1/gateway/services/kb', payload: { max_retries: 1, expected_config_version: before - 1 } }), 409, 'CONFIG_VERSION_CONFLICT');
    expect(await version()).toBe(before);
  });

  it('when C5 imports with dry_run and one invalid route, then 422 CONFIG_IMPORT_INVALID naming its index and field, and nothing is written; a valid merge writes', async () => {
    const before = await version();
    const exported = await h.inject({ method: 'GET', url: '/api/v1/gateway/config/export' });
    expect(exported.headers['content-disposition']).toContain(`gateway_config_v${before}.json`);
    const doc = exported.json();
    expect(doc).toMatchObject({ format: 'sicora-gateway-config', format_version: 1, config_version: before });
    const file = { ...doc, routes: [{ name: 'nueva-ok', pattern: '/api/v1/kb/nuevo', match: 'exact', service: 'kb', access: 'public' }, { name: 'mala', pattern: '/api/v1/kb/../x', match: 'exact', service: 'kb', access: 'public' }] };
    const bad = expectError(await h.inject({ method: 'POST', url: '/api/v1/gateway/config/import?dry_run=true', payload: file }), 422, 'CONFIG_IMPORT_INVALID');
    expect((bad.details as { errors: unknown[] }).errors).toContainEqual(expect.objectContaining({ section: 'routes', index: 1, name: 'mala', field: 'pattern' }));
    expect(await version()).toBe(before);
    const good = { ...file, routes: [file.routes[0]] };
    expect(expectOk(await h.inject({ method: 'POST', url: '/api/v1/gateway/config/import?dry_run=true', payload: good }), 200)).toMatchObject({ dry_run: true, created: 1 });
    expect(await version()).toBe(before);
    const done = expectOk(await h.inject({ method: 'POST', url: '/api/v1/gateway/config/import', payload: good }), 200);
    expect(done).toMatchObject({ dry_run: false, created: 1, config_version: before + 1 });
    expect((await h.inject({ method: 'GET', url: '/api/v1/kb/nuevo', auth: null })).statusCode).toBe(200);
  });

  it('when C5 reads a file whose entries break its schema, then 422 CONFIG_IMPORT_INVALID names each entry and field, and nothing is written', async () => {
    const before = await version();
    const base = { format: 'sicora-gateway-config', format_version: 1 };
    const bad = expectError(
      await h.inject({
        method: 'POST',
        url: '/api/v1/gateway/config/import',
        payload: { ...base, routes: [{ name: 'ok-ruta', pattern: '/api/v1/kb/ok', match: 'exact', service: 'kb', access: 'public' }, { name: 'tipo', pattern: 5, match: 'exact', service: 'kb', access: 'public', color: 'rojo' }] },
      }),
      422,
      'CONFIG_IMPORT_INVALID',
    );
    expect((bad.details as { errors: unknown[] }).errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ section: 'routes', index: 1, name: 'tipo', field: 'pattern' }),
        expect.objectContaining({ section: 'routes', index: 1, name: 'tipo', field: 'color', message: 'Campo desconocido' }),
      ]),
    );
    const shapes = [{ ...base, routes: 5 }, { ...base, format_version: 2 }, { format: 'otro', format_version: 1 }, { ...base, rate_limit_policies: [{ name: 'sin-limite', key_by: 'ip', window_seconds: 60 }] }];
    for (const payload of shapes) expectError(await h.inject({ method: 'POST', url: '/api/v1/gateway/config/import', payload }), 422, 'CONFIG_IMPORT_INVALID');
    expectError(await h.inject({ method: 'POST', url: '/api/v1/gateway/config/import?mode=todo', payload: base }), 422, 'VALIDATION_ERROR');
    expect(await version()).toBe(before);
  });

  it('when RT2 or RT6 get a value outside the documented enum or pattern, then 422 naming the field; an English role alias is accepted', async () => {
    const rule = { name: 'punto', pattern: '/api/v1/kb/./x', match: 'exact', service: 'kb', access: 'public' };
    const bad = expectError(await h.inject({ method: 'POST', url: '/api/v1/gateway/routes', payload: rule }), 422, 'VALIDATION_ERROR');
    expect(JSON.stringify(bad.details)).toContain('pattern');
    expectError(await h.inject({ method: 'POST', url: '/api/v1/gateway/routes/test', payload: { method: 'GET', path: '/api/v1/kb/items', role: 'Rector' } }), 422, 'VALIDATION_ERROR');
    const alias = expectOk(await h.inject({ method: 'POST', url: '/api/v1/gateway/routes/test', payload: { method: 'GET', path: '/api/v1/users/security-events', role: 'apprentice' } }), 200);
    expect(alias.decision).toBe('forbidden');
  });

  it('when RT6 tests a request, then it names the rule, upstream and decision per role', async () => {
    const t = async (body: object) => expectOk(await h.inject({ method: 'POST', url: '/api/v1/gateway/routes/test', payload: body }), 200);
    expect(await t({ method: 'GET', path: '/api/v1/users/security-events', role: 'aprendiz' })).toMatchObject({ route_name: 'users-security-events', service: 'users', decision: 'forbidden' });
    expect(await t({ method: 'GET', path: '/api/v1/kb/items' })).toMatchObject({ decision: 'unauthenticated', policies: ['ip-ceiling', 'user'] });
    expect(await t({ method: 'GET', path: '/api/v1/kb/items', role: 'instructor', must_change_password: true })).toMatchObject({ decision: 'password_change_required' });
    expect((await t({ method: 'POST', path: '/api/v1/auth/login' })).upstream_url).toBe(`${h.fakes.upstreams.users.url}/api/v1/auth/login`);
    expect(await t({ method: 'GET', path: '/api/v2/x' })).toMatchObject({ decision: 'not_found' });
    expect(await t({ method: 'GET', path: '/api/v1/../x' })).toMatchObject({ decision: 'invalid_path' });
  });

  it('when P2 creates, P4 deletes a policy, then builtin and used ones are protected', async () => {
    expectOk(await h.inject({ method: 'POST', url: '/api/v1/gateway/rate-limit-policies', payload: { name: 'reportes', key_by: 'user', limit: 10, window_seconds: 60 } }), 201);
    expectError(await h.inject({ method: 'POST', url: '/api/v1/gateway/rate-limit-policies', payload: { name: 'reportes', key_by: 'user', limit: 10, window_seconds: 60 } }), 409, 'POLICY_NAME_EXISTS');
    expectError(await h.inject({ method: 'DELETE', url: '/api/v1/gateway/rate-limit-policies/user' }), 409, 'POLICY_PROTECTED');
    expectError(await h.inject({ method: 'DELETE', url: '/api/v1/gateway/rate-limit-policies/auth' }), 409, 'POLICY_IN_USE');
    expect((await h.inject({ method: 'DELETE', url: '/api/v1/gateway/rate-limit-policies/reportes' })).statusCode).toBe(204);
    expectError(await h.inject({ method: 'DELETE', url: '/api/v1/gateway/rate-limit-policies/reportes' }), 404, 'POLICY_NOT_FOUND');
  });
});

describe('US-GW-12 and US-GW-10 operator controls', () => {
  it('when V3 disables a service with a maintenance message, then its routes answer 503 with it and Retry-After 300; enabling restores them', async () => {
    expectOk(await h.inject({ method: 'PATCH', url: '/api/v1/gateway/services/evalin', payload: { enabled: false, maintenance_message: 'Mantenimiento programado hasta las 14:00' } }), 200);
    const res = await h.inject({ method: 'GET', url: '/api/v1/evalin/questionnaires' });
    const error = expectError(res, 503, 'SERVICE_UNAVAILABLE');
    expect(res.json().error.message).toBe('Mantenimiento programado hasta las 14:00');
    expect(error.details).toMatchObject({ reason: 'service_disabled', service: 'evalin' });
    expect(res.headers['retry-after']).toBe('300');
    expect(h.fakes.upstreams.evalin.hits).toHaveLength(0);
    const health = (await h.inject({ method: 'GET', url: '/health' })).json();
    expect(health.data.services.find((s: { name: string }) => s.name === 'evalin').status).toBe('disabled');
    expectOk(await h.inject({ method: 'PATCH', url: '/api/v1/gateway/services/evalin', payload: { enabled: true, maintenance_message: null } }), 200);
    expectOk(await h.inject({ method: 'GET', url: '/api/v1/evalin/questionnaires' }), 200);
  });

  it('when V5 forces kb open, then kb answers 503 circuit_open at once without the upstream and the metric says 3; reset restores it', async () => {
    expect(expectOk(await h.inject({ method: 'POST', url: '/api/v1/gateway/services/kb/circuit', payload: { action: 'force_open' } }), 200).state).toBe('forced_open');
    const res = await h.inject({ method: 'GET', url: '/api/v1/kb/items' });
    expect(expectError(res, 503, 'SERVICE_UNAVAILABLE').details).toMatchObject({ reason: 'circuit_open', service: 'kb' });
    expect(h.fakes.upstreams.kb.hits).toHaveLength(0);
    expect(expectOk(await h.inject({ method: 'GET', url: '/api/v1/gateway/services/kb' }), 200).circuit.state).toBe('forced_open');
    expect((await h.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/gateway_circuit_state\{service="kb"[^}]*\} 3/);
    expect(expectOk(await h.inject({ method: 'POST', url: '/api/v1/gateway/services/kb/circuit', payload: { action: 'reset' } }), 200).state).toBe('closed');
    expectOk(await h.inject({ method: 'GET', url: '/api/v1/kb/items' }), 200);
  });

  it('when V6 probes a service and V3 overrides its base URL, then the probe result and the new target are used', async () => {
    expect(expectOk(await h.inject({ method: 'POST', url: '/api/v1/gateway/services/ai/probe' }), 200)).toMatchObject({ status: 'up', http_status: 200, error_code: null });
    expectError(await h.inject({ method: 'POST', url: '/api/v1/gateway/services/nada/probe' }), 404, 'SERVICE_NOT_FOUND');
    const view = expectOk(await h.inject({ method: 'PATCH', url: '/api/v1/gateway/services/ai', payload: { base_url_override: h.fakes.upstreams.kb.url } }), 200);
    expect(view).toMatchObject({ base_url: h.fakes.upstreams.kb.url, base_url_source: 'override' });
    await h.inject({ method: 'GET', url: '/api/v1/ai/chat' });
    expect(h.fakes.upstreams.kb.hits.map((x) => x.url)).toEqual(['/api/v1/ai/chat']);
    expectOk(await h.inject({ method: 'PATCH', url: '/api/v1/gateway/services/ai', payload: { base_url_override: null } }), 200);
  });
});

describe('US-GW-14 registry and health history', () => {
  it('when a service goes down and comes back, then V4 lists transition rows down then up and V2 the current status', async () => {
    h.fakes.upstreams.projecteval.ready = false;
    await vi.waitFor(async () => expect(expectOk(await h.inject({ method: 'GET', url: '/api/v1/gateway/services/projecteval' }), 200).status).toBe('down'), { timeout: 3_000, interval: 25 });
    h.fakes.upstreams.projecteval.ready = true;
    await vi.waitFor(async () => {
      const rows = expectOk(await h.inject({ method: 'GET', url: '/api/v1/gateway/services/projecteval/health-history?kind=transition' }), 200);
      expect(rows.slice(0, 2).map((r: { status: string }) => r.status)).toEqual(['up', 'down']);
      expect(rows[1].error_code).toBe('http_503');
    }, { timeout: 3_000, interval: 25 });
    const view = expectOk(await h.inject({ method: 'GET', url: '/api/v1/gateway/services/projecteval' }), 200);
    expect(view.status).toBe('up');
    expect(Date.parse(view.status_since)).toBeGreaterThan(Date.now() - 10_000);
    const [row] = await h.db.query<{ status: string }>("select status from gateway.services where name = 'projecteval'");
    expect(row.status).toBe('up');
  });
});

describe('US-GW-16 request log and US-GW-17 metrics', () => {
  it('when kb answers 404, then L3 by request id has one row: route kb, outcome client_error, attempts 1, masked IP, no query values', async () => {
    h.fakes.upstreams.kb.handle = (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ success: false, error: { code: 'ITEM_NOT_FOUND', message: 'No existe' }, meta: {} }));
    };
    const id = `log-${randomUUID()}`;
    await h.inject({ method: 'GET', url: '/api/v1/kb/items/9?correo=ana@sena.edu.co', headers: { 'x-request-id': id, 'x-forwarded-for': '203.0.113.77' } });
    const rows = await vi.waitFor(async () => expectOk(await h.inject({ method: 'GET', url: `/api/v1/gateway/request-logs/${id}` }), 200), { timeout: 4_000, interval: 100 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ route_name: 'kb', service: 'kb', status: 404, outcome: 'client_error', attempts: 1, ip_masked: '203.0.113.0/24', query_keys: ['correo'], path: '/api/v1/kb/items/9' });
    expect(JSON.stringify(rows)).not.toContain('ana@sena');
    expectError(await h.inject({ method: 'GET', url: '/api/v1/gateway/request-logs/no-existe-123' }), 404, 'NOT_FOUND');
    const list = expectOk(await h.inject({ method: 'GET', url: '/api/v1/gateway/request-logs?status=4xx&service=kb' }), 200);
    expect(list.some((r: { request_id: string }) => r.request_id === id)).toBe(true);
    const csv = await h.inject({ method: 'GET', url: '/api/v1/gateway/request-logs/export' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFFoccurred_at,request_id,method,path,route_name,service,status,outcome,error_code,duration_ms,upstream_ms,attempts,circuit_state,user_id,role,ip_masked,user_agent\r\n')).toBe(true);
    const stats = expectOk(await h.inject({ method: 'GET', url: '/api/v1/gateway/stats?window=15m' }), 200);
    expect(stats.overall.requests).toBeGreaterThan(0);
    expect(stats.services.find((s: { service: string }) => s.service === 'kb').requests).toBeGreaterThan(0);
    expectError(await h.inject({ method: 'GET', url: '/api/v1/gateway/stats?window=2h' }), 422, 'VALIDATION_ERROR');
  });

  it('when rows are 31 and 29 days old, then the retention job keeps only the 29-day row', async () => {
    const ids = [randomUUID(), randomUUID()];
    for (const [i, days] of [[0, 31], [1, 29]] as const) {
      await h.db.query(
        "insert into gateway.request_logs (request_id, occurred_at, method, path, query_keys, status, outcome, duration_ms, ip_masked, user_agent, instance_id) values ($1, now() - make_interval(days => $2), 'GET', '/x', '{}', 200, 'ok', 1, '127.0.0.0/24', '', 't')",
        [ids[i], days],
      );
    }
    const { createRetentionJob } = await import('../src/infrastructure/retention.job.ts');
    const { createRequestLogRepo } = await import('../src/infrastructure/request-log.repo.ts');
    await createRetentionJob({ database: h.db, logs: createRequestLogRepo(h.db), retentionDays: 30, timeZone: 'America/Bogota', now: () => new Date() }).runOnce();
    const left = await h.db.query<{ request_id: string }>('select request_id from gateway.request_logs where request_id = any($1)', [ids]);
    expect(left.map((r) => r.request_id)).toEqual([ids[1]]);
  });

  it('when traffic reached two services, then /metrics from loopback has upstream histograms and the route label; from elsewhere 403 unless admin', async () => {
    await h.inject({ method: 'GET', url: '/api/v1/kb/items' });
    await h.inject({ method: 'GET', url: '/api/v1/groups' });
    const metrics = (await h.inject({ method: 'GET', url: '/metrics', auth: null })).body;
    expect(metrics).toMatch(/gateway_upstream_duration_seconds_bucket\{[^}]*service="kb"/);
    expect(metrics).toMatch(/gateway_circuit_state\{service="kb"[^}]*\} 0/);
    expect(metrics).toMatch(/gateway_config_version\{[^}]*\} \d+/);
    expectError(await h.inject({ method: 'GET', url: '/metrics', auth: null, headers: { 'x-forwarded-for': '203.0.113.5' } }), 403, 'INSUFFICIENT_PERMISSIONS');
    expect((await h.inject({ method: 'GET', url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.5' } })).statusCode).toBe(200);
  });
});

describe('US-GW-19 CORS and security headers', () => {
  it('when a preflight comes from an allowed origin, then 204 with Idempotency-Key allowed; an evil origin gets no ACAO; JSON carries security headers', async () => {
    const pre = await h.inject({ method: 'OPTIONS', url: '/api/v1/kb/items', auth: null, headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'idempotency-key' } });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(String(pre.headers['access-control-allow-headers'])).toContain('Idempotency-Key');
    const evil = await h.inject({ method: 'GET', url: '/api/v1/kb/items', headers: { origin: 'https://evil.example' } });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    expect(evil.headers['x-content-type-options']).toBe('nosniff');
    expect(evil.headers['x-frame-options']).toBe('DENY');
    expect(String(evil.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(evil.headers['x-powered-by']).toBeUndefined();
    expect(evil.headers['cache-control']).toBe('no-store');
    expect(h.fakes.upstreams.kb.hits.filter((x) => x.method === 'OPTIONS')).toHaveLength(0);
  });
});

describe('US-GW-18 one API document', () => {
  it('when services publish documents, then /docs/json merges them with prefixed schemas and lists the missing ones', async () => {
    const doc = (service: string, path: string) => ({
      openapi: '3.1.0',
      info: { title: service, version: '1' },
      tags: [{ name: 'auth' }],
      paths: { [path]: { post: { tags: ['auth'], responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Login' } } } } } } } },
      components: { schemas: { Login: { type: 'object', properties: { token: { type: 'string' } } } } },
    });
    h.fakes.upstreams.users.openapi = doc('users', '/api/v1/auth/login');
    h.fakes.upstreams.kb.openapi = doc('kb', '/api/v1/kb/search');
    expectOk(await h.inject({ method: 'POST', url: '/api/v1/gateway/config/reload' }), 200);
    const merged = await vi.waitFor(async () => {
      const d = (await h.inject({ method: 'GET', url: '/docs/json', auth: null })).json();
      expect(Object.keys(d.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/kb/search', '/api/v1/gateway/status']));
      return d;
    }, { timeout: 4_000, interval: 100 });
    expect(merged.openapi).toBe('3.1.0');
    expect(merged.info.title).toBe('SICORA API');
    expect(merged.components.schemas.users_Login).toBeDefined();
    expect(merged.paths['/api/v1/kb/search'].post.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/kb_Login');
    expect(merged.paths['/api/v1/auth/login'].post.tags).toEqual(['Usuarios · auth']);
    expect(merged.info['x-sicora-missing-services']).toEqual(expect.arrayContaining(['ai', 'attendance']));
    expect(merged.info['x-sicora-missing-services']).not.toContain('kb');
    const refs = JSON.stringify(merged).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.map((r) => r.slice('"#/components/schemas/'.length, -1)).filter((name) => !merged.components.schemas[name])).toEqual([]);
    // kb going down keeps its last document: its good copy is stored, then the refetch fails (recorded in its cache row).
    const kbFetchError = async () => (await h.db.query<{ fetch_error: string | null }>("select fetch_error from gateway.openapi_cache where service = 'kb'"))[0].fetch_error;
    await vi.waitFor(async () => expect(await kbFetchError()).toBeNull(), { timeout: 3_000, interval: 25 });
    h.fakes.upstreams.kb.openapi = undefined;
    expectOk(await h.inject({ method: 'POST', url: '/api/v1/gateway/config/reload' }), 200);
    await vi.waitFor(async () => expect(await kbFetchError()).not.toBeNull(), { timeout: 3_000, interval: 25 });
    expect(Object.keys((await h.inject({ method: 'GET', url: '/docs/json', auth: null })).json().paths)).toContain('/api/v1/kb/search');
    expect((await h.inject({ method: 'GET', url: '/docs/json?service=kb', auth: null })).json().paths['/api/v1/kb/search']).toBeDefined();
    expectError(await h.inject({ method: 'GET', url: '/docs/json?service=nada', auth: null }), 404, 'SERVICE_NOT_FOUND');
  });

  it('when every service publishes its platform paths and two share a path, then /docs/json has each path once with every method, and only a real double claim is logged', async () => {
    const op = (summary: string, param?: string) => ({
      summary,
      ...(param ? { parameters: [{ name: param, in: 'path', required: true, schema: { type: 'string' } }] } : {}),
      responses: { 200: { description: 'ok' } },
    });
    // As every real service: its own liveness and readiness (the cause of the 14 warnings), plus its API.
    const doc = (paths: Record<string, object>) => ({ openapi: '3.1.0', info: { title: 'x', version: '1' }, paths: { '/health': { get: op('Liveness') }, '/health/ready': { get: op('Readiness') }, ...paths } });
    const extra: Record<string, Record<string, object>> = {
      users: { '/api/v1/compartida': { get: op('users') }, '/api/v1/users/{id}': { get: op('users', 'id') } },
      notification: { '/api/v1/compartida': { post: op('notification') } },
      // One operation claimed twice, under another spelling of the path: the rules send it to users.
      kb: { '/api/v1/users/{user_id}': { get: op('kb', 'user_id'), delete: op('kb', 'user_id') } },
    };
    for (const name of UPSTREAM_NAMES) h.fakes.upstreams[name].openapi = doc({ [`/api/v1/${name}/propio`]: { get: op(name) }, ...extra[name] });
    const warn = vi.spyOn(h.app.log, 'warn');
    try {
      expectOk(await h.inject({ method: 'POST', url: '/api/v1/gateway/config/reload' }), 200);
      const merged = await vi.waitFor(async () => {
        const d = (await h.inject({ method: 'GET', url: '/docs/json', auth: null })).json();
        expect(d.info['x-sicora-missing-services']).toEqual([]);
        expect(d.paths['/api/v1/compartida']?.post).toBeDefined();
        expect(d.paths['/api/v1/users/{id}']?.delete).toBeDefined();
        return d;
      }, { timeout: 4_000, interval: 100 });
      expect(duplicatePaths(merged)).toEqual([]);
      expect(merged.paths['/health'].get.summary).toBe('Estado de la plataforma');
      expect(merged.paths['/health/ready'].get.summary).toBe('Readiness');
      expect(merged.paths['/health/ready'].get.tags).toEqual(['Gateway · platform']);
      expect(Object.keys(merged.paths['/api/v1/compartida']).sort()).toEqual(['get', 'post']);
      expect(merged.paths['/api/v1/users/{id}'].get.summary).toBe('users');
      expect(merged.paths['/api/v1/users/{id}'].delete.parameters[0].name).toBe('id');
      for (const name of UPSTREAM_NAMES) expect(merged.paths[`/api/v1/${name}/propio`].get.summary).toBe(name);
      // Logged when it appears (not on every read of the document), and nothing for the platform paths.
      const claims = warn.mock.calls.filter((call) => String(call[1]).includes('claimed by two services'));
      expect(claims.map((call) => call[0])).toEqual([{ path: '/api/v1/users/{id}', method: 'get', kept: 'users', dropped: 'kb' }]);
      await h.inject({ method: 'GET', url: '/docs/json', auth: null });
      expect(warn.mock.calls.filter((call) => String(call[1]).includes('claimed by two services'))).toHaveLength(1);
    } finally {
      warn.mockRestore();
      for (const name of UPSTREAM_NAMES) h.fakes.upstreams[name].openapi = undefined;
    }
  });
});

describe('the gateway’s own document tells the truth (issue 10)', () => {
  it('when the status page, its assets and the exports are documented, then each in the media type it is served in', async () => {
    const doc = h.app.swagger() as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
    const media = (path: string) => Object.keys(doc.paths[path].get.responses['200'].content ?? {});
    for (const [path, type] of [['', 'text/html'], ['/app.js', 'text/javascript'], ['/app.css', 'text/css']]) {
      const url = `/api/v1/gateway/status/page${path}`;
      expect(media(url)).toEqual([type]);
      expect((await h.inject({ method: 'GET', url, auth: null })).headers['content-type']).toBe(`${type}; charset=utf-8`);
    }
    expect(media('/api/v1/gateway/request-logs/export')).toEqual(['text/csv']);
    expect(media('/api/v1/gateway/config/export')).toEqual(['application/json']);
  });
});
