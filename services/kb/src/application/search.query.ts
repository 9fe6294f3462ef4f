/**
 * From the words people type to tsquery text (R10): folded words, typo corrections (domain/typos.ts),
 * Spanish lexemes, synonym groups OR-ed per term (B1), `-word` exclusions; at most 32 lexemes.
 */
import { fold } from '../domain/text.ts';
import type { Vocabulary } from '../domain/typos.ts';
import type { TextQuery } from '../infrastructure/search.repo.ts';
import type { Repositories } from './context.ts';

export interface QueryContext {
  vocabulary(): Promise<Vocabulary>;
  synonyms(): Promise<string[][]>;
}

const quote = (lexeme: string) => `'${lexeme.replace(/'/g, "''")}'`;
const conj = (lexemes: string[]) => (lexemes.length === 1 ? quote(lexemes[0]!) : `(${lexemes.map(quote).join(' & ')})`);

export interface BuiltQuery extends TextQuery {
  /** The OR query of R10's relaxed retry. */
  relaxed: string;
  lexemeCount: number;
}

export async function buildQuery(repos: Repositories, ctx: QueryContext, q: string): Promise<BuiltQuery> {
  const folded = fold(q);
  const tokens = folded.split(/[^a-z0-9ñ-]+/).filter(Boolean);
  const words: Array<{ word: string; negated: boolean }> = [];
  for (const t of tokens) {
    const negated = t.startsWith('-') && t.length > 1;
    for (const w of t.replace(/^-+/, '').split('-').filter(Boolean)) words.push({ word: w, negated });
  }
  const vocabulary = await ctx.vocabulary();
  const corrections = new Map<string, string>();
  for (const { word } of words) {
    if (/^\d+$/.test(word)) continue;
    const c = vocabulary.correct(word);
    if (c) corrections.set(word, c);
  }
  const synonymGroups = await ctx.synonyms();
  const synonymTerms = synonymGroups.flat();
  const stems = await repos.search.lexemes([...new Set([...words.map((w) => w.word), ...corrections.values(), ...synonymTerms])]);

  const groups: string[][] = [];
  const negatives: string[] = [];
  const seen = new Set<string>();
  for (const { word, negated } of words) {
    const own = stems.get(word) ?? [];
    const alt = corrections.has(word) ? (stems.get(corrections.get(word)!) ?? []) : [];
    const lexemes = [...new Set([...own, ...alt])];
    if (lexemes.length === 0) continue;
    if (negated) {
      negatives.push(...own);
      continue;
    }
    const key = lexemes.join('|');
    if (seen.has(key)) continue;
    seen.add(key);
    // Alternatives of one term: its own lexemes, its correction, and every term of a synonym group that shares one.
    const alternatives = new Set<string>(lexemes.map(quote));
    for (const group of synonymGroups) {
      const hit = group.some((term) => {
        const ls = stems.get(term) ?? [];
        return ls.length === 1 && lexemes.includes(ls[0]!);
      });
      if (!hit) continue;
      for (const term of group) {
        const ls = stems.get(term) ?? [];
        if (ls.length) alternatives.add(conj(ls));
      }
    }
    groups.push([...alternatives]);
    if (groups.length >= 32) break;
  }
  const groupQueries = groups.map((g) => (g.length === 1 ? g[0]! : `(${g.join(' | ')})`));
  const any = [...new Set(groups.flat())].join(' | ');
  const not = negatives.map((l) => `!${quote(l)}`);
  const match = [...groupQueries, ...not].join(' & ');
  const relaxed = groupQueries.length ? `(${any})${not.length ? ` & ${not.join(' & ')}` : ''}` : '';
  const out: BuiltQuery = { match, any, groups: groupQueries, relaxed, lexemeCount: groups.length };
  if (groups.length === 0) out.titleContains = folded;
  return out;
}
