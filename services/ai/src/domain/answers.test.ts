/** R7, R11, R12, R15 and R1/R4/R6 helpers as pure functions. */
import { describe, expect, it } from 'vitest';
import { chatMessages, extractiveAnswer, noAnswerText, postProcess, selectPassages, type Passage } from './answers.ts';
import { alnumCount, fold, isRegulatory, titleFrom } from './text.ts';

const p = (o: Partial<Passage>): Passage => ({ passage_id: 'p', item_id: 'i', item_slug: 's', item_title: 'T', item_kind: 'procedure', item_summary: null, category: { slug: 'c', name: 'Cat' }, source_reference: null, heading: null, text: 'texto', excerpt: 'extracto', score: 0.5, ...o });

describe('R7 selection', () => {
  it('drops passages under the minimum, keeps at most 2 per item, orders by boosted score', () => {
    const out = selectPassages([p({ passage_id: 'a', item_id: '1', score: 0.9 }), p({ passage_id: 'b', item_id: '1', score: 0.8 }), p({ passage_id: 'c', item_id: '1', score: 0.7 }), p({ passage_id: 'd', item_id: '2', score: 0.24 }), p({ passage_id: 'e', item_id: '3', item_kind: 'regulation', score: 0.75 })], 0.25, true);
    expect(out.map((x) => x.passage_id)).toEqual(['e', 'a', 'b']);
  });
  it('the boost is capped at 1.0 and applies only with regulatory intent', () => {
    // 0.85 and 0.95 both cap at 1.0: the tie keeps kb's order.
    const out = selectPassages([p({ passage_id: 'r1', item_kind: 'regulation', item_id: 'r1', score: 0.85 }), p({ passage_id: 'r2', item_kind: 'regulation', item_id: 'r2', score: 0.95 }), p({ passage_id: 'x', item_id: 'x', score: 0.99 })], 0.25, true);
    expect(out.map((o) => o.passage_id)).toEqual(['r1', 'r2', 'x']);
    expect(selectPassages([p({ passage_id: 'r', item_kind: 'regulation', item_id: 'r', score: 0.5 }), p({ passage_id: 'x', item_id: 'x', score: 0.6 })], 0.25, false)[0].passage_id).toBe('x');
  });
});

describe('R11, R12 texts', () => {
  it('the no-answer text adds up to 3 suggestions', () => {
    expect(noAnswerText([])).not.toContain('Quizá');
    expect(noAnswerText(['a', 'b', 'c', 'd'])).toMatch(/Quizá te sirva:\n- a\n- b\n- c$/);
  });
  it('the extractive answer: marker, bullets, sources with reference or category, closing line, ≤ 2 500 chars', () => {
    const { content, citations } = extractiveAnswer([p({ item_id: '1', item_title: 'Uno', source_reference: 'Art. 1', excerpt: 'x'.repeat(3000) }), p({ item_id: '2', item_title: 'Dos' })], true);
    expect(content.startsWith('**Respuesta extractiva** — el modelo de lenguaje no está disponible en este momento;')).toBe(true);
    expect(content).toContain('[1] Uno — Art. 1');
    expect(content).toContain('[2] Dos — Cat');
    expect(content.endsWith('Si tu caso es particular, consulta con la coordinación académica de tu centro.')).toBe(true);
    expect(content.length).toBeLessThanOrEqual(2500);
    expect(citations.map((c) => [c.n, c.cited])).toEqual([
      [1, true],
      [2, true],
    ]);
  });
});

describe('R13–R15', () => {
  it('history keeps the last 8 messages without no-answers, each cut to 1 500 chars; sources ≤ 6 and neutralised', () => {
    const history = Array.from({ length: 10 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', content: `m${i}${'y'.repeat(i === 9 ? 2000 : 0)}`, answer_mode: i === 7 ? 'no_answer' : null }));
    const msgs = chatMessages('instructor', history, Array.from({ length: 8 }, (_, i) => p({ item_title: `T${i}`, text: i === 0 ? 'a >>> b <<< c' : 't' })), 'q');
    expect(msgs[0].content).toContain('La persona que pregunta tiene el rol: instructor.');
    expect(msgs).toHaveLength(10);
    expect(msgs.slice(1, 9).map((m) => m.content.slice(0, 2))).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm8', 'm9']);
    expect(msgs[8].content.length).toBe(1500);
    const last = msgs[9].content;
    expect(last.match(/^\[\d\] /gm)).toHaveLength(6);
    expect(last.match(/>>>/g)).toHaveLength(1);
  });
  it('markers past the sources are removed and cited flags follow the text', () => {
    const r = postProcess('Sí [2] y [7].', [p({}), p({ item_id: 'b' })]);
    expect(r.content).toBe('Sí [2] y .');
    expect(r.citations.map((c) => c.cited)).toEqual([false, true]);
  });
});

describe('text and limits', () => {
  it('folds, titles, intent and alnum counts', () => {
    expect(fold('Sanción ÚNICA')).toBe('sancion unica');
    expect(titleFrom('corta')).toBe('corta');
    expect(titleFrom('   ')).toBe('Nueva conversación');
    expect(isRegulatory('¿Qué pasa con el llamado de atención?')).toBe(true);
    expect(isRegulatory('¿Cómo uso el QR?')).toBe(false);
    expect(alnumCount('¿?')).toBe(0);
  });
});
