/** B1 synonym groups: folded, unique across groups; every change refreshes the search's cache. */
import { kbErrors } from '../domain/errors.ts';
import { fold } from '../domain/text.ts';
import type { Actor, Deps } from './context.ts';

export function createSynonymsService(deps: Deps, onChange: () => void) {
  const { repos, now } = deps;
  return {
    list: () => repos.search.synonyms(),
    async replace(actor: Actor, groups: string[][]) {
      const seen = new Map<string, number>();
      const errs: Array<{ field: string; reason: string; message: string }> = [];
      const folded = groups.map((terms, g) =>
        [...new Set(terms.map((t, i) => {
          const f = fold(t);
          if (f.length < 2 || f.length > 40) errs.push({ field: `groups[${g}].terms[${i}]`, reason: 'length', message: 'Cada término tiene 2–40 caracteres' });
          return f;
        }))].map((f) => {
          if (seen.has(f) && seen.get(f) !== g) errs.push({ field: `groups[${g}].terms`, reason: 'term_in_two_groups', message: `"${f}" ya está en otro grupo` });
          seen.set(f, g);
          return f;
        }),
      );
      folded.forEach((terms, g) => {
        if (terms.length < 2) errs.push({ field: `groups[${g}].terms`, reason: 'too_few', message: 'Un grupo tiene al menos 2 términos distintos' });
      });
      if (errs.length) throw kbErrors.validation(errs);
      await deps.withTransaction((r) => r.search.replaceSynonyms(folded, actor.sub, now()));
      onChange();
      return repos.search.synonyms();
    },
  };
}

export type SynonymsService = ReturnType<typeof createSynonymsService>;
