/**
 * The questions a submission validates against (R27–R28), cached per questionnaire once it is frozen.
 *
 * Why it is safe: a questionnaire is locked while a period whose status is not `draft` uses it (R10: its
 * list and order are frozen), and so are its questions' type, options and `is_required` (R5: only
 * description, order_index and is_active change). An `active`, `suspended`, `closed` or `published`
 * period never returns to `draft` (the period state machine: only `scheduled` reverts) and cannot be
 * deleted (R19), and its `questionnaire_id` cannot change (R18). So once a period in one of those statuses
 * uses a questionnaire, the fields kept here never change again. A `draft` or `scheduled` period proves
 * nothing (it may revert and the list be edited): those reads always go to the database and fill nothing.
 *
 * Only the frozen fields are kept (id, position, type, options, is_required): text, description and
 * category are not (E31 reads them fresh; description stays editable).
 */
import type { AnswerQuestion } from '../domain/answers.ts';

export type FrozenQuestion = AnswerQuestion & { position: number };

/** Statuses whose questionnaire can never change again. */
export const FROZEN_STATUSES: ReadonlySet<string> = new Set(['active', 'suspended', 'closed', 'published']);

export interface FrozenQuestions {
  /** The questionnaire's questions in position order; cached only when `periodStatus` proves it frozen. */
  of(questionnaireId: string, periodStatus: string): Promise<FrozenQuestion[]>;
  /** How many questionnaires are held (tests, metrics). */
  size(): number;
}

export function createFrozenQuestions(load: (questionnaireId: string) => Promise<FrozenQuestion[]>, max = 200): FrozenQuestions {
  const held = new Map<string, Promise<FrozenQuestion[]>>();
  return {
    async of(questionnaireId, periodStatus) {
      if (!FROZEN_STATUSES.has(periodStatus)) return load(questionnaireId);
      const hit = held.get(questionnaireId);
      if (hit) return hit;
      // Concurrent first submissions share one read; a failed read is not kept.
      const pending = load(questionnaireId).then((rows) => rows.map((r) => Object.freeze({ ...r })));
      held.set(questionnaireId, pending);
      pending.catch(() => held.delete(questionnaireId));
      if (held.size > max) held.delete(held.keys().next().value!);
      return pending;
    },
    size: () => held.size,
  };
}
