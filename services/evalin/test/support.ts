/** Builders shared by the component tests: questions, questionnaires and periods through the API. */
import { expectOk } from '@sicora/platform/testing/http';
import type { Harness } from './harness.ts';

let seq = 0;

export async function makeQuestions(h: Harness, n: number, o: { type?: string; category?: string; options?: string[]; is_required?: boolean } = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) {
    seq += 1;
    const q = expectOk(await h.inject('POST', '/api/v1/evalin/questions', h.admin, { text: `Pregunta de prueba número ${seq} del banco`, question_type: o.type ?? 'likert', category: o.category ?? 'General', ...(o.options ? { options: o.options } : {}), ...(o.is_required !== undefined ? { is_required: o.is_required } : {}) }), 201);
    ids.push(q.id);
  }
  return ids;
}

export async function makeQuestionnaire(h: Harness, questionIds: string[], name?: string): Promise<string> {
  seq += 1;
  return expectOk(await h.inject('POST', '/api/v1/evalin/questionnaires', h.admin, { name: name ?? `Cuestionario ${seq}`, question_ids: questionIds }), 201).id;
}

/** A draft period over `groups` (default ficha A) with a fresh one-question questionnaire unless given. */
export async function makePeriod(h: Harness, o: { start: string; end: string; groups?: string[]; questionnaireId?: string; name?: string }) {
  const questionnaireId = o.questionnaireId ?? (await makeQuestionnaire(h, await makeQuestions(h, 1)));
  seq += 1;
  return expectOk(await h.inject('POST', '/api/v1/evalin/periods', h.admin, { name: o.name ?? `Período ${seq}`, start_date: o.start, end_date: o.end, questionnaire_id: questionnaireId, group_ids: o.groups ?? [h.fichaA.id] }), 201);
}
