/** The frozen-questions cache (R5, R10, period state machine): filled only by statuses that can never return to draft. */
import { describe, expect, it } from 'vitest';
import { createFrozenQuestions, FROZEN_STATUSES, type FrozenQuestion } from './frozen-questions.ts';

const q = (id: string, isRequired = true): FrozenQuestion => ({ id, position: 1, questionType: 'likert', options: null, isRequired });

function counting(answers: FrozenQuestion[][]) {
  let calls = 0;
  const load = async () => {
    const out = answers[Math.min(calls, answers.length - 1)];
    calls += 1;
    return out;
  };
  return { load, calls: () => calls };
}

describe('frozen questions', () => {
  it('when the period is draft or scheduled (it may revert and the list change), then every read goes to the database and nothing is kept', async () => {
    const src = counting([[q('a')], [q('a'), q('b')], [q('c')]]);
    const cache = createFrozenQuestions(src.load);
    expect((await cache.of('qn', 'draft')).map((x) => x.id)).toEqual(['a']);
    expect((await cache.of('qn', 'scheduled')).map((x) => x.id)).toEqual(['a', 'b']);
    expect(src.calls()).toBe(2);
    expect(cache.size()).toBe(0);
    // The first frozen read loads what is current then, not what a draft read saw earlier.
    expect((await cache.of('qn', 'active')).map((x) => x.id)).toEqual(['c']);
    expect(src.calls()).toBe(3);
  });

  it('when an active, suspended, closed or published period reads it, then it is read once and kept', async () => {
    expect([...FROZEN_STATUSES].sort()).toEqual(['active', 'closed', 'published', 'suspended']);
    const src = counting([[q('a'), q('b', false)], [q('other')]]);
    const cache = createFrozenQuestions(src.load);
    const [one, two] = await Promise.all([cache.of('qn', 'active'), cache.of('qn', 'active')]);
    expect(one).toBe(two);
    for (const s of ['suspended', 'closed', 'published']) expect((await cache.of('qn', s)).map((x) => x.id)).toEqual(['a', 'b']);
    expect(src.calls()).toBe(1);
    expect(cache.size()).toBe(1);
    // Another questionnaire is its own entry.
    expect((await cache.of('qn2', 'active')).map((x) => x.id)).toEqual(['other']);
    expect(src.calls()).toBe(2);
  });

  it('when the read fails, then the failure is not kept and the next read retries', async () => {
    let fail = true;
    const cache = createFrozenQuestions(async () => {
      if (fail) throw new Error('db down');
      return [q('a')];
    });
    await expect(cache.of('qn', 'active')).rejects.toThrow('db down');
    fail = false;
    expect((await cache.of('qn', 'active')).map((x) => x.id)).toEqual(['a']);
  });

  it('when more questionnaires than the bound are read, then the oldest is dropped', async () => {
    const src = counting([[q('a')]]);
    const cache = createFrozenQuestions(src.load, 2);
    for (const id of ['q1', 'q2', 'q3']) await cache.of(id, 'active');
    expect(cache.size()).toBe(2);
    await cache.of('q1', 'active');
    expect(src.calls()).toBe(4);
  });
});
