/**
 * Search quality, measured (issue 15): a fixed set of Spanish questions as people type them — typos,
 * missing accents, synonyms, plural/singular, questions instead of keywords — each with the seeded
 * item it should find. Full-text search alone (the embedded default has no embeddings model) must put
 * the expected item in the top 3 for at least 80 % of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemId, seedKbDemo } from '../src/seed/demo.seed.ts';
import { createHarness, type Harness } from './harness.ts';
import { QUESTIONS } from './search-quality.questions.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await seedKbDemo(h.db, h.clock.now);
});
afterAll(async () => h.close());

describe('search quality (full-text only)', () => {
  it(`when the ${QUESTIONS.length} fixed questions are asked, then recall@3 is at least 0.8`, async () => {
    const misses: string[] = [];
    let found = 0;
    for (const [q, n, role] of QUESTIONS) {
      const who = role === 'instructor' ? h.instructor : role === 'coordinador' ? h.coordinador : h.aprendiz;
      const res = await h.inject('GET', `/api/v1/kb/search?q=${encodeURIComponent(q)}&mode=fulltext&page_size=3`, who);
      expect(res.statusCode).toBe(200);
      const ids = res.json().data.map((r: { item: { id: string } }) => r.item.id);
      if (ids.includes(itemId(n))) found++;
      else misses.push(`${q} → #${n} (got ${res.json().data.map((r: { item: { title: string } }) => r.item.title).join(' | ') || 'nada'})`);
    }
    const recall = found / QUESTIONS.length;
    console.log(`kb search quality: recall@3 = ${recall.toFixed(3)} (${found}/${QUESTIONS.length})${misses.length ? `\nmisses:\n  ${misses.join('\n  ')}` : ''}`);
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(40);
    expect(recall).toBeGreaterThanOrEqual(0.8);
  });
});
