/**
 * L2 (gateway.md §4.7, §6.1): the request-log export streams by keyset batches in L1's order, with the
 * platform's CSV (BOM, CRLF, formula-safe cells, Bogotá times with offset), and refuses in JSON before
 * the first byte (range, 100 000 rows).
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keysetBatches } from '@sicora/platform/csv-export';
import { expectError } from '@sicora/platform/testing/http';
import type { ExportCursor, ExportRow } from '../src/core/request-log-query.ts';
import { createRequestLogRepo } from '../src/infrastructure/request-log.repo.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

// Rows of one test are told apart from the gateway's own request log by their rule name.
const FROM = '2026-03-01T00:00:00Z';
const TO = '2026-03-03T00:00:00Z';
const exportUrl = (route: string, extra = '') => `/api/v1/gateway/request-logs/export?route_name=${route}&from=${FROM}&to=${TO}${extra}`;

/**
 * `n` rows at 2026-03-02T14:05:00.123456Z minus ⌊i / 500⌋ µs: runs of 500 rows share one instant finer
 * than a millisecond, so batches of 1 000 end inside a run (ties broken by id) and a cursor rounded to
 * a JS Date's milliseconds would skip rows.
 */
async function insertRows(route: string, n: number): Promise<void> {
  await h.db.query(
    `insert into gateway.request_logs (request_id, occurred_at, method, path, query_keys, route_name, service, status, outcome, duration_ms, attempts, ip_masked, user_agent, instance_id)
     select $1 || '-' || i, timestamptz '2026-03-02T14:05:00.123456Z' - make_interval(secs => (i / 500) * 0.000001), 'GET', '/api/v1/kb/items', '{}', $1, 'kb', 200, 'ok', (i % 13) * 1.1, 1, '203.0.113.0/24', 'prueba', 't'
     from generate_series(1, $2::int) as i`,
    [route, n],
  );
}

const expectedIds = async (route: string, order: string) =>
  (await h.db.query<{ request_id: string }>(`select request_id from gateway.request_logs where route_name = $1 order by ${order}`, [route])).map((r) => r.request_id);

const records = (body: string) => parse(body.replace(/^\uFEFF/, ''), { columns: true, record_delimiter: '\r\n' }) as Array<Record<string, string>>;

describe('L2 request-log export (§6.1)', () => {
  it('when the export spans several keyset batches, then every row comes once in L1’s order, both sorts, as a streamed CSV named after the Bogotá minute', async () => {
    const route = `exp-${randomUUID().slice(0, 8)}`;
    await insertRows(route, 2_345);
    const before = new Date();
    const res = await h.inject({ method: 'GET', url: exportUrl(route) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.body.startsWith('\uFEFFoccurred_at,request_id,method,path,route_name,service,status,outcome,error_code,duration_ms,upstream_ms,attempts,circuit_state,user_id,role,ip_masked,user_agent\r\n')).toBe(true);
    const rows = records(res.body);
    expect(rows.map((r) => r.request_id)).toEqual(await expectedIds(route, 'occurred_at desc, id desc'));
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(2_345);
    expect(rows[0]).toMatchObject({ occurred_at: '2026-03-02T09:05:00-05:00', method: 'GET', route_name: route, status: '200', error_code: '', attempts: '1' });
    const minute = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'America/Bogota', dateStyle: 'short', timeStyle: 'short' }).format(d).replace(/[-:]/g, '').replace(' ', '-');
    const names = [before, new Date()].map((d) => `attachment; filename="gateway_solicitudes_${minute(d)}.csv"`);
    expect(names).toContain(res.headers['content-disposition']);

    const slow = await h.inject({ method: 'GET', url: exportUrl(route, '&sort=-duration_ms') });
    expect(records(slow.body).map((r) => r.request_id)).toEqual(await expectedIds(route, 'duration_ms desc, id desc'));
  });

  it('when a cell starts with = + - @ or holds a comma or a quote, then it is made inert and quoted (RFC 4180)', async () => {
    const route = `exp-${randomUUID().slice(0, 8)}`;
    await h.db.query(
      `insert into gateway.request_logs (request_id, occurred_at, method, path, query_keys, route_name, status, outcome, duration_ms, ip_masked, user_agent, instance_id)
       values ('celdas-1', '2026-03-02T12:00:00Z', 'GET', '/api/v1/kb/a,b', '{}', $1, 404, 'client_error', 2.5, '203.0.113.0/24', '=HYPERLINK("http://x")', 't')`,
      [route],
    );
    const res = await h.inject({ method: 'GET', url: exportUrl(route) });
    expect(res.body).toContain('"/api/v1/kb/a,b"');
    expect(res.body).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(records(res.body)[0]).toMatchObject({ occurred_at: '2026-03-02T07:00:00-05:00', path: '/api/v1/kb/a,b', user_agent: `'=HYPERLINK("http://x")`, service: '' });
  });

  it('when newer rows arrive between two batches, then the export neither repeats nor skips a row (a keyset read, not OFFSET)', async () => {
    const route = `exp-${randomUUID().slice(0, 8)}`;
    await insertRows(route, 35);
    const repo = createRequestLogRepo(h.db);
    const filter = { from: new Date(FROM), to: new Date(TO), routeName: route };
    const seen: string[] = [];
    let batches = 0;
    for await (const batch of keysetBatches((after: ExportCursor | undefined, limit) => repo.exportBatch(filter, 'occurred_at', after, limit), (r: ExportRow) => r.cursor, 10)) {
      seen.push(...batch.map((r) => r.requestId));
      // Five rows newer than everything read so far, inside the export's range: an OFFSET read would now
      // hand back the last five rows of this batch again.
      if (batches++ === 0) {
        await h.db.query(
          `insert into gateway.request_logs (request_id, occurred_at, method, path, query_keys, route_name, status, outcome, duration_ms, ip_masked, user_agent, instance_id)
           select $1 || '-nueva-' || i, timestamptz '2026-03-02T15:00:00Z', 'GET', '/x', '{}', $1, 200, 'ok', 1, '203.0.113.0/24', '', 't' from generate_series(1, 5) as i`,
          [route],
        );
      }
    }
    expect(batches).toBe(4);
    expect(seen).toEqual((await expectedIds(route, 'occurred_at desc, id desc')).filter((id) => !id.includes('-nueva-')));
  });

  it('when the filter selects more than 100 000 rows or a bad range, then a JSON 422 comes instead of a CSV', async () => {
    const route = `exp-${randomUUID().slice(0, 8)}`;
    // Left in place: every other test here filters on its own rule name, and the database goes with the file.
    await insertRows(route, 100_001);
    const big = await h.inject({ method: 'GET', url: exportUrl(route) });
    expect(big.headers['content-type']).toContain('application/json');
    expect(expectError(big, 422, 'EXPORT_TOO_LARGE').details).toEqual({ max_rows: 100_000, total: 100_001 });
    expectError(await h.inject({ method: 'GET', url: `/api/v1/gateway/request-logs/export?from=${TO}&to=${FROM}` }), 422, 'VALIDATION_ERROR');
    expectError(await h.inject({ method: 'GET', url: `/api/v1/gateway/request-logs/export?from=2026-01-01T00:00:00Z&to=${TO}` }), 422, 'REQUEST_LOG_RANGE_TOO_LARGE');
  });
});
