/**
 * The document states the inputs as the server enforces them: every `sort` allow-list is an enum that the
 * server accepts in full and nothing outside it; rules a handler used to re-check (whole hours, the slot's
 * two forms, a CHANGED session's replacement, the immutable ficha number's shape) are in the schemas and
 * refused with 422 naming the field, changing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, setupBasics, type Harness } from './harness.ts';

let h: Harness;
let b: Awaited<ReturnType<typeof setupBasics>>;
let X: { id: string };
let admin: { authorization: string };
let doc: { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema: Record<string, unknown> }>; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>> };

beforeAll(async () => {
  h = await createHarness();
  b = await setupBasics(h);
  X = h.users.add({ role: 'instructor' });
  admin = await h.as('admin');
  doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
});
afterAll(async () => h.close());

/** The string values a parameter's schema allows (`enum`, or `anyOf` of `const`/`enum`). */
function allowed(schema: Record<string, unknown>): string[] {
  if (Array.isArray(schema.enum)) return schema.enum as string[];
  const anyOf = (schema.anyOf ?? schema.oneOf) as Array<Record<string, unknown>> | undefined;
  return (anyOf ?? []).flatMap((s) => (s.const !== undefined ? [s.const as string] : ((s.enum as string[] | undefined) ?? [])));
}

const entryCount = async () => (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schedules.schedule_entries'))[0].n;

describe('sort allow-lists', () => {
  const LISTS = ['/api/v1/campuses', '/api/v1/venues', '/api/v1/programs', '/api/v1/groups', '/api/v1/schedules', '/api/v1/groups/{id}/apprentices'];

  it('when every documented sort value is sent, then 200; a value outside the enum, then 422 naming sort', async () => {
    for (const path of LISTS) {
      const param = doc.paths[path].get.parameters?.find((p) => p.name === 'sort' && p.in === 'query');
      const values = allowed(param?.schema ?? {});
      expect(values.length, path).toBeGreaterThan(0);
      const url = path.replace('{id}', b.groupA.id);
      for (const v of values) expect((await h.app.inject({ method: 'GET', url: `${url}?sort=${v}`, headers: admin })).statusCode, `${path} ${v}`).toBe(200);
      const err = expectError(await h.app.inject({ method: 'GET', url: `${url}?sort=-bogus`, headers: admin }), 422, 'VALIDATION_ERROR');
      expect(new Set((err.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field)), path).toEqual(new Set(['sort']));
    }
  });

  it('then each list documents `field` and `-field` of its spec allow-list', () => {
    const sortOf = (path: string) => allowed(doc.paths[path].get.parameters!.find((p) => p.name === 'sort')!.schema);
    expect(sortOf('/api/v1/campuses')).toEqual(['code', '-code', 'name', '-name', 'created_at', '-created_at']);
    expect(sortOf('/api/v1/venues')).toEqual(['code', '-code', 'name', '-name', 'capacity', '-capacity']);
    expect(sortOf('/api/v1/programs')).toEqual(['code', '-code', 'name', '-name']);
    expect(sortOf('/api/v1/groups')).toEqual(['number', '-number', 'start_date', '-start_date', 'created_at', '-created_at']);
    expect(sortOf('/api/v1/schedules')).toEqual(['day_of_week', '-day_of_week', 'start_time', '-start_time', 'start_date', '-start_date', 'created_at', '-created_at']);
  });
});

describe('rules stated in the schemas', () => {
  const entry = (p: Record<string, unknown>) => ({ group_id: b.groupA.id, instructor_id: X.id, venue_id: b.venue205.id, subject: 'Backend', start_date: '2026-03-02', end_date: '2026-05-24', ...p });

  it('when S2, S7 or V6 get a time that is not a whole hour, then 422 naming it; H:00 is accepted', async () => {
    const before = await entryCount();
    for (const [field, value] of [['start_time', '06:30'], ['end_time', '9:15'], ['end_time', '25:00']]) {
      const body = entry({ day_of_week: 1, start_time: '06:00', end_time: '09:00', [field]: value });
      for (const url of ['/api/v1/schedules', '/api/v1/schedules/check-conflicts']) {
        const err = expectError(await h.app.inject({ method: 'POST', url, headers: admin, payload: body }), 422, 'VALIDATION_ERROR');
        expect(err.details, `${url} ${field}=${value}`).toMatchObject({ fields: [expect.objectContaining({ field })] });
      }
    }
    const v6 = expectError(await h.app.inject({ method: 'GET', url: '/api/v1/venues/availability?day_of_week=1&start_time=06:30&end_time=08:00&date_from=2026-03-02&date_to=2026-03-31', headers: admin }), 422, 'VALIDATION_ERROR');
    expect(v6.details).toMatchObject({ fields: [expect.objectContaining({ field: 'start_time' })] });
    expect(await entryCount()).toBe(before);
    expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/check-conflicts', headers: admin, payload: entry({ day_of_week: 1, start_time: '6:00', end_time: '9:00' }) }));
  });

  it('when S2 has neither the day and both times nor blocks, then 422 naming the missing fields; either form alone is accepted', async () => {
    const before = await entryCount();
    const err = expectError(await h.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: admin, payload: entry({ day_of_week: 1, start_time: '06:00' }) }), 422, 'VALIDATION_ERROR');
    const fields = (err.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['end_time', 'blocks']));
    expect(await entryCount()).toBe(before);
    expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/check-conflicts', headers: admin, payload: entry({ blocks: 'MLUN1-MLUN3' }) }));
    expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/check-conflicts', headers: admin, payload: entry({ day_of_week: 1, start_time: '06:00', end_time: '09:00' }) }));
    const doc200 = doc.paths['/api/v1/schedules'].post.requestBody!.content['application/json'].schema;
    expect(doc200.anyOf).toEqual([{ required: ['day_of_week', 'start_time', 'end_time'] }, { required: ['blocks'] }]);
  });

  it('when S11 asks a CHANGED session without instructor_id or venue_id, then 422 naming them; the document says so', async () => {
    const created = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: admin, payload: entry({ blocks: 'MLUN1-MLUN3' }) }), 201);
    const err = expectError(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${created.id}/exceptions`, headers: admin, payload: { date: '2026-03-16', kind: 'CHANGED', reason: 'Cambio' } }), 422, 'VALIDATION_ERROR');
    const fields = (err.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['instructor_id', 'venue_id']));
    expect((await h.db.query('SELECT 1 FROM schedules.session_exceptions')).length).toBe(0);
    expectOk(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${created.id}/exceptions`, headers: admin, payload: { date: '2026-03-16', kind: 'CANCELLED', reason: 'Salida' } }), 201);
  });

  it('when G4 sends a number that is not a ficha number, then 422 naming number; another valid number, then 422 IMMUTABLE_FIELD', async () => {
    const err = expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/groups/${b.groupA.id}`, headers: admin, payload: { number: 'x'.repeat(5000) } }), 422, 'VALIDATION_ERROR');
    expect(err.details).toMatchObject({ fields: [expect.objectContaining({ field: 'number' })] });
    expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/groups/${b.groupA.id}`, headers: admin, payload: { number: '9999999' } }), 422, 'IMMUTABLE_FIELD');
    expectOk(await h.app.inject({ method: 'PATCH', url: `/api/v1/groups/${b.groupA.id}`, headers: admin, payload: { number: b.groupA.number, notes: 'Igual' } }));
  });

  it('when W2 `at` is a leap second or an offset past ±15:59, then 422 naming at', async () => {
    for (const at of ['2026-03-09T23:59:60Z', '2026-03-09T10:00:00-16:16']) {
      const err = expectError(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/sessions?at=${encodeURIComponent(at)}`, headers: admin }), 422, 'VALIDATION_ERROR');
      expect(new Set((err.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field))).toEqual(new Set(['at']));
    }
  });
});
