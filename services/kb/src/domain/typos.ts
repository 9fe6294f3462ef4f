/**
 * Typo tolerance for full-text search: a query word absent from the published vocabulary is matched to
 * the nearest vocabulary word (Damerau–Levenshtein ≤ 1 for 4–6 letters, ≤ 2 from 7), the most frequent
 * on ties. The word keeps its own spelling as an alternative, so a correct rare word is never lost.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let prevPrev = prev2;
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

export function maxEdits(word: string): number {
  return word.length >= 7 ? 2 : word.length >= 4 ? 1 : 0;
}

export function correct(word: string, vocabulary: Map<string, number>): string | null {
  if (vocabulary.has(word)) return null;
  const max = maxEdits(word);
  if (max === 0) return null;
  let best: { w: string; d: number; n: number } | null = null;
  for (const [w, n] of vocabulary) {
    if (Math.abs(w.length - word.length) > max || w.length < 3) continue;
    const d = editDistance(word, w, max);
    if (d > max) continue;
    if (!best || d < best.d || (d === best.d && n > best.n)) best = { w, d, n };
  }
  return best?.w ?? null;
}

/**
 * A vocabulary with its words grouped by length (a correction only looks at lengths within its edit
 * budget) and its corrections remembered (a vocabulary is rebuilt, not changed, when content changes).
 */
export class Vocabulary {
  /** [word, frequency, position in `words`] per length: ties go to the earlier word, as in correct(). */
  private readonly byLength = new Map<number, Array<[string, number, number]>>();
  private readonly memo = new Map<string, string | null>();

  constructor(readonly words: Map<string, number>) {
    let i = 0;
    for (const [w, n] of words) {
      i++;
      if (w.length < 3) continue;
      let bucket = this.byLength.get(w.length);
      if (!bucket) this.byLength.set(w.length, (bucket = []));
      bucket.push([w, n, i]);
    }
  }

  has(word: string): boolean {
    return this.words.has(word);
  }

  /** correct() over this vocabulary: the same answer, looking only at the lengths it can reach. */
  correct(word: string): string | null {
    const known = this.memo.get(word);
    if (known !== undefined) return known;
    let found: string | null = null;
    if (!this.words.has(word)) {
      const max = maxEdits(word);
      let best: { w: string; d: number; n: number; i: number } | null = null;
      for (let len = word.length - max; max > 0 && len <= word.length + max; len++) {
        for (const [w, n, i] of this.byLength.get(len) ?? []) {
          const d = editDistance(word, w, max);
          if (d > max) continue;
          if (!best || d < best.d || (d === best.d && (n > best.n || (n === best.n && i < best.i)))) best = { w, d, n, i };
        }
      }
      found = best?.w ?? null;
    }
    if (this.memo.size >= 10_000) this.memo.clear();
    this.memo.set(word, found);
    return found;
  }
}
