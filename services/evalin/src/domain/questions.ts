/** The question bank's pure rules (R1–R4, §3 enums). */
import { evalinErrors } from './errors.ts';
import { collapse } from './text.ts';

export const QUESTION_TYPES = ['likert', 'single_choice', 'multiple_choice', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

const ALIASES: Record<string, QuestionType> = {
  likert: 'likert', scale_1_5: 'likert', rating: 'likert', escala: 'likert',
  single_choice: 'single_choice', opcion_unica: 'single_choice',
  multiple_choice: 'multiple_choice', opcion_multiple: 'multiple_choice',
  text: 'text', texto: 'text', abierta: 'text',
};
export const QUESTION_TYPE_INPUTS = Object.keys(ALIASES);

/** §3: canonical value of a type or alias (case-insensitive); undefined when unknown. */
export function canonicalType(input: string): QuestionType | undefined {
  return ALIASES[input.trim().toLowerCase()];
}

export const LIKERT_SCALE = [
  { value: 1, label: 'Totalmente en desacuerdo' },
  { value: 2, label: 'En desacuerdo' },
  { value: 3, label: 'Ni de acuerdo ni en desacuerdo' },
  { value: 4, label: 'De acuerdo' },
  { value: 5, label: 'Totalmente de acuerdo' },
];

export const isChoice = (t: QuestionType) => t === 'single_choice' || t === 'multiple_choice';

/** R3: the options a type takes, cleaned (blank entries dropped); throws QUESTION_OPTIONS_INVALID. */
export function checkOptions(type: QuestionType, options: readonly string[] | null | undefined): string[] | null {
  const reason = optionsProblem(type, options);
  if (reason) throw evalinErrors.optionsInvalid(reason);
  return isChoice(type) ? cleanOptions(options ?? []) : null;
}

const cleanOptions = (options: readonly string[]) => options.map((o) => collapse(o)).filter((o) => o.length > 0);

export function optionsProblem(type: QuestionType, options: readonly string[] | null | undefined): string | undefined {
  if (!isChoice(type)) return options && cleanOptions(options).length > 0 ? 'not_allowed' : undefined;
  const cleaned = cleanOptions(options ?? []);
  if (cleaned.length < 2) return 'too_few';
  if (cleaned.length > 10) return 'too_many';
  if (cleaned.some((o) => o.length > 100)) return 'too_long';
  if (new Set(cleaned.map((o) => o.toLowerCase())).size !== cleaned.length) return 'duplicate';
  return undefined;
}

/** R1: 10–500 chars after collapsing; undefined when valid. */
export function textProblem(text: string): string | undefined {
  const t = collapse(text);
  if (t.length < 10) return 'too_short';
  if (t.length > 500) return 'too_long';
  return undefined;
}

export function categoryProblem(category: string): string | undefined {
  const c = category.trim();
  if (c.length < 2) return 'too_short';
  if (c.length > 100) return 'too_long';
  return undefined;
}

/** `text` questions default to optional, the others to required (§3). */
export const defaultRequired = (type: QuestionType) => type !== 'text';
