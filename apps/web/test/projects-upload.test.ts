import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UploadLimits } from '../src/features/projects/api/types.ts';
import { fileProblems, uploadSubmission } from '../src/features/projects/api/upload.ts';
import { ApiError } from '../src/lib/errors.ts';

const limits: UploadLimits = { allowed_extensions: ['pdf', 'md', 'zip'], max_file_bytes: 1000, max_submission_bytes: 2500, max_submission_files: 3 };
const file = (name: string, size: number) => new File([new Uint8Array(size)], name);

describe('fileProblems (P81 limits checked before P39)', () => {
  it('names the wrong type, the oversized and the empty file, too many files and too many bytes; nothing for good files', () => {
    expect(fileProblems([file('informe.pdf', 900), file('README.MD', 10)], limits)).toEqual([]);
    expect(fileProblems([file('virus.exe', 10)], limits)).toEqual(['virus.exe: tipo de archivo no permitido.']);
    expect(fileProblems([file('sin-extension', 10)], limits)).toEqual(['sin-extension: tipo de archivo no permitido.']);
    expect(fileProblems([file('grande.zip', 1001)], limits)).toEqual(['grande.zip: supera 1 KB.']);
    expect(fileProblems([file('vacio.md', 0)], limits)).toEqual(['vacio.md: el archivo está vacío.']);
    expect(fileProblems([file('a.pdf', 900), file('b.pdf', 900), file('c.pdf', 900)], limits)).toEqual(['Los archivos suman 3 KB; el máximo por entrega es 2 KB.']);
    expect(fileProblems([1, 2, 3, 4].map((i) => file(`${i}.md`, 1)), limits)).toEqual(['Máximo 3 archivos por entrega.']);
  });
});

/** A stand-in for the browser's XHR: reports progress in two steps, then answers what the test queued. */
class FakeXhr {
  static answers: Array<{ status: number; body: unknown }> = [];
  static sent: Array<{ url: string; auth: string | null; body: FormData }> = [];
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = '';
  private url = '';
  private auth: string | null = null;
  open(_method: string, url: string) {
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    if (name === 'authorization') this.auth = value;
  }
  getResponseHeader() {
    return null;
  }
  send(body: FormData) {
    FakeXhr.sent.push({ url: this.url, auth: this.auth, body });
    const answer = FakeXhr.answers.shift();
    setTimeout(() => {
      if (!answer) return this.onerror?.();
      this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 });
      this.upload.onprogress?.({ lengthComputable: true, loaded: 100, total: 100 });
      this.status = answer.status;
      this.responseText = JSON.stringify(answer.body);
      this.onload?.();
    }, 0);
  }
}

const session = (refreshed: string | null) => ({ accessToken: () => 'viejo', expiringSoon: () => false, hasRefreshToken: () => true, refresh: vi.fn(async () => refreshed) });

afterEach(() => {
  vi.unstubAllGlobals();
  FakeXhr.answers = [];
  FakeXhr.sent = [];
});

describe('uploadSubmission (P39 through XMLHttpRequest)', () => {
  it('sends the links and files with the bearer token and reports the upload progress', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    FakeXhr.answers.push({ status: 201, body: { success: true, data: { id: 's1', version: 1 } } });
    const progress: number[] = [];
    const s = session('nuevo');
    const res = await uploadSubmission({ session: s as never, baseUrl: 'http://gw' }, 'd1', { repository_url: ' https://github.com/sena/x ', deployment_url: '', notes: '', files: [file('informe.pdf', 5)] }, (f) => progress.push(f));
    expect(res).toEqual({ id: 's1', version: 1 });
    expect(progress).toEqual([0.5, 1]);
    expect(FakeXhr.sent).toHaveLength(1);
    expect(FakeXhr.sent[0].url).toBe('http://gw/api/v1/projecteval/deliverables/d1/submissions');
    expect(FakeXhr.sent[0].auth).toBe('Bearer viejo');
    expect(FakeXhr.sent[0].body.get('repository_url')).toBe('https://github.com/sena/x');
    expect(FakeXhr.sent[0].body.has('deployment_url')).toBe(false);
    expect((FakeXhr.sent[0].body.get('files') as File).name).toBe('informe.pdf');
    expect(s.refresh).not.toHaveBeenCalled();
  });

  it('when the token expired, then it refreshes once and sends again with the new one', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    FakeXhr.answers.push({ status: 401, body: { success: false, error: { code: 'TOKEN_EXPIRED', message: 'Token expirado' } } }, { status: 201, body: { success: true, data: { id: 's2' } } });
    const s = session('nuevo');
    await expect(uploadSubmission({ session: s as never, baseUrl: '' }, 'd1', { files: [file('a.md', 3)] }, () => undefined)).resolves.toEqual({ id: 's2' });
    expect(s.refresh).toHaveBeenCalledTimes(1);
    expect(FakeXhr.sent.map((x) => x.auth)).toEqual(['Bearer viejo', 'Bearer nuevo']);
  });

  it('when the API refuses (413, DELIVERABLE_CLOSED) or the network fails, then the error is an ApiError with the Spanish message', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    FakeXhr.answers.push({ status: 409, body: { success: false, error: { code: 'DELIVERABLE_CLOSED', message: 'La fecha de entrega ya pasó' } } });
    const err = await uploadSubmission({ session: session(null) as never, baseUrl: '' }, 'd1', { files: [file('a.md', 3)] }, () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'DELIVERABLE_CLOSED', status: 409, message: 'La fecha de entrega ya pasó' });
    const offline = await uploadSubmission({ session: session(null) as never, baseUrl: '' }, 'd1', { files: [file('a.md', 3)] }, () => undefined).catch((e: unknown) => e);
    expect(offline).toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });
});
