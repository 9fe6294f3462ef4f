/**
 * The contract every operation keeps (00-conventions §2), enforced by createServer for every route:
 * authorization before validation, x-roles and the platform's statuses in the document, NUL refused,
 * bodies not coerced, RFC 3339 instants PostgreSQL can hold, 405 with Allow.
 */
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, createLocalVerifier, guardRoutes, registerAuth, requireAuth, requireRole, tagGuard } from '../src/auth.ts';
import { Envelope, errorResponses } from '../src/envelope.ts';
import { errors } from '../src/errors.ts';
import { ok } from '../src/reply.ts';
import { ADMINS, COORDINATION } from '../src/roles.ts';
import { Uuid } from '../src/schemas.ts';
import { createServer, type App } from '../src/server.ts';
import { expectError, expectOk } from '../src/testing/http.ts';
import { createTestKeys, mintToken, type TestKeys } from '../src/testing/keys.ts';
import { isCalendarDate, isRfc3339DateTime } from '../src/validation.ts';

let app: App;
let keys: TestKeys;
let doc: { paths: Record<string, Record<string, { 'x-roles'?: string[]; responses: Record<string, unknown>; security?: unknown }>> };
const token: Record<string, string> = {};
const bearer = (role: string) => ({ authorization: `Bearer ${token[role]}` });
const stored: unknown[] = [];

const Body = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 20 }),
    active: Type.Optional(Type.Boolean()),
    count: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
    owner: Type.Optional(Uuid),
    tags: Type.Optional(Type.Array(Type.String())),
    at: Type.Optional(Type.String({ format: 'date-time' })),
    on: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);

beforeAll(async () => {
  keys = await createTestKeys();
  for (const role of ['admin', 'coordinador', 'instructor']) token[role] = await mintToken(keys, { role });
  app = await createServer({
    name: 'probe',
    config: { logLevel: 'silent', corsOrigins: ['*'], bodyLimit: 4096, publicBaseUrl: 'http://localhost:8000' },
  });
  registerAuth(app, createLocalVerifier(keys.jwks, { issuer: 'sicora', audience: 'sicora-api' }), { readiness: false });

  // A guarded write whose guard sits in preHandler, as the services write it.
  app.post(
    '/things',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { body: Body, response: { 201: Envelope(Type.Object({ stored: Type.Unknown() })) } } },
    async (request, reply) => {
      stored.push(request.body);
      return reply.code(201).send(ok(request, { stored: request.body }));
    },
  );
  app.get(
    '/things/:id',
    {
      preHandler: requireRole('admin'),
      schema: { params: Type.Object({ id: Uuid }), querystring: Type.Object({ n: Type.Optional(Type.Integer({ maximum: 5 })), at: Type.Optional(Type.String({ format: 'date-time' })) }), response: { 200: Envelope(Type.Object({ id: Type.String(), n: Type.Optional(Type.Integer()) })), ...errorResponses(404) } },
    },
    async (request) => ok(request, { id: request.params.id, n: request.query.n }),
  );
  app.delete('/things/:id', { preHandler: requireRole('admin'), schema: { params: Type.Object({ id: Uuid }), response: { 204: Type.Null() } } }, async (_request, reply) => reply.code(204).send(null));
  // Public, with a body and a query.
  app.post('/public/echo', { schema: { body: Type.Object({ text: Type.String() }), response: { 200: Envelope(Type.Object({ text: Type.String() })) } } }, async (request) =>
    ok(request, { text: request.body.text }),
  );
  // A plugin whose every route is guarded by one declaration (the gateway's admin API).
  await app.register(async (admin) => {
    guardRoutes(admin, tagGuard(async (request) => {
      const user = await authenticate(request);
      if (user.role !== 'admin') throw errors.forbidden('No tiene permisos para esta acción', { required_roles: ADMINS });
    }, { roles: ADMINS }));
    admin.put('/admin/settings', { schema: { body: Type.Object({ level: Type.Integer() }, { additionalProperties: false }), response: { 200: Envelope(Type.Object({ level: Type.Integer() })) } } }, async (request) =>
      ok(request, { level: (request.body as { level: number }).level }),
    );
  });
  await app.ready();
  doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
});

afterAll(async () => {
  await app.close();
});

function fields(res: { body: string }): Array<{ field: string; reason: string }> {
  return (JSON.parse(res.body) as { error: { details: { fields: Array<{ field: string; reason: string }> } } }).error.details.fields;
}

/** Asserts a 422 VALIDATION_ERROR and returns its field entries. */
function invalid(res: Parameters<typeof expectError>[0] & { body: string }) {
  expectError(res, 422, 'VALIDATION_ERROR');
  return fields(res);
}

describe('order of checks: 401 → 403 → 400/415/422', () => {
  it('when a caller without a token sends a broken body, malformed JSON or a foreign media type, then 401, never field details', async () => {
    for (const [payload, type] of [[{ name: 5 }, 'application/json'], ['{"name":', 'application/json'], ['x', 'application/xml']] as const) {
      const res = await app.inject({ method: 'POST', url: '/things', payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': type } });
      expectError(res, 401, 'UNAUTHENTICATED');
    }
    expectError(await app.inject({ method: 'GET', url: '/things/not-a-uuid?n=99' }), 401, 'UNAUTHENTICATED');
  });

  it('when a refused role sends a broken input, then 403, never 400/415/422', async () => {
    expectError(await app.inject({ method: 'POST', url: '/things', payload: { name: 5 }, headers: bearer('instructor') }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await app.inject({ method: 'POST', url: '/things', payload: '{"name":', headers: { ...bearer('instructor'), 'content-type': 'application/json' } }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await app.inject({ method: 'GET', url: '/things/not-a-uuid', headers: bearer('coordinador') }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await app.inject({ method: 'PUT', url: '/admin/settings', payload: { level: 'x' }, headers: bearer('coordinador') }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await app.inject({ method: 'PUT', url: '/admin/settings', payload: { level: 'x' } }), 401, 'UNAUTHENTICATED');
  });

  it('when a path parameter is very long, then the route still matches: 401 without a token, 422 naming it for an allowed role', async () => {
    const long = `/things/${'x'.repeat(5000)}`;
    expectError(await app.inject({ method: 'GET', url: long }), 401, 'UNAUTHENTICATED');
    expect(invalid(await app.inject({ method: 'GET', url: long, headers: bearer('admin') })).map((f) => f.field)).toEqual(['id']);
  });

  it('when an allowed role sends the broken input, then it gets the 422 naming the field', async () => {
    expect(invalid(await app.inject({ method: 'POST', url: '/things', payload: { name: 5 }, headers: bearer('coordinador') })).map((f) => f.field)).toEqual(['name']);
    expect(invalid(await app.inject({ method: 'PUT', url: '/admin/settings', payload: { level: 'x' }, headers: bearer('admin') })).map((f) => f.field)).toEqual(['level']);
  });
});

describe('the document: x-roles, security and the platform statuses', () => {
  it('when a route is guarded, then x-roles comes from the guard and 401/403/422/500/503 are documented with the envelope', () => {
    const post = doc.paths['/things'].post;
    expect(post['x-roles']).toEqual(['admin', 'coordinador']);
    expect(post.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(post.responses)).toEqual(['201', '400', '401', '403', '413', '415', '422', '500', '503']);
    // Every error status refers to the one shared envelope, with what the status means as its description.
    const refused = post.responses['415'] as { description: string; content: Record<string, { schema: { $ref: string } }> };
    expect(refused.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorEnvelope' });
    expect(refused.description).toMatch(/^UNSUPPORTED_MEDIA_TYPE/);
    const envelope = (doc as unknown as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } }).components.schemas.ErrorEnvelope;
    expect(Object.keys(envelope.properties)).toEqual(['success', 'error', 'links', 'meta']);
    expect(doc.paths['/things/{id}'].get['x-roles']).toEqual(['admin']);
    expect(Object.keys(doc.paths['/things/{id}'].get.responses)).toEqual(['200', '401', '403', '404', '422', '500', '503']);
    expect(Object.keys(doc.paths['/things/{id}'].delete.responses)).toEqual(['204', '400', '401', '403', '413', '415', '422', '500', '503']);
    expect(doc.paths['/admin/settings'].put['x-roles']).toEqual(['admin']);
  });

  it('when a route has no guard, then x-roles is public and no 401/403 is documented', () => {
    const echo = doc.paths['/public/echo'].post;
    expect(echo['x-roles']).toEqual(['public']);
    expect(Object.keys(echo.responses)).toEqual(['200', '400', '413', '415', '422', '500']);
  });

  it('when the platform routes are documented, then they get no x-roles', () => {
    expect(doc.paths['/health/ready'].get['x-roles']).toBeUndefined();
  });

  it('when a route declares x-roles that differ from its guard, then the server refuses to start', async () => {
    const other = await createServer({ name: 'probe', config: { logLevel: 'silent', corsOrigins: ['*'], bodyLimit: 1024, publicBaseUrl: 'http://localhost' } });
    expect(() => other.get('/x', { preHandler: requireRole('admin'), schema: { 'x-roles': ['admin', 'instructor'] } as never }, async () => 'x')).toThrow(/x-roles/);
    await other.close();
  });
});

describe('inputs (00-conventions §2)', () => {
  it('when a body sends a boolean, a number or null where a string is declared, or a string where a boolean is, then 422 and nothing is stored', async () => {
    const before = stored.length;
    for (const payload of [{ name: false }, { name: 12 }, { name: null }, { name: 'a', active: 'false' }, { name: 'a', count: '3' }, { name: 'a', owner: '' }, { name: 'a', tags: 'x' }]) {
      const res = await app.inject({ method: 'POST', url: '/things', payload, headers: bearer('admin') });
      expectError(res, 422, 'VALIDATION_ERROR');
    }
    expect(stored.length).toBe(before);
    const res = await app.inject({ method: 'POST', url: '/things', payload: { name: 'a', active: false, count: 3, tags: ['x'] }, headers: bearer('admin') });
    expect(expectOk(res, 201)).toEqual({ stored: { name: 'a', active: false, count: 3, tags: ['x'] } });
  });

  it('when the query string and the path carry numbers, then they are read as the declared types', async () => {
    const id = '6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
    expect(expectOk(await app.inject({ method: 'GET', url: `/things/${id}?n=4`, headers: bearer('admin') }))).toEqual({ id, n: 4 });
  });

  it.each(['-Infinity', 'Infinity', 'NaN'])('when a query number is %s, then 422 naming it (coercion must not let a non-finite number past the bounds)', async (n) => {
    const res = await app.inject({ method: 'GET', url: `/things/6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b?n=${n}`, headers: bearer('admin') });
    expect(invalid(res)).toContainEqual(expect.objectContaining({ field: 'n' }));
  });

  it.each([
    ['body', { method: 'POST' as const, url: '/things', payload: { name: 'a\u0000b' } }, 'name'],
    ['body array item', { method: 'POST' as const, url: '/things', payload: { name: 'a', tags: ['ok', 'x\u0000'] } }, 'tags.1'],
    ['query', { method: 'GET' as const, url: '/things/6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b?at=2026%00' }, 'at'],
    ['path', { method: 'GET' as const, url: '/things/a%00b' }, 'id'],
  ])('when a NUL character comes in the %s, then 422 VALIDATION_ERROR names the field', async (_where, request, field) => {
    expect(invalid(await app.inject({ ...request, headers: bearer('admin') }))).toContainEqual(expect.objectContaining({ field, reason: 'nul_character' }));
  });

  it('when a public route gets a NUL character, then it is refused as well', async () => {
    const res = await app.inject({ method: 'POST', url: '/public/echo', payload: { text: '\u0000' } });
    expect(invalid(res)).toEqual([expect.objectContaining({ field: 'text', reason: 'nul_character' })]);
  });

  it.each([
    '2026-12-31T23:59:60Z',
    '2026-01-01T00:00:00-16:16',
    '2026-01-01T00:00:00+16:00',
    '10000-01-01T00:00:00Z',
    '9999-12-31T23:59:59-00:01',
    '0001-01-01T00:00:00+15:59',
    '0000-06-01T00:00:00Z',
    '2023-02-29T10:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T10:00:00',
    '2026-01-01',
  ])('when a date-time is %s, then 422 names it, in the body and in the query', async (value) => {
    const body = await app.inject({ method: 'POST', url: '/things', payload: { name: 'a', at: value }, headers: bearer('admin') });
    expect(invalid(body).map((f) => f.field)).toEqual(['at']);
    const query = await app.inject({ method: 'GET', url: `/things/6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b?at=${encodeURIComponent(value)}`, headers: bearer('admin') });
    expect(invalid(query).map((f) => f.field)).toEqual(['at']);
  });

  it.each(['2026-12-31T23:59:59Z', '2026-01-01T00:00:00-15:59', '2024-02-29T23:59:59.999999+15:59', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2026-01-01t10:00:00z'])(
    'when a date-time is %s, then it is accepted',
    async (value) => {
      const res = await app.inject({ method: 'POST', url: '/things', payload: { name: 'a', at: value }, headers: bearer('admin') });
      expectOk(res, 201);
    },
  );

  it('when dates are checked, then only real calendar dates in 0001–9999 pass', () => {
    expect(['2024-02-29', '0001-01-01', '9999-12-31'].map(isCalendarDate)).toEqual([true, true, true]);
    expect(['2023-02-29', '0000-01-01', '2026-13-01', '2026-1-1', '12026-01-01'].map(isCalendarDate)).toEqual([false, false, false, false, false]);
    expect(isRfc3339DateTime('2026-03-02T14:05:00.000Z')).toBe(true);
  });

  it('when a date is not a calendar date, then 422', async () => {
    const res = await app.inject({ method: 'POST', url: '/things', payload: { name: 'a', on: '0000-01-01' }, headers: bearer('admin') });
    expect(invalid(res).map((f) => f.field)).toEqual(['on']);
  });
});

describe('405 METHOD_NOT_ALLOWED', () => {
  it('when a path exists with other methods, then 405 with Allow', async () => {
    const res = await app.inject({ method: 'PATCH', url: '/things/6f1c2b1e-3c4d-4e5f-8a9b-0c1d2e3f4a5b' });
    expectError(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.allow).toBe('GET, HEAD, DELETE, OPTIONS');
    const put = await app.inject({ method: 'PUT', url: '/things' });
    expectError(put, 405, 'METHOD_NOT_ALLOWED');
    expect(put.headers.allow).toBe('POST, OPTIONS');
  });

  it('when the path does not exist, then still 404', async () => {
    expectError(await app.inject({ method: 'PATCH', url: '/nowhere' }), 404, 'NOT_FOUND');
  });
});
