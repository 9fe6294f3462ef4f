/** R27–R28: answer values per question type, pure. */
import { evalinErrors } from './errors.ts';
import type { QuestionType } from './questions.ts';

export interface AnswerQuestion {
  id: string;
  questionType: QuestionType;
  options: string[] | null;
  isRequired: boolean;
}

export type AnswerValue = number | string | string[];
export interface CleanAnswer {
  question_id: string;
  value: AnswerValue;
}

const isBlank = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'string' && v.trim() === '');

/** Validates and normalises answers; unanswered values are dropped; throws INVALID_ANSWER with every problem. */
export function cleanAnswers(input: ReadonlyArray<{ question_id: string; value?: unknown }>, questions: readonly AnswerQuestion[]): CleanAnswer[] {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const seen = new Set<string>();
  const problems: Array<{ index: number; question_id: string | null; reason: string }> = [];
  const out: CleanAnswer[] = [];
  input.forEach((a, index) => {
    const q = byId.get(a.question_id);
    if (!q) return problems.push({ index, question_id: a.question_id, reason: 'not_in_questionnaire' });
    if (seen.has(q.id)) return problems.push({ index, question_id: q.id, reason: 'duplicate_question' });
    seen.add(q.id);
    if (isBlank(a.value)) return;
    const r = valueOf(q, a.value);
    if ('reason' in r) problems.push({ index, question_id: q.id, reason: r.reason });
    else out.push({ question_id: q.id, value: r.value });
  });
  if (problems.length > 0) throw evalinErrors.invalidAnswer(problems);
  return out;
}

function valueOf(q: AnswerQuestion, v: unknown): { value: AnswerValue } | { reason: string } {
  switch (q.questionType) {
    case 'likert':
      if (typeof v !== 'number' || !Number.isInteger(v)) return { reason: 'wrong_type' };
      return v >= 1 && v <= 5 ? { value: v } : { reason: 'out_of_range' };
    case 'single_choice': {
      if (typeof v !== 'string') return { reason: 'wrong_type' };
      const opt = matchOption(q.options ?? [], v);
      return opt ? { value: opt } : { reason: 'not_an_option' };
    }
    case 'multiple_choice': {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return { reason: 'wrong_type' };
      const opts = q.options ?? [];
      const chosen = (v as string[]).map((x) => matchOption(opts, x));
      if (chosen.some((c) => c === undefined)) return { reason: 'not_an_option' };
      if (new Set(chosen).size !== chosen.length) return { reason: 'out_of_range' };
      // Stored in option order, so exports list them as the questionnaire does.
      return { value: opts.filter((o) => chosen.includes(o)) };
    }
    case 'text': {
      if (typeof v !== 'string') return { reason: 'wrong_type' };
      const t = v.trim();
      return t.length > 1000 ? { reason: 'too_long' } : { value: t };
    }
  }
}

const matchOption = (options: readonly string[], v: string) => options.find((o) => o.toLowerCase() === v.trim().toLowerCase());

/** R28: ids of required questions without an answer. */
export function missingRequired(answers: readonly CleanAnswer[], questions: readonly AnswerQuestion[]): string[] {
  const answered = new Set(answers.map((a) => a.question_id));
  return questions.filter((q) => q.isRequired && !answered.has(q.id)).map((q) => q.id);
}
