/** CSV exports (00-conventions §6.1): the format, keyset batches, backpressure and yielding. */
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { attachment, csvCell, csvExport, keysetBatches, localIso } from '../src/csv-export.ts';

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

describe('csv export format', () => {
  it('when rows are exported, then UTF-8 BOM, a header, CRLF, RFC 4180 quoting and inert formulas', async () => {
    const csv = await text(csvExport({
      columns: ['name', 'note', 'n'],
      batches: [[{ name: 'Ana "la" Pérez', note: '=SUM(A1)', n: 1 }, { name: 'Luis', note: 'a,b\nc', n: null }]],
      toRecord: (r) => [r.name, r.note, r.n],
    }));
    expect(csv).toBe('\ufeffname,note,n\r\n"Ana ""la"" Pérez",\'=SUM(A1),1\r\nLuis,"a,b\nc",\r\n');
  });

  it('then cells starting with = + - @ are prefixed and null is empty', () => {
    expect(['=1', '+1', '-1', '@x', 'ok', null, undefined, 3].map(csvCell)).toEqual(["'=1", "'+1", "'-1", "'@x", 'ok', '', '', '3']);
  });

  it('then instants are local ISO-8601 with the zone offset', () => {
    expect(localIso('2026-03-02T14:05:00Z', 'America/Bogota')).toBe('2026-03-02T09:05:00-05:00');
    expect(localIso(null, 'America/Bogota')).toBe('');
    expect(attachment('a"b.csv')).toBe('attachment; filename="a_b.csv"');
  });
});

describe('keyset batches', () => {
  const rows = Array.from({ length: 2500 }, (_, i) => ({ id: i + 1 }));
  const read = (calls: Array<number | undefined>) => async (after: number | undefined, limit: number) => {
    calls.push(after);
    return rows.filter((r) => after === undefined || r.id > after).slice(0, limit);
  };

  it('when 2 500 rows are read 1 000 at a time, then three reads after the last key of each batch', async () => {
    const calls: Array<number | undefined> = [];
    const sizes: number[] = [];
    for await (const batch of keysetBatches(read(calls), (r) => r.id, 1000)) sizes.push(batch.length);
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(calls).toEqual([undefined, 1000, 2000]);
  });

  it('when nobody reads the stream, then the reads stop (backpressure) instead of loading every row', async () => {
    const many = Array.from({ length: 200_000 }, (_, i) => ({ id: i + 1 }));
    let reads = 0;
    const stream = csvExport({
      columns: ['id'],
      batches: keysetBatches(async (after: number | undefined, limit) => { reads++; return many.filter((r) => after === undefined || r.id > after).slice(0, limit); }, (r) => r.id, 1000),
      toRecord: (r) => [r.id],
    });
    stream.pause();
    for (let i = 0; i < 50; i++) await tick();
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThan(20);
    stream.destroy();
  });

  it('when a big export streams, then other work of the process runs between its batches', async () => {
    let ticks = 0;
    let running = true;
    const ticker = (async () => { while (running) { await tick(); ticks++; } })();
    const csv = await text(csvExport({ columns: ['id'], batches: keysetBatches(async (after: number | undefined, limit) => Array.from({ length: after === undefined ? limit : after >= 20_000 ? 0 : limit }, (_, i) => ({ id: (after ?? 0) + i + 1 })), (r) => r.id, 1000), toRecord: (r) => [r.id] }));
    running = false;
    await ticker;
    expect(csv.split('\r\n')).toHaveLength(20_000 + 2);
    expect(ticks).toBeGreaterThanOrEqual(20);
  });
});
