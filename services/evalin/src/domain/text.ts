/** Text rules shared by the question bank, questionnaires and comments (R1, R2, R8, R38). */

/** Trim and collapse inner whitespace runs to one space (R1). */
export const collapse = (s: string) => s.trim().replace(/\s+/g, ' ');

/** Lower case without accents: searches (E1) and blocked-term matching (R38). */
export const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The uniqueness key of a text or name: collapsed and lower-cased (case-insensitive, accents kept). */
export const keyOf = (s: string) => collapse(s).toLowerCase();

/** R38: whole-word match of any blocked term after lower-casing and removing accents. */
export function containsBlockedTerm(text: string, terms: readonly string[]): boolean {
  const words = ` ${fold(text).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  return terms.some((t) => {
    const term = fold(t).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    return term.length > 0 && words.includes(` ${term} `);
  });
}

/** §6 slug: lower-case ASCII, accents removed, other characters → `-`. */
export const slugOf = (s: string) => fold(s).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'periodo';
