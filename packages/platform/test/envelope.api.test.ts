import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { Envelope } from '../src/envelope.ts';
import { errors } from '../src/errors.ts';
import { ok } from '../src/reply.ts';
import { createServer, type App } from '../src/server.ts';
import { expectError, expectOk } from '../src/testing/http.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/db.ts';

let app: App;
let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await createServer({
    name: 'probe',
    config: { logLevel: 'silent', corsOrigins: ['http://localhost:5173'], bodyLimit: 2048, publicBaseUrl: 'http://localhost:8000' },
  });
  app.post(
    '/things',
    {
      schema: {
        body: Type.Object({ email: Type.String({ format: 'email' }), count: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: { 201: Envelope(Type.Object({ count: Type.Integer() })) },
      },
    },
    async (request, reply) => reply.code(201).send(ok(request, { count: request.body.count }, { message: 'Creado' })),
  );
  app.get('/boom', async () => {
    throw new Error('SELECT secret FROM internal_table');
  });
  app.get('/conflict', async () => {
    throw errors.conflict('EMAIL_ALREADY_EXISTS', 'El correo ya está registrado', { field: 'email' });
  });
  app.health.add('database', { required: true, run: async () => { await tdb.query('SELECT 1'); } });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await tdb.destroy();
});

describe('envelope and errors', () => {
  it('when the body is valid, then a success envelope with message, data and meta is returned', async () => {
    const res = await app.inject({ method: 'POST', url: '/things', payload: { email: 'a@b.co', count: 2 } });
    const data = expectOk(res, 201);
    expect(data).toEqual({ count: 2 });
    expect(res.json().message).toBe('Creado');
  });

  it('when fields are invalid, unknown or missing, then 422 VALIDATION_ERROR names every field', async () => {
    const res = await app.inject({ method: 'POST', url: '/things', payload: { email: 'not-an-email', extra: true } });
    const error = expectError(res, 422, 'VALIDATION_ERROR');
    const fields = (error.details as { fields: Array<{ field: string; reason: string }> }).fields;
    expect(fields.map((f) => f.field).sort()).toEqual(['count', 'email', 'extra']);
    expect(fields.find((f) => f.field === 'extra')?.reason).toBe('unknown_field');
  });

  it('when the JSON is malformed, then 400 INVALID_INPUT', async () => {
    const res = await app.inject({ method: 'POST', url: '/things', payload: '{"email":', headers: { 'content-type': 'application/json' } });
    expectError(res, 400, 'INVALID_INPUT');
  });

  it('when the body exceeds the limit, then 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await app.inject({ method: 'POST', url: '/things', payload: JSON.stringify({ email: 'x'.repeat(5000) }), headers: { 'content-type': 'application/json' } });
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('when the media type is unknown, then 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await app.inject({ method: 'POST', url: '/things', payload: 'x', headers: { 'content-type': 'text/x-unknown' } });
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('when the route does not exist, then 404 NOT_FOUND in the envelope', async () => {
    expectError(await app.inject({ method: 'GET', url: '/nowhere' }), 404, 'NOT_FOUND');
  });

  it('when a handler fails unexpectedly, then 500 INTERNAL_ERROR with a masked message and the request id', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'trace-abc-123' } });
    const error = expectError(res, 500, 'INTERNAL_ERROR');
    expect(res.body).not.toContain('SELECT');
    expect(res.body).not.toContain('internal_table');
    expect(error.details).toEqual({ request_id: 'trace-abc-123' });
  });

  it('when a domain error is thrown, then its code, status and details are kept', async () => {
    const error = expectError(await app.inject({ method: 'GET', url: '/conflict' }), 409, 'EMAIL_ALREADY_EXISTS');
    expect(error.details).toEqual({ field: 'email' });
  });
});

describe('request id', () => {
  it('when the client sends a valid X-Request-Id, then it is echoed', async () => {
    const res = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'client-id-0001' } });
    expect(res.headers['x-request-id']).toBe('client-id-0001');
  });

  it('when the client id is malformed, then a new UUID v4 replaces it', async () => {
    const res = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'bad id!' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('platform routes', () => {
  it('when /health/ready runs, then named checks are reported and a failed required one gives 503', async () => {
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toEqual({ database: 'ok' });
    app.health.add('broken', { required: true, run: async () => { throw new Error('down'); } });
    app.health.add('optional', { required: false, run: () => false });
    app.health.markNotConfigured('redis');
    const notReady = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({ status: 'not_ready', checks: { database: 'ok', broken: 'error', optional: 'error', redis: 'not_configured' } });
  });

  it('when /metrics is scraped, then request durations are labelled by route pattern', async () => {
    await app.inject({ method: 'POST', url: '/things', payload: { email: 'a@b.co', count: 1 } });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/http_request_duration_seconds_count\{[^}]*method="POST",route="\/things",status="201"\}/);
  });

  it('when /docs/json is read, then an OpenAPI 3.1 document lists the routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.json().openapi).toBe('3.1.0');
    expect(Object.keys(res.json().paths)).toContain('/things');
    const ui = await app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('when a request comes from an allowed origin, then CORS and security headers are set', async () => {
    const res = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'http://localhost:5173' } });
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    const other = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'http://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
