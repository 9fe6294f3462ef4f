import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPdf } from '../src/infrastructure/pdf-extract.ts';
import { buildPdf, multipart } from './pdf.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
let failures = 0;
beforeAll(async () => {
  h = await createHarness({
    overrides: {
      // An internal failure (not a content one) on the first two attempts of every file named "fragil".
      extractPdf: async (bytes) => {
        if (bytes.includes(Buffer.from('fragil')) && failures < 2) {
          failures++;
          throw new Error('disk hiccup');
        }
        return extractPdf(bytes, { maxPages: 300 });
      },
    },
  });
  await h.category('general', 'General');
});
afterAll(async () => h.close());

const upload = async (bytes: Buffer, name: string) => {
  const m = multipart({ name, bytes });
  return h.app.inject({ method: 'POST', url: '/api/v1/kb/imports/pdf', headers: { ...(await h.headers(h.admin)), 'content-type': m.contentType }, payload: m.payload });
};
const status = async (id: string) => (await h.inject('GET', `/api/v1/kb/imports/pdf/${id}`, h.admin)).json().data;
async function settle(id: string, want: string[], minFailures = 0) {
  for (let i = 0; i < 200; i++) {
    const s = await status(id);
    if (want.includes(s.status) && failures >= minFailures) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('import did not settle');
}

describe('R27 internal errors retry twice (30 s, 120 s)', () => {
  it('when extraction fails for an internal reason, then the import waits in the queue and completes on a later attempt', async () => {
    const text = ['Documento fragil de prueba con texto suficiente para crear un borrador en la base de conocimiento.', 'Segunda línea del documento de prueba.'];
    const res = await upload(buildPdf([text]), 'fragil.pdf');
    const id = res.json().data.id as string;
    let s = await settle(id, ['queued'], 1);
    expect(s.options).not.toHaveProperty('attempts');
    expect(s.started_at).toBeNull();
    const other = (lines: string[]) => upload(buildPdf([lines]), 'otro.pdf');
    // 31 s later a new upload drains the queue again: the second attempt fails too, the third (150 s) succeeds.
    h.clock.now = new Date(h.clock.now.getTime() + 31_000);
    await other(['Primer documento adicional que solo despierta la cola de importaciones pendientes del servicio.']);
    expect((await settle(id, ['queued'], 2)).status).toBe('queued');
    expect(failures).toBe(2);
    h.clock.now = new Date(h.clock.now.getTime() + 121_000);
    await other(['Segundo documento adicional que solo despierta la cola de importaciones pendientes del servicio.']);
    s = await settle(id, ['completed', 'failed']);
    expect(s).toMatchObject({ status: 'completed', error_code: null });
    expect(s.created_items).toHaveLength(1);
  });
});
