import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { Email, IdParams, LocalDate, LocalTime, Nullable, Timestamp, toIso, toIsoOrNull, Uuid } from '../src/schemas.ts';
import { createServer, type App } from '../src/server.ts';

let app: App;

beforeAll(async () => {
  app = await createServer({
    name: 'probe',
    config: { logLevel: 'silent', corsOrigins: ['*'], bodyLimit: 4096, publicBaseUrl: 'http://localhost:8000' },
  });
  const body = Type.Object(
    { at: Type.Optional(Timestamp), day: Type.Optional(LocalDate), time: Type.Optional(LocalTime), email: Type.Optional(Email), ref: Type.Optional(Nullable(Uuid)) },
    { additionalProperties: false },
  );
  app.post('/probe/:id', { schema: { params: IdParams, body } }, async (request) => ({ ok: true, body: request.body }));
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

const ID = '0b7f7a4e-4a55-4a1e-9d2c-6f1f4b1d2a10';
const post = (payload: Record<string, unknown>, id = ID) => app.inject({ method: 'POST', url: `/probe/${id}`, payload });
const fields = (res: Awaited<ReturnType<typeof post>>) =>
  (res.json().error.details.fields as Array<{ field: string }>).map((f) => f.field);

describe('schema helpers through route validation', () => {
  it('when every helper gets a valid value, then the request passes', async () => {
    const res = await post({ at: '2026-03-02T14:05:00.123Z', day: '2026-03-02', time: '07:30', email: 'ana@sena.edu.co', ref: null });
    expect(res.statusCode).toBe(200);
    expect((await post({ at: '2026-03-02T09:05:00-05:00', ref: ID })).statusCode).toBe(200);
    expect((await post({ at: '2026-03-02T09:05:00+15:59' })).statusCode).toBe(200);
  });

  it('when an instant has no offset, a leap second, an offset past 15:59 or a five-digit year, then 422 names it', async () => {
    for (const at of ['2026-03-02T14:05:00', '2016-12-31T23:59:60Z', '2026-03-02T14:05:00+16:00', '12026-03-02T14:05:00Z', '2026-03-02']) {
      const res = await post({ at });
      expect(res.statusCode, at).toBe(422);
      expect(fields(res), at).toContain('at');
    }
  });

  it('when a local date, time, e-mail or uuid is malformed, then 422 names each field', async () => {
    const res = await post({ day: '2026-02-30', time: '7h', email: 'not-an-email', ref: 'abc' });
    expect(res.statusCode).toBe(422);
    expect(fields(res)).toEqual(expect.arrayContaining(['day', 'time', 'email', 'ref']));
    expect((await post({ day: '2026-3-2' })).statusCode).toBe(422);
    expect((await post({ email: `${'a'.repeat(250)}@x.co` })).statusCode).toBe(422);
  });

  it('when the path id is not a uuid, then 422', async () => {
    expect((await post({}, 'abc')).statusCode).toBe(422);
  });

  it('when the schemas are rendered, then Nullable is anyOf with null and the instant keeps format and pattern', () => {
    expect(Nullable(Uuid, { description: 'x' })).toMatchObject({ anyOf: [{ type: 'string', format: 'uuid' }, { type: 'null' }], description: 'x' });
    expect(Timestamp).toMatchObject({ type: 'string', format: 'date-time' });
    expect(new RegExp((Timestamp as { pattern?: string }).pattern!).test(new Date('2026-03-02T14:05:00Z').toISOString())).toBe(true);
  });
});

describe('ISO helpers', () => {
  it('when a Date or nothing is given, then the HTTP form is the ISO UTC string or null', () => {
    const d = new Date(Date.UTC(2026, 2, 2, 14, 5));
    expect(toIso(d)).toBe('2026-03-02T14:05:00.000Z');
    expect(toIsoOrNull(d)).toBe('2026-03-02T14:05:00.000Z');
    expect(toIsoOrNull(null)).toBeNull();
    expect(toIsoOrNull(undefined)).toBeNull();
  });
});
