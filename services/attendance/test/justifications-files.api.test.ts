/** Evidence files: J1's checks, J6 add, J7 remove, J8 download (US-ATT-10, §6.1, R24, R25, R28). */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import type { Person } from '../src/application/ports.ts';
import { at, createHarness, type Harness } from './harness.ts';
import { countRows, file, J, jpeg, pdf, png, postMultipart, submit, takenSession, zip } from './justifications.fixtures.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());
beforeEach(() => {
  h.clock.now = at('2026-03-10', '10:00');
  h.schedules.down = false;
  h.users.down = false;
});

const MiB = 1024 * 1024;
const student = (i: number) => h.fichaA.apprentices[i];

async function absentSession(a: Person) {
  return (await takenSession(h, { absent: [a] })).session;
}

describe('J1 evidence checks (US-ATT-10, §6.1, R24): every refusal writes nothing', () => {
  it('a 5 MiB + 1 byte file → 413; a .pdf whose bytes are a ZIP → 415; four files → 422 TOO_MANY_FILES; no file → 422 EVIDENCE_REQUIRED', async () => {
    const a = student(0);
    const session = await absentSession(a);
    expectError(await submit(h, a, { sessions: [session], files: [file(pdf(5 * MiB + 1))] }), 413, 'PAYLOAD_TOO_LARGE');
    expectError(await submit(h, a, { sessions: [session], files: [file(zip(), 'incapacidad.pdf', 'application/pdf')] }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await submit(h, a, { sessions: [session], files: [file(), file(), file(), file()] }), 422, 'TOO_MANY_FILES');
    expectError(await submit(h, a, { sessions: [session], files: [] }), 422, 'EVIDENCE_REQUIRED');
    expect(await countRows(h, a.id)).toEqual({ j: 0, i: 0, f: 0 });
  });

  it('exactly 5 MiB passes; a declared type that disagrees with the bytes → 415; an empty file → 422; the same file twice → 422 DUPLICATE_FILE; a request over 16 MiB → 413', async () => {
    const a = student(1);
    const session = await absentSession(a);
    expectError(await submit(h, a, { sessions: [session], files: [file(png(), 'foto.png', 'application/pdf')] }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await submit(h, a, { sessions: [session], files: [file(Buffer.alloc(0))] }), 422, 'VALIDATION_ERROR');
    const same = pdf();
    expectError(await submit(h, a, { sessions: [session], files: [file(same, 'a.pdf'), file(same, 'b.pdf')] }), 422, 'DUPLICATE_FILE');
    const big = [pdf(4.5 * MiB), pdf(4.5 * MiB), pdf(4.5 * MiB), pdf(4.5 * MiB)].map((b) => file(b));
    expectError(await submit(h, a, { sessions: [session], files: big }), 413, 'PAYLOAD_TOO_LARGE');
    // A file part under another name, a text part named files.
    expectError(await submit(h, a, { sessions: [session], files: [{ name: 'evidence', filename: 'x.pdf', type: 'application/pdf', bytes: pdf() }] }), 422, 'VALIDATION_ERROR');
    expect(await countRows(h, a.id)).toEqual({ j: 0, i: 0, f: 0 });
    const data = expectOk(await submit(h, a, { sessions: [session], files: [file(pdf(5 * MiB)), file(jpeg(), 'foto.jpg', 'image/jpeg'), file(png(), 'scan.png', 'application/octet-stream')] }), 201);
    expect(data.files.map((f: { media_type: string; size_bytes: number }) => [f.media_type, f.size_bytes]).sort()).toEqual([
      ['application/pdf', 5 * MiB],
      ['image/jpeg', 204],
      ['image/png', 208],
    ]);
  });

  it('names are reduced to a safe base name (≤120 characters, documento.<ext> when nothing remains)', async () => {
    const a = student(2);
    const session = await absentSession(a);
    const data = expectOk(
      await submit(h, a, {
        sessions: [session],
        files: [file(pdf(), 'C:\\Users\\ana\\inca|pa*ci?dad<>:.pdf'), file(png(), '???', 'image/png'), file(jpeg(), `${'x'.repeat(150)}.jpg`, 'image/jpeg')],
      }),
      201,
    );
    expect(data.files.map((f: { file_name: string }) => f.file_name).sort()).toEqual(['documento.png', 'incapacidad.pdf', 'x'.repeat(120)]);
  });
});

describe('J8 download (US-ATT-10, R28)', () => {
  it('X (reviewer) gets 200 with the §6.1 headers; the owner and coordination too; another instructor of the ficha and another apprentice → 404 EVIDENCE_NOT_FOUND', async () => {
    const a = student(3);
    const session = await absentSession(a);
    const bytes = pdf();
    const j = expectOk(await submit(h, a, { sessions: [session], files: [file(bytes, 'incapacidad médica.pdf')] }), 201);
    const url = j.files[0].download_url;
    expect(url).toBe(`${J}/${j.id}/files/${j.files[0].id}`);
    const res = await h.inject('GET', url, h.x);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="incapacidad m_dica.pdf"; filename*=UTF-8''incapacidad%20m%C3%A9dica.pdf`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.rawPayload.equals(bytes)).toBe(true);
    for (const who of [a, h.coordinador, h.admin]) expect((await h.inject('GET', url, who)).statusCode).toBe(200);
    const z = h.users.add({ role: 'instructor', first_name: 'Otro', last_name: 'Instructor' });
    h.schedules.assignments.set(z.id, [h.fichaA.id]);
    expectError(await h.inject('GET', url, z), 404, 'EVIDENCE_NOT_FOUND');
    expectError(await h.inject('GET', url, student(4)), 404, 'EVIDENCE_NOT_FOUND');
    expectError(await h.inject('GET', `${J}/${j.id}/files/${randomUUID()}`, h.x), 404, 'EVIDENCE_NOT_FOUND');
    // R28: after the purge the metadata stays and J8 answers 404.
    await h.db.query('UPDATE attendance.evidence_files SET content = NULL, purged_at = now() WHERE id = $1', [j.files[0].id]);
    expectError(await h.inject('GET', url, h.x), 404, 'EVIDENCE_NOT_FOUND');
    expect(expectOk(await h.inject('GET', `${J}/${j.id}`, a)).files[0]).toMatchObject({ purged: true, sha256: j.files[0].sha256 });
  });
});

describe('J6 add and J7 remove files (R24, R25)', () => {
  it('the owner adds up to 3 in all, never a stored file again; removes one while another remains; the last → 409 LAST_EVIDENCE_FILE', async () => {
    const a = student(5);
    const session = await absentSession(a);
    const first = pdf();
    const j = expectOk(await submit(h, a, { sessions: [session], files: [file(first)] }), 201);
    const FILES = `${J}/${j.id}/files`;
    expectError(await postMultipart(h, FILES, a, [file(first, 'otra-vez.pdf')]), 422, 'DUPLICATE_FILE');
    expectError(await postMultipart(h, FILES, a, [file(), file(), file()]), 422, 'TOO_MANY_FILES');
    expectError(await postMultipart(h, FILES, a, []), 422, 'EVIDENCE_REQUIRED');
    expectError(await postMultipart(h, FILES, student(6), [file()]), 404, 'JUSTIFICATION_NOT_FOUND');
    const added = expectOk(await postMultipart(h, FILES, a, [file(png(), 'orden.png', 'image/png'), file(jpeg(), 'foto.jpg', 'image/jpeg')]), 201);
    expect(added.files).toHaveLength(3);
    expect((await countRows(h, a.id)).f).toBe(3);
    expectError(await postMultipart(h, FILES, a, [file()]), 422, 'TOO_MANY_FILES');
    const [f1, f2, f3] = added.files.map((f: { id: string }) => f.id);
    expectError(await h.inject('DELETE', `${FILES}/${f1}`, student(6)), 404, 'EVIDENCE_NOT_FOUND');
    expectError(await h.inject('DELETE', `${FILES}/${randomUUID()}`, a), 404, 'EVIDENCE_NOT_FOUND');
    expect((await h.inject('DELETE', `${FILES}/${f1}`, a)).statusCode).toBe(204);
    expect((await h.inject('DELETE', `${FILES}/${f2}`, a)).statusCode).toBe(204);
    expectError(await h.inject('DELETE', `${FILES}/${f3}`, a), 409, 'LAST_EVIDENCE_FILE');
    expect(expectOk(await h.inject('GET', `${J}/${j.id}`, a)).files.map((f: { id: string }) => f.id)).toEqual([f3]);
    // Decided: J6 and J7 → 409.
    expectOk(await h.inject('POST', `${J}/${j.id}/review`, h.x, { decision: 'APPROVED' }));
    expectError(await postMultipart(h, FILES, a, [file()]), 409, 'JUSTIFICATION_NOT_PENDING');
    expectError(await h.inject('DELETE', `${FILES}/${f3}`, a), 409, 'JUSTIFICATION_NOT_PENDING');
  });
});
