/** Accent-free search text and code normalisation (R1), computed here because unaccent() is not IMMUTABLE. */
export function fold(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function searchText(...parts: Array<string | null | undefined>): string {
  return fold(parts.filter(Boolean).join(' '));
}

export function normalizeCode(value: string): string {
  return value.trim().toUpperCase();
}

/** Escapes LIKE wildcards so a search term matches literally. */
export function likePattern(term: string): string {
  return `%${fold(term.trim()).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
