/**
 * Text rules of kb.md §3 and R4–R5: folding (lower case, no combining marks, ñ → n, whitespace collapsed),
 * tag normalisation and slugs. Search folds text here, in code, because `unaccent()` is not IMMUTABLE and
 * is not even shipped with PGlite (R9).
 */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A folded query without punctuation: the key search logs and reports group by (R21, R22). */
export function normalizeQuery(text: string): string {
  return fold(text.replace(/[^\p{L}\p{N}\s]+/gu, ' '));
}

/** R5: folded title, non-alphanumerics → `-`, at most 110 chars. */
export function slugify(title: string): string {
  const base = fold(title).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 110).replace(/-+$/g, '');
  return base || 'item';
}

export const TAG_PATTERN = /^[\p{Ll}\p{Lo}\p{N}\p{M}-]{1,50}$/u;

/** R4: trimmed, lower-cased, inner whitespace → `-`. Returns null when the result breaks the rule. */
export function normalizeTag(tag: string): string | null {
  const t = tag.trim().toLowerCase().normalize('NFC').replace(/\s+/g, '-');
  return TAG_PATTERN.test(t) ? t : null;
}

/** R4: the normalised list without duplicates, or the offending index. */
export function normalizeTags(tags: string[]): { tags: string[]; invalid: number[] } {
  const out: string[] = [];
  const invalid: number[] = [];
  tags.forEach((tag, i) => {
    const t = normalizeTag(tag);
    if (t === null) invalid.push(i);
    else if (!out.includes(t)) out.push(t);
  });
  return { tags: out, invalid };
}

/** Markdown to plain text, for excerpts (§4.1 ItemSummary) and embeddings. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/[*_`>|~]+/g, '')
    .replace(/^\s*[-+]\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function excerptOf(content: string, max = 200): string {
  const plain = plainText(content);
  return plain.length <= max ? plain : `${plain.slice(0, max - 1).trimEnd()}…`;
}
