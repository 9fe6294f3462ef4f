/** Builders of the objects most tests start from, through the API as their owners would make them. */
import type { Person } from '../src/application/ports.ts';
import { BASE, type Harness } from './harness.ts';

export const idea = (n: number) => ({ title: `Idea número ${n}`, description: 'Una descripción suficientemente larga de la idea.', objectives: 'Objetivos claros' });

export async function activeTeam(h: Harness, o: { advisor?: Person; members?: Person[]; name?: string } = {}) {
  const members = o.members ?? h.fichaA.apprentices.slice(0, 4);
  const team = await h.ok(201, 'POST', `${BASE}/teams`, o.advisor ?? h.x, { name: o.name ?? 'Equipo Innovadores', group_id: h.fichaA.id, members: members.map((m) => ({ student_id: m.id })), leader_id: members[0].id });
  return h.ok(200, 'POST', `${BASE}/teams/${team.id}/activate`, o.advisor ?? h.x);
}

/** An active team with three ideas, the first approved. */
export async function approvedIdea(h: Harness, o: { advisor?: Person; members?: Person[]; name?: string } = {}) {
  const team = await activeTeam(h, o);
  const member = o.members?.[0] ?? h.fichaA.apprentices[0];
  const ideas = [];
  for (const n of [1, 2, 3]) ideas.push(await h.ok(201, 'POST', `${BASE}/teams/${team.id}/ideas`, member, idea(n)));
  const approved = await h.ok(200, 'POST', `${BASE}/ideas/${ideas[0].id}/decision`, o.advisor ?? h.x, { decision: 'approve', viability_score: 85 });
  return { team, idea: approved, ideas };
}

export async function project(h: Harness, o: { advisor?: Person; members?: Person[]; name?: string } = {}) {
  const { team, idea: approved } = await approvedIdea(h, o);
  const p = await h.ok(201, 'POST', `${BASE}/projects`, o.advisor ?? h.x, { idea_id: approved.id, project_type: 'web_application', scope: 'El alcance inicial del proyecto formativo.', expected_end_date: '2026-09-30' });
  return { team, project: p };
}

export const ADSO_WEIGHTS = [20, 15, 15, 10, 15, 10, 10, 5];

export async function activeRubric(h: Harness, name = 'Rúbrica de desarrollo de software ADSO', weights = ADSO_WEIGHTS) {
  const r = await h.ok(201, 'POST', `${BASE}/rubrics`, h.coordinador, { name, program_code: 'ADSO', criteria: weights.map((weight, i) => ({ name: `Criterio ${i + 1}`, weight })) });
  return h.ok(200, 'POST', `${BASE}/rubrics/${r.id}/activate`, h.coordinador);
}

/** A multipart body: text fields and files `{ field, name, content, type? }`. */
export function multipart(fields: Record<string, string>, files: Array<{ field?: string; name: string; content: Buffer | string; type?: string }>) {
  const boundary = `----projecteval${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'files'}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

export async function upload(h: Harness, url: string, who: Person, fields: Record<string, string>, files: Parameters<typeof multipart>[1]) {
  const body = multipart(fields, files);
  return h.app.inject({ method: 'POST', url, headers: { ...(await h.headers(who)), ...body.headers }, payload: body.payload });
}

/** A project with one deliverable (ADSO rubric, due in 10 days). */
export async function deliverable(h: Harness, o: { advisor?: Person; members?: Person[]; name?: string; rubricId?: string } = {}) {
  const made = await project(h, o);
  const rubricId = o.rubricId ?? (await activeRubric(h)).id;
  const d = await h.ok(201, 'POST', `${BASE}/projects/${made.project.id}/deliverables`, o.advisor ?? h.x, { title: 'Prototipo funcional del módulo de inventario', deliverable_type: 'source_code', due_at: new Date(h.clock.now.getTime() + 10 * 86_400_000).toISOString(), rubric_id: rubricId, weight: 2 });
  return { ...made, deliverable: d, rubricId };
}

export const bogota = (date: string, time: string) => new Date(`${date}T${time}:00-05:00`).toISOString();

/** A submitted deliverable of a new project (its team advised by `advisor`). */
export async function submitted(h: Harness, o: { advisor?: Person; members?: Person[]; name?: string; rubricId?: string } = {}) {
  const made = await deliverable(h, o);
  const member = (o.members ?? h.fichaA.apprentices.slice(0, 4))[0];
  const submission = await h.ok(201, 'POST', `${BASE}/deliverables/${made.deliverable.id}/submissions`, member, { repository_url: 'https://github.com/sena/proyecto' });
  return { ...made, submission, member };
}

/** The default software rubric scores as a P58 body. */
export async function scoresFor(h: Harness, rubricId: string, values: number[]) {
  const r = await h.ok(200, 'GET', `${BASE}/rubrics/${rubricId}`, h.coordinador);
  return r.criteria.map((c: { id: string }, i: number) => ({ criterion_id: c.id, score: values[i] }));
}

/**
 * Runs a session over `submissions` with jurors x and y (x chairs): both confirm, it starts, each juror
 * gives every criterion of submission i the score `scores[i]`, the session completes and every result is
 * published by the chair. Leaves the clock at the session's start.
 */
export async function hearAndPublish(h: Harness, submissions: Array<Record<string, any>>, rubricId: string, scores: number[][], o: { organizer?: Person } = {}) {
  const startsAt = new Date(h.clock.now.getTime() + 86_400_000);
  const s = await h.ok(201, 'POST', `${BASE}/sessions`, o.organizer ?? h.coordinador, { title: 'Sesión de evaluación', session_type: 'progress_review', starts_at: startsAt.toISOString(), location: 'Ambiente 101', juror_ids: [h.x.id, h.y.id], chair_id: h.x.id, submission_ids: submissions.map((x) => x.id) });
  for (const j of [h.x, h.y]) await h.ok(200, 'POST', `${BASE}/sessions/${s.id}/respond`, j, { response: 'confirm' });
  h.clock.now = new Date(startsAt.getTime() - 5 * 60_000);
  await h.ok(200, 'POST', `${BASE}/sessions/${s.id}/start`, h.x);
  const r = await h.ok(200, 'GET', `${BASE}/rubrics/${rubricId}`, h.coordinador);
  for (const [i, sub] of submissions.entries()) {
    for (const [j, juror] of [h.x, h.y].entries()) {
      const value = scores[i][j] ?? scores[i][0];
      const e = await h.ok(201, 'POST', `${BASE}/submissions/${sub.id}/evaluations`, juror, { session_id: s.id, scores: r.criteria.map((c: { id: string }) => ({ criterion_id: c.id, score: value })) });
      await h.ok(200, 'POST', `${BASE}/evaluations/${e.id}/complete`, juror);
    }
  }
  await h.ok(200, 'POST', `${BASE}/sessions/${s.id}/complete`, h.x);
  for (const sub of submissions) await h.ok(200, 'POST', `${BASE}/submissions/${sub.id}/publish`, h.x);
  return s;
}
