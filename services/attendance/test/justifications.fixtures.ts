/** Shared steps of the justification tests: multipart bodies, evidence bytes, taken rolls and J1 calls. */
import { randomBytes } from 'node:crypto';
import { expectOk } from '@sicora/platform/testing/http';
import type { Person, Session } from '../src/application/ports.ts';
import { at, type Harness } from './harness.ts';

export const J = '/api/v1/attendance/justifications';

/** A PDF of `size` bytes (random tail, so two calls never share a sha256). */
export const pdf = (size = 300 * 1024) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(Math.max(0, size - 9))]);
export const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);
export const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(200)]);
export const zip = () => Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(200)]);

export type Part = { name: string; value: string } | { name: string; filename: string; type: string; bytes: Buffer };

export function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----sicora${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('value' in p) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type}\r\n\r\n`), p.bytes, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const file = (bytes: Buffer = pdf(), filename = 'incapacidad.pdf', type = 'application/pdf'): Part => ({ name: 'files', filename, type, bytes });

export interface SubmitOptions {
  sessions: Array<Pick<Session, 'schedule_id' | 'date'>>;
  type?: string;
  reason?: string;
  files?: Part[];
  extra?: Part[];
}

export async function postMultipart(h: Harness, url: string, who: Person | string, parts: Part[]) {
  const body = multipart(parts);
  return h.app.inject({ method: 'POST', url, headers: { ...(await h.as(who)), ...body.headers }, payload: body.payload });
}

export async function submit(h: Harness, who: Person | string, o: SubmitOptions) {
  const parts: Part[] = [
    { name: 'sessions', value: JSON.stringify(o.sessions.map((s) => ({ schedule_id: s.schedule_id, session_date: s.date }))) },
    { name: 'type', value: o.type ?? 'MEDICAL' },
    { name: 'reason', value: o.reason ?? 'Incapacidad médica por gripa fuerte' },
    ...(o.files ?? [file()]),
    ...(o.extra ?? []),
  ];
  return postMultipart(h, J, who, parts);
}

/**
 * A session of ficha A by `instructor` on `date`, its roll taken at start + 5 min: `absent` ABSENT,
 * `present` PRESENT, the roll closed when `close` (the rest of the roster then ABSENT too).
 */
export async function takenSession(h: Harness, o: { absent?: Person[]; present?: Person[]; instructor?: Person; date?: string; start?: string; end?: string; close?: boolean } = {}) {
  const instructor = o.instructor ?? h.x;
  const session = h.addSession({ instructor, date: o.date, start: o.start, end: o.end });
  const saved = h.clock.now;
  h.clock.now = new Date(at(session.date, session.start_time).getTime() + 5 * 60_000);
  const roll = expectOk(await h.inject('POST', '/api/v1/attendance/rolls', instructor, { schedule_id: session.schedule_id, session_date: session.date }), 201);
  const marks = [...(o.absent ?? []).map((p) => ({ student_id: p.id, status: 'ABSENT' })), ...(o.present ?? []).map((p) => ({ student_id: p.id, status: 'PRESENT' }))];
  if (marks.length > 0) expectOk(await h.inject('PUT', `/api/v1/attendance/rolls/${roll.id}/marks`, instructor, { marks }));
  if (o.close !== false) expectOk(await h.inject('POST', `/api/v1/attendance/rolls/${roll.id}/close`, instructor, { confirm_all_absent: true }));
  h.clock.now = saved;
  return { session, roll };
}

export async function recordOf(h: Harness, studentId: string, session: Pick<Session, 'schedule_id' | 'date'>) {
  const [row] = await h.db.query<{ id: string; status: string; method: string; justification_id: string | null; version: number }>(
    'SELECT id::text AS id, status::text AS status, method::text AS method, justification_id::text AS justification_id, version FROM attendance.records WHERE student_id = $1 AND schedule_id = $2 AND session_date = $3 AND deleted_at IS NULL',
    [studentId, session.schedule_id, session.date],
  );
  return row;
}

export async function countRows(h: Harness, studentId: string) {
  const [row] = await h.db.query<{ j: number; i: number; f: number }>(
    `SELECT (SELECT count(*)::int FROM attendance.justifications WHERE student_id = $1) AS j,
            (SELECT count(*)::int FROM attendance.justification_items WHERE student_id = $1) AS i,
            (SELECT count(*)::int FROM attendance.evidence_files f JOIN attendance.justifications j ON j.id = f.justification_id WHERE j.student_id = $1) AS f`,
    [studentId],
  );
  return row;
}
