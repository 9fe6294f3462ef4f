import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallPdf } from './attendance.support.ts';
import { buildProject, buildWorld, must, raw, startPlatform, step, type Platform, type ProjectWorld, type World } from './security.support.ts';

// Issue #18 item 2, path traversal and content sniffing in every uploaded file name and type, through the
// gateway of a real `sicora start`. Every multipart operation of the merged OpenAPI document is here:
// attendance J1/J6 evidence (attendance §6.1), projecteval submissions and documents (projecteval §6), kb's
// PDF import (kb §6.1) and the CSV imports of users, schedules and evalin (their §6.1). Names carry `../`,
// absolute and Windows paths, NUL and control characters, and 300 characters; bodies are HTML or SVG
// claimed as PDF/PNG, or a PDF declared as PNG. Each is refused, or kept as a base name with the bytes
// under a name of the service's own, and served back only with a safe type, `nosniff` and a download
// disposition. The data dir is this test's own, so where a file landed on disk is checked too.

let p: Platform;
let w: World;
let pw: ProjectWorld;

const HTML = new TextEncoder().encode('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n');
const SVG = new TextEncoder().encode('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n');
const LONG = `${'informe-muy-largo-'.repeat(17)}.pdf`; // 310 characters
const file = (bytes: Uint8Array, type: string) => new Blob([bytes], { type });

/** A J1 body for one of the world's future sessions (ADVANCE_NOTICE, attendance R22). */
function justification(sessionIndex: number, files: Array<[Blob, string]>, extra: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.append('sessions', JSON.stringify([{ schedule_id: w.scheduleId, session_date: w.sessionDates[sessionIndex] }]));
  form.append('type', 'MEDICAL');
  form.append('reason', 'Cita médica programada con la EPS, adjunto el soporte.');
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  for (const [blob, name] of files) form.append('files', blob, name);
  return form;
}

/** A download must be the stored bytes as an attachment with a type that cannot run, never sniffed. */
async function expectSafeDownload(path: string, token: string, o: { type: RegExp; name: string; bytes?: Uint8Array }) {
  const res = await raw(p.gateway, 'GET', path, { token });
  expect(res.status, `${path} → ${res.text.slice(0, 300)}`).toBe(200);
  expect(res.headers.get('content-type')).toMatch(o.type);
  expect(res.headers.get('content-type')).not.toMatch(/html|svg|xml|javascript/i);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  const disposition = res.headers.get('content-disposition') ?? '';
  expect(disposition).toMatch(/^attachment;/);
  expect(disposition).not.toMatch(/[\r\n]/);
  const ascii = /filename="([^"]*)"/.exec(disposition)?.[1];
  const utf8 = /filename\*=UTF-8''([^;]*)/i.exec(disposition)?.[1];
  const sent = utf8 ? decodeURIComponent(utf8) : ascii;
  expect(sent, disposition).toBe(o.name);
  if (o.bytes) expect(res.bytes).toEqual(o.bytes);
}

/** No path separator, NUL or control character survives in a kept name. */
// eslint-disable-next-line no-control-regex -- the control characters are what is checked for
const expectBaseName = (name: string) => expect(name, JSON.stringify(name)).not.toMatch(/[/\\\u0000-\u001f]/);

describe('security: path traversal and content sniffing on every upload', () => {
  beforeAll(async () => {
    p = await startPlatform();
    w = await step(p, 'the world', () => buildWorld(p));
    pw = await step(p, 'the project', () => buildProject(p, w));
  }, 240_000);

  afterAll(async () => {
    await p?.stop();
  });

  it('lists every multipart operation of the platform among those this file covers', async () => {
    const doc = (await (await fetch(`${p.gateway}/docs/json`)).json()) as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>> };
    const multipart = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).filter(([, op]) => op?.requestBody?.content?.['multipart/form-data']).map(([m]) => `${m.toUpperCase()} ${path}`)).sort();
    expect(multipart).toEqual([
      'POST /api/v1/attendance/justifications',
      'POST /api/v1/attendance/justifications/{justification_id}/files',
      'POST /api/v1/evalin/questions/bulk-upload',
      'POST /api/v1/groups/import',
      'POST /api/v1/kb/admin/import',
      'POST /api/v1/kb/imports/pdf',
      'POST /api/v1/programs/import',
      'POST /api/v1/projecteval/deliverables/{deliverable_id}/submissions',
      'POST /api/v1/projecteval/documents/{document_id}/versions',
      'POST /api/v1/projecteval/projects/{project_id}/documents',
      'POST /api/v1/schedules/import',
      'POST /api/v1/users/import',
      'POST /api/v1/venues/import',
    ]);
  });

  it('when evidence is HTML or SVG claimed as PDF/PNG, or a PDF declared as PNG, then J1 answers 415 and stores nothing', async () => {
    const student = w.apprentices[0];
    for (const [blob, name] of [[file(HTML, 'application/pdf'), 'soporte.pdf'], [file(SVG, 'image/png'), 'soporte.png'], [file(smallPdf('png falso'), 'image/png'), 'soporte.png'], [file(HTML, 'text/html'), 'soporte.html']] as Array<[Blob, string]>) {
      const res = await raw(p.gateway, 'POST', '/api/v1/attendance/justifications', { token: student.token, form: justification(0, [[blob, name]]) });
      expect(`${res.status} ${res.body?.error?.code}`, `${name} (${blob.type})`).toBe('415 UNSUPPORTED_MEDIA_TYPE');
    }
    const mine = await must(200, p.gateway, 'GET', '/api/v1/attendance/justifications', { token: student.token });
    expect(mine).toEqual([]);
  });

  it('when a part other than sessions, type, reason and files is sent to J1 (status, student_id), then 422 and nothing is stored', async () => {
    const student = w.apprentices[1];
    for (const extra of [{ status: 'APPROVED' }, { student_id: w.apprentices[2].id }] as Array<Record<string, string>>) {
      const res = await raw(p.gateway, 'POST', '/api/v1/attendance/justifications', { token: student.token, form: justification(0, [[file(smallPdf('extra'), 'application/pdf'), 'soporte.pdf']], extra) });
      expect(`${res.status} ${res.body?.error?.code}`, JSON.stringify(extra)).toBe('422 VALIDATION_ERROR');
    }
    expect(await must(200, p.gateway, 'GET', '/api/v1/attendance/justifications', { token: student.token })).toEqual([]);
  });

  it('when evidence names carry ../, absolute and Windows paths, NUL and control characters or 310 characters, then J1/J6 keep a clean base name (≤ 120) and J8 serves each PDF as an attachment with nosniff', async () => {
    const student = w.apprentices[0];
    const sent: Array<[string, Uint8Array]> = [
      ['../../../../etc/passwd.pdf', smallPdf('uno')],
      ['/var/lib/sicora/evidencia.pdf', smallPdf('dos')],
      ['..\\..\\Windows\\system32\\incapacidad.pdf', smallPdf('tres')],
    ];
    const created = await must(201, p.gateway, 'POST', '/api/v1/attendance/justifications', {
      token: student.token,
      form: justification(1, sent.map(([name, bytes]) => [file(bytes, 'application/pdf'), name])),
    });
    const names = (created.files as Array<{ file_name: string }>).map((f) => f.file_name).sort();
    names.forEach(expectBaseName);
    expect(names).toEqual(expect.arrayContaining(['passwd.pdf', 'evidencia.pdf']));
    expect(names.some((n) => n.endsWith('incapacidad.pdf'))).toBe(true);

    // J7 then J6: replace two files with ones whose names are hostile in other ways.
    for (const f of (created.files as Array<{ id: string }>).slice(1)) {
      await must(204, p.gateway, 'DELETE', `/api/v1/attendance/justifications/${created.id}/files/${f.id}`, { token: student.token });
    }
    const more = new FormData();
    more.append('files', file(smallPdf('cuatro'), 'application/pdf'), 'soporte\u0000\u0007\u001b.pdf');
    more.append('files', file(smallPdf('cinco'), 'application/pdf'), LONG);
    const added = await must(201, p.gateway, 'POST', `/api/v1/attendance/justifications/${created.id}/files`, { token: student.token, form: more });
    const files = added.files as Array<{ id: string; file_name: string; media_type: string }>;
    expect(files).toHaveLength(3);
    for (const f of files) {
      expectBaseName(f.file_name);
      expect(f.file_name.length).toBeLessThanOrEqual(120);
      expect(f.media_type).toBe('application/pdf');
      await expectSafeDownload(`/api/v1/attendance/justifications/${created.id}/files/${f.id}`, student.token, { type: /^application\/pdf/, name: f.file_name });
    }
    expect(files.map((f) => f.file_name)).toContain('soporte.pdf');
    // The reviewer's download carries no-store too (attendance §6.1).
    const res = await raw(p.gateway, 'GET', `/api/v1/attendance/justifications/${created.id}/files/${files[0].id}`, { token: w.instructor.token });
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
  });

  it('when a submission is HTML or SVG claimed as PDF/PNG, a PDF named .png, or an .html/.svg file, then P39 answers 415 and keeps no row and no file', async () => {
    const member = w.apprentices[0];
    for (const [blob, name] of [[file(HTML, 'application/pdf'), 'informe.pdf'], [file(SVG, 'image/png'), 'diagrama.png'], [file(smallPdf('pdf como png'), 'image/png'), 'captura.png'], [file(HTML, 'text/html'), 'index.html'], [file(SVG, 'image/svg+xml'), 'logo.svg']] as Array<[Blob, string]>) {
      const form = new FormData();
      form.append('files', blob, name);
      const res = await raw(p.gateway, 'POST', `/api/v1/projecteval/deliverables/${pw.deliverableId}/submissions`, { token: member.token, form });
      expect(`${res.status} ${res.body?.error?.code}`, name).toBe('415 UNSUPPORTED_MEDIA_TYPE');
    }
    const list = await must(200, p.gateway, 'GET', `/api/v1/projecteval/submissions?deliverable_id=${pw.deliverableId}`, { token: p.admin });
    expect(list).toEqual([]);
  });

  it('when submission names carry paths or control characters and an HTML page comes as .txt, then P39 keeps base names (≤ 255) under ids of its own on disk and P42 serves each with a safe type, nosniff and an attachment', async () => {
    const member = w.apprentices[1];
    const parts: Array<[string, Uint8Array, string]> = [
      ['../../../../tmp/pwned.pdf', smallPdf('proyecto uno'), 'application/pdf'],
      ['C:\\Users\\x\\notas.txt', HTML, 'text/plain'],
      ['/etc/cron.d/\u0007tarea.md', new TextEncoder().encode('# Notas\n<script>alert(1)</script>\n'), 'text/markdown'],
    ];
    const form = new FormData();
    form.append('notes', 'Entrega con nombres hostiles');
    for (const [name, bytes, type] of parts) form.append('files', file(bytes, type), name);
    const sub = await must(201, p.gateway, 'POST', `/api/v1/projecteval/deliverables/${pw.deliverableId}/submissions`, { token: member.token, form });
    const files = sub.files as Array<{ id: string; original_name: string; mime_type: string }>;
    expect(files.map((f) => f.original_name)).toEqual(['pwned.pdf', 'notas.txt', 'tarea.md']);
    expect(files.map((f) => f.mime_type)).toEqual(['application/pdf', 'text/plain; charset=utf-8', 'text/markdown; charset=utf-8']);
    for (const [i, f] of files.entries()) {
      expectBaseName(f.original_name);
      expect(f.original_name.length).toBeLessThanOrEqual(255);
      await expectSafeDownload(`/api/v1/projecteval/submissions/${sub.id}/files/${f.id}`, w.instructor.token, { type: i === 0 ? /^application\/pdf/ : /^text\/(plain|markdown)/, name: f.original_name, bytes: parts[i][1] });
    }
    // projecteval §6: under SICORA_DATA_DIR/projecteval/files/<yyyy>/<mm>/<stored file id>, nowhere else.
    expect(existsSync('/tmp/pwned.pdf') && statSync('/tmp/pwned.pdf').mtimeMs > Date.now() - 120_000).toBe(false);
    const root = join(p.dataDir, 'projecteval', 'files');
    const stored = readdirSync(root, { recursive: true }).map(String).filter((f) => statSync(join(root, f)).isFile());
    // Every file on disk is named by an id (the demo seed's and these three), none by a name a client sent.
    for (const s of stored) expect(s, s).toMatch(/^\d{4}\/\d{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(stored.filter((s) => !s.includes('/5eedc0de-')), stored.join(', ')).toHaveLength(files.length);
  });

  // Found by this suite: the name was cut to 255 before its extension was read, so the file got 415.
  it('when a PDF\'s name is 310 characters long, then P39 accepts it and keeps a name of at most 255 characters that still ends in .pdf', async () => {
    const form = new FormData();
    form.append('files', file(smallPdf('nombre largo'), 'application/pdf'), LONG);
    const sub = await must(201, p.gateway, 'POST', `/api/v1/projecteval/deliverables/${pw.deliverableId}/submissions`, { token: w.apprentices[1].token, form });
    const [kept] = sub.files as Array<{ original_name: string; mime_type: string }>;
    expect(kept.mime_type).toBe('application/pdf');
    expect(kept.original_name.length).toBeLessThanOrEqual(255);
    expect(kept.original_name.endsWith('.pdf')).toBe(true);
  });

  it('when a project document is HTML claimed as PDF, then P70 answers 415; a traversal name is kept as its base name and P73 serves it safely', async () => {
    const member = w.apprentices[2];
    const doc = (blob: Blob, name: string) => {
      const form = new FormData();
      form.append('title', 'Documento de requisitos');
      form.append('document_type', 'requirements');
      form.append('file', blob, name);
      return form;
    };
    const refused = await raw(p.gateway, 'POST', `/api/v1/projecteval/projects/${pw.projectId}/documents`, { token: member.token, form: doc(file(HTML, 'application/pdf'), 'requisitos.pdf') });
    expect(`${refused.status} ${refused.body?.error?.code}`).toBe('415 UNSUPPORTED_MEDIA_TYPE');
    const pdf = smallPdf('requisitos');
    const created = await must(201, p.gateway, 'POST', `/api/v1/projecteval/projects/${pw.projectId}/documents`, { token: member.token, form: doc(file(pdf, 'application/pdf'), '../../../requisitos.pdf') });
    const version = await must(200, p.gateway, 'GET', `/api/v1/projecteval/documents/${created.id}`, { token: member.token });
    expect(JSON.stringify(version)).toContain('"requisitos.pdf"');
    expect(JSON.stringify(version)).not.toContain('../');
    await expectSafeDownload(`/api/v1/projecteval/documents/${created.id}/versions/1/file`, w.instructor.token, { type: /^application\/pdf/, name: 'requisitos.pdf', bytes: pdf });
    // P72: a new version with SVG claimed as PDF is refused too.
    const v2 = new FormData();
    v2.append('change_note', 'Segunda versión');
    v2.append('file', file(SVG, 'application/pdf'), 'requisitos-v2.pdf');
    const res = await raw(p.gateway, 'POST', `/api/v1/projecteval/documents/${created.id}/versions`, { token: member.token, form: v2 });
    expect(`${res.status} ${res.body?.error?.code}`).toBe('415 UNSUPPORTED_MEDIA_TYPE');
  });

  it('when a kb PDF import is HTML or SVG claimed as PDF, then 415; hostile names are never a server error and the kept name is at most 255 characters', async () => {
    const importPdf = (blob: Blob, name: string) => {
      const form = new FormData();
      form.append('file', blob, name);
      form.append('force', 'true');
      return raw(p.gateway, 'POST', '/api/v1/kb/imports/pdf', { token: p.admin, form });
    };
    for (const blob of [file(HTML, 'application/pdf'), file(SVG, 'application/pdf')]) {
      const res = await importPdf(blob, 'reglamento.pdf');
      expect(`${res.status} ${res.body?.error?.code}`).toBe('415 UNSUPPORTED_MEDIA_TYPE');
    }
    for (const [i, name] of ['../../../etc/reglamento.pdf', LONG].entries()) {
      const res = await importPdf(file(smallPdf(`reglamento ${i}`), 'application/pdf'), name);
      expect(res.status, `${name}: ${res.text.slice(0, 300)}`).toBe(202);
      expect(res.body?.data.file_name.length).toBeLessThanOrEqual(255);
    }
  });

  // 00-conventions §2: strings refuse NUL (422); a NUL in a kept name must never reach PostgreSQL as a 500.
  it('when a kb PDF import\'s name holds NUL and control characters, then it is refused with 422 or kept without them, never a 500', async () => {
    const form = new FormData();
    form.append('file', file(smallPdf('nul'), 'application/pdf'), 'regla\u0000mento\u0007.pdf');
    form.append('force', 'true');
    const res = await raw(p.gateway, 'POST', '/api/v1/kb/imports/pdf', { token: p.admin, form });
    expect([202, 422], res.text.slice(0, 300)).toContain(res.status);
    if (res.status === 202) expectBaseName(res.body?.data.file_name);
  });

  it('when a CSV import gets HTML, SVG or PNG under its own name and type, then users, schedules and evalin answer 415; a CSV with a traversal or NUL name is never a server error', async () => {
    const imports = ['/api/v1/users/import', '/api/v1/venues/import', '/api/v1/programs/import', '/api/v1/groups/import', '/api/v1/schedules/import', '/api/v1/evalin/questions/bulk-upload'];
    const wrong: string[] = [];
    for (const path of imports) {
      // The gateway's `uploads` policy allows 20 imports per 5 minutes per user (gateway.md §11): P6 clears it.
      await must(200, p.gateway, 'POST', '/api/v1/gateway/rate-limits/reset', { token: p.admin, json: { policy: 'uploads', key: `user:${JSON.parse(Buffer.from(p.admin.split('.')[1], 'base64url').toString()).sub}` } });
      for (const [blob, name] of [[file(HTML, 'text/html'), 'personas.html'], [file(SVG, 'image/svg+xml'), 'personas.svg'], [file(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'image/png'), 'personas.png']] as Array<[Blob, string]>) {
        const form = new FormData();
        form.append('file', blob, name);
        const res = await raw(p.gateway, 'POST', path, { token: p.admin, form });
        if (res.status !== 415) wrong.push(`${path} ${name} → ${res.status} ${res.text.slice(0, 200)}`);
      }
      for (const name of ['../../../../etc/personas.csv', 'perso\u0000nas.csv']) {
        const form = new FormData();
        if (!path.startsWith('/api/v1/users') && !path.includes('evalin')) form.append('dry_run', 'true');
        if (path.includes('evalin')) form.append('dry_run', 'true');
        form.append('file', file(new TextEncoder().encode('columna_desconocida\r\nvalor\r\n'), 'text/csv'), name);
        const res = await raw(p.gateway, 'POST', path, { token: p.admin, form });
        if (res.status >= 500 || res.status < 400) wrong.push(`${path} ${JSON.stringify(name)} → ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
