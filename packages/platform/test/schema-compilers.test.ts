import { afterAll, describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { Envelope, ErrorEnvelopeSchema } from '../src/envelope.ts';
import { ok } from '../src/reply.ts';
import { compiledSchemaStats } from '../src/schema-compilers.ts';
import { createServer, type App } from '../src/server.ts';

const apps: App[] = [];

afterAll(async () => {
  for (const app of apps) await app.close();
});

// A schema no other test file declares, so the first app of this file is the one that compiles it.
const Body = Type.Object({ label: Type.String({ minLength: 3 }), count: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
const Query = Type.Object({ size: Type.Optional(Type.Integer({ minimum: 1, maximum: 7_919 })) });
const Item = Type.Object({ label: Type.String(), count: Type.Integer(), marker: Type.Literal('schema-compilers-test') });

async function app(name: string): Promise<App> {
  const a = await createServer({ name, config: { logLevel: 'silent', corsOrigins: ['*'], bodyLimit: 4096, publicBaseUrl: 'http://localhost:8000' } });
  a.post(
    '/items',
    { schema: { body: Body, querystring: Query, response: { 201: Envelope(Item), 404: ErrorEnvelopeSchema, 409: ErrorEnvelopeSchema } } },
    async (request, reply) =>
      // `secret` is not in the response schema: the serializer leaves it out.
      reply.code(201).send(ok(request, { ...request.body, marker: 'schema-compilers-test' as const, secret: 'x' })),
  );
  await a.ready();
  apps.push(a);
  return a;
}

describe('route schemas compiled once per process', () => {
  it('when a second app declares the same route schemas, then nothing is compiled again and both validate and serialize alike', async () => {
    const first = await app('first');
    const before = compiledSchemaStats();
    const second = await app('second');
    const after = compiledSchemaStats();
    expect(after.compiled).toBe(before.compiled);
    expect(after.reused).toBeGreaterThanOrEqual(before.reused + 3);

    for (const a of [first, second]) {
      const ok = await a.inject({ method: 'POST', url: '/items?size=3', payload: { label: 'abc', count: 2 } });
      expect(ok.statusCode).toBe(201);
      expect(ok.json().data).toEqual({ label: 'abc', count: 2, marker: 'schema-compilers-test' });
      // The body is not coerced ("2" stays a string), the query string is; both name the field.
      const bad = await a.inject({ method: 'POST', url: '/items?size=9000', payload: { label: 'ab', count: '2' } });
      expect(bad.statusCode).toBe(422);
      const badQuery = await a.inject({ method: 'POST', url: '/items?size=Infinity', payload: { label: 'abc', count: 2 } });
      expect(badQuery.statusCode).toBe(422);
    }
  });

  it('when a schema differs in one keyword, then it is compiled on its own', async () => {
    const a = await createServer({ name: 'third', config: { logLevel: 'silent', corsOrigins: ['*'], bodyLimit: 4096, publicBaseUrl: 'http://localhost:8000' } });
    apps.push(a);
    const before = compiledSchemaStats();
    a.post('/other', { schema: { body: Type.Object({ label: Type.String({ minLength: 4 }) }) } }, async () => ({ ok: true }));
    await a.ready();
    expect(compiledSchemaStats().compiled).toBeGreaterThan(before.compiled);
    expect((await a.inject({ method: 'POST', url: '/other', payload: { label: 'abc' } })).statusCode).toBe(422);
  });
});
