/**
 * R34's debounced evaluation: every minute, the students whose records last changed 60 s ago or more
 * (evaluation_queue, filled by a trigger on record_changes) are evaluated, a batch at a time. A batch whose
 * evaluation fails goes back to the queue for the next run; the nightly full run is the safety net.
 */
import type { JobDefinition } from '@sicora/platform/jobs';
import type { Deps } from './context.ts';

const BATCH = 200;

export async function evaluateDue(deps: Deps, evaluation: { evaluateStudents(ids: string[]): Promise<unknown> }, at: Date = deps.now()) {
  let evaluated = 0;
  for (;;) {
    const ids = await deps.repos.evaluations.takeDue(at, BATCH);
    if (ids.length === 0) return { evaluated };
    try {
      await evaluation.evaluateStudents(ids);
    } catch (err) {
      await deps.repos.evaluations.requeue(ids, at);
      throw err;
    }
    evaluated += ids.length;
    if (ids.length < BATCH) return { evaluated };
  }
}

export function debouncedEvaluationJob(deps: Deps, evaluation: { evaluateStudents(ids: string[]): Promise<unknown> }): JobDefinition {
  return { name: 'alerts-debounced', cron: '* * * * *', timeZone: deps.timeZone, run: ({ slot }) => evaluateDue(deps, evaluation, slot) };
}
