/**
 * Search (§4.4): full-text with synonyms, typo tolerance and the relaxed retry (R10–R11), passages for
 * the assistant, suggestions (R18), `meta.search` (R13) and the search log (R21). Semantic scores come
 * from the semantic port when it is available (R12); otherwise full-text runs and says why.
 */
import { fold, normalizeQuery } from '../domain/text.ts';
import { isEditor } from '../domain/items.ts';
import type { SearchFilter } from '../infrastructure/search.repo.ts';
import type { Actor, Deps } from './context.ts';
import { buildQuery, type QueryContext } from './search.query.ts';
import { Vocabulary } from '../domain/typos.ts';
import { summaries } from './items.service.ts';
import type { FallbackReason, SemanticPort } from './semantic.ts';

/** How long the vocabulary is trusted before the database's content stamp is read again. */
export const VOCABULARY_CHECK_MS = 1000;

export type SearchMode = 'auto' | 'fulltext' | 'semantic' | 'hybrid';

export interface SearchMeta {
  mode_requested: SearchMode;
  mode_used: 'fulltext' | 'semantic' | 'hybrid';
  semantic_available: boolean;
  fallback_reason: FallbackReason | null;
  relaxed: boolean;
  capped: boolean;
  took_ms: number;
}

export interface SearchMetrics {
  searched(modeUsed: string, seconds: number, zero: boolean): void;
}

export interface SearchQuery {
  q: string;
  mode: SearchMode;
  filter: SearchFilter & { categoryRef?: string };
  status?: string[];
  sort: 'score' | 'updated_at' | 'popularity';
  page: number;
  pageSize: number;
}

export function createSearchService(deps: Deps, semantic: SemanticPort, metrics: SearchMetrics) {
  const { repos, now } = deps;
  let vocab: { stamp: string; checkedAt: number; words: Vocabulary } | undefined;
  let synonyms: string[][] | undefined;
  const ctx: QueryContext & { invalidateSynonyms(): void; invalidateContent(): void } = {
    // The vocabulary of published items (typo tolerance): rebuilt when this process writes content
    // (invalidateContent) and when the database's stamp changed (other replicas), which is read at most
    // once per VOCABULARY_CHECK_MS: reading it for every search cost a scan of the items (issue 15).
    async vocabulary() {
      if (vocab && performance.now() - vocab.checkedAt < VOCABULARY_CHECK_MS) return vocab.words;
      const stamp = await repos.search.stamp();
      if (!vocab || vocab.stamp !== stamp) {
        // Content is stored with its accents: the vocabulary is folded like the queries it corrects.
        const words = new Map<string, number>();
        for (const [w, n] of await repos.search.vocabulary()) words.set(fold(w), (words.get(fold(w)) ?? 0) + n);
        vocab = { stamp, checkedAt: performance.now(), words: new Vocabulary(words) };
      } else vocab.checkedAt = performance.now();
      return vocab.words;
    },
    invalidateContent() {
      vocab = undefined;
    },
    async synonyms() {
      synonyms ??= (await repos.search.synonyms()).map((g) => g.terms);
      return synonyms;
    },
    invalidateSynonyms() {
      synonyms = undefined;
    },
  };

  async function log(actor: Actor, source: 'search' | 'passages', q: string, meta: SearchMeta, filters: Record<string, unknown>, total: number, topItemId: string | null) {
    metrics.searched(meta.mode_used, meta.took_ms / 1000, total === 0);
    await repos.search.log({
      source,
      queryText: q.slice(0, 1000),
      normalizedQuery: normalizeQuery(q).slice(0, 1000),
      userId: actor.role === 'service' ? null : actor.sub,
      role: actor.role,
      modeRequested: meta.mode_requested,
      modeUsed: meta.mode_used,
      filters,
      resultsCount: total,
      topItemId,
      latencyMs: meta.took_ms,
      createdAt: now(),
    });
  }

  async function resolveCategory(ref: string | undefined): Promise<string | undefined | null> {
    if (!ref) return undefined;
    const cat = /^[0-9a-f-]{36}$/i.test(ref) ? await repos.categories.findById(ref) : await repos.categories.findBySlug(ref);
    return cat ? cat.id : null;
  }

  const viewerOf = (actor: Actor) => ({ role: actor.role, sub: actor.role === 'service' ? null : actor.sub });

  return {
    ctx,
    resolveCategory,

    async search(actor: Actor, s: SearchQuery) {
      const started = Date.now();
      const categoryId = await resolveCategory(s.filter.categoryRef);
      const filter: SearchFilter = { ...s.filter, categoryId: categoryId ?? undefined };
      const built = await buildQuery(repos, ctx, s.q);
      const editorStatuses = isEditor(actor.role) && s.status?.length ? s.status : undefined;
      const page = { limit: s.pageSize, offset: (s.page - 1) * s.pageSize };
      const viewer = viewerOf(actor);
      // R13: semantic scores when asked for (auto, semantic, hybrid) and available; else full-text, saying why.
      let reason: FallbackReason | null = null;
      let qv: number[] | null = null;
      if (s.mode !== 'fulltext') {
        const st = semantic.status();
        if (!st.available || !semantic.queryVector) reason = st.reason ?? 'provider_unavailable';
        else if (!(qv = await semantic.queryVector(s.q))) reason = 'provider_unavailable';
      }
      let relaxed = false;
      let capped = false;
      let modeUsed: SearchMeta['mode_used'] = 'fulltext';
      let hits: Array<{ id: string; score: number; text: number | null; semantic: number | null }>;
      let total: number;
      if (categoryId === null) {
        hits = [];
        total = 0;
      } else if (qv && semantic.embeddings && semantic.model) {
        const settings = (await repos.search.settings())!;
        const w = settings.semanticWeight;
        let ft = s.mode === 'semantic' ? [] : await repos.search.textCandidates(viewer, built, filter, editorStatuses);
        if (s.mode !== 'semantic' && ft.length === 0 && built.lexemeCount > 1) {
          ft = await repos.search.textCandidates(viewer, { ...built, match: built.relaxed }, filter, editorStatuses);
          relaxed = ft.length > 0;
        }
        const nn = await semantic.embeddings.neighbours(viewer, qv, semantic.model, filter, 200, settings.semanticThreshold, editorStatuses);
        capped = ft.length >= 500 || nn.length >= 200;
        if (s.mode === 'semantic') {
          modeUsed = 'semantic';
          hits = nn.map((n) => ({ id: n.id, score: n.s, text: null, semantic: n.s }));
        } else {
          modeUsed = 'hybrid';
          const text = new Map(ft.map((x) => [x.id, x.t]));
          const onlyNn = nn.filter((n) => !text.has(n.id)).map((n) => n.id);
          for (const [id, t] of await repos.search.textScores(onlyNn, built)) text.set(id, t);
          const sims = new Map(nn.map((n) => [n.id, n.s]));
          for (const [id, v] of await semantic.embeddings.similarities(ft.map((x) => x.id).filter((id) => !sims.has(id)), qv, semantic.model)) sims.set(id, v);
          hits = [...text.keys(), ...onlyNn.filter((id) => !text.has(id))].map((id) => {
            const t = text.get(id) ?? 0;
            const sv = sims.get(id);
            return { id, score: sv === undefined ? t : w * sv + (1 - w) * t, text: t, semantic: sv ?? null };
          });
        }
        const rows = new Map((await repos.items.byIds(hits.map((x) => x.id))).map((r) => [r.id, r]));
        hits = hits.filter((x) => rows.has(x.id));
        const key = (x: (typeof hits)[number]) => rows.get(x.id)!;
        hits.sort((a, b) =>
          s.sort === 'updated_at'
            ? key(b).updatedAt.getTime() - key(a).updatedAt.getTime() || a.id.localeCompare(b.id)
            : s.sort === 'popularity'
              ? key(b).popularity - key(a).popularity || b.score - a.score || a.id.localeCompare(b.id)
              : b.score - a.score || key(b).popularity - key(a).popularity || key(b).updatedAt.getTime() - key(a).updatedAt.getTime() || a.id.localeCompare(b.id),
        );
        total = hits.length;
        hits = hits.slice(page.offset, page.offset + page.limit);
      } else {
        let result = await repos.search.fulltext(viewer, built, filter, { editorStatuses, sort: s.sort, ...page });
        if (result.total === 0 && built.lexemeCount > 1) {
          relaxed = true;
          result = await repos.search.fulltext(viewer, { ...built, match: built.relaxed }, filter, { editorStatuses, sort: s.sort, ...page });
        }
        hits = result.rows.map((r) => ({ id: r.id, score: r.score, text: r.score, semantic: null }));
        total = result.total;
        capped = total >= 500;
      }
      const rows = await repos.items.byIds(hits.map((r) => r.id));
      const items = await summaries(repos, rows);
      const highlights = await repos.search.highlights(rows.map((r) => r.id), built.any || built.match);
      const data = items.map((item, i) => {
        const h = highlights.get(item.id);
        const hit = hits[i]!;
        return { item, score: round(hit.score), score_parts: { text: hit.text === null ? null : round(hit.text), semantic: hit.semantic === null ? null : round(hit.semantic) }, highlight: h && h.includes('<mark>') ? h : rows[i]!.content.slice(0, 200) };
      });
      const st = semantic.status();
      const meta: SearchMeta = { mode_requested: s.mode, mode_used: modeUsed, semantic_available: st.available, fallback_reason: modeUsed === 'fulltext' ? reason : null, relaxed, capped, took_ms: Date.now() - started };
      if (s.page === 1) await log(actor, 'search', s.q, meta, { kind: s.filter.kinds ?? null, category: s.filter.categoryRef ?? null, tag: s.filter.tags ?? null }, total, data[0]?.item.id ?? null);
      return { data, total, meta };
    },

    async passages(actor: Actor, p: { q: string; limit: number; maxPerItem: number; kinds?: string[]; categoryRef?: string; mode: SearchMode }) {
      const started = Date.now();
      const categoryId = await resolveCategory(p.categoryRef);
      const built = await buildQuery(repos, ctx, p.q);
      // No drafts reach the assistant: published and meant for the role, for editors and authors too.
      const viewer = isEditor(actor.role) ? { role: 'admin', sub: null } : viewerOf(actor);
      const filter = { kinds: p.kinds, categoryId: categoryId ?? undefined };
      let reason: FallbackReason | null = null;
      let qv: number[] | null = null;
      if (p.mode !== 'fulltext') {
        const st = semantic.status();
        if (!st.available || !semantic.queryVector) reason = st.reason ?? 'provider_unavailable';
        else if (!(qv = await semantic.queryVector(p.q))) reason = 'provider_unavailable';
      }
      type Hit = { passage_id: string; item_id: string; heading: string | null; text: string; score: number; excerpt: string; t: number | null; s: number | null };
      let hits: Hit[] = [];
      let modeUsed: SearchMeta['mode_used'] = 'fulltext';
      if (categoryId !== null && qv && semantic.embeddings && semantic.model) {
        const settings = (await repos.search.settings())!;
        const w = settings.semanticWeight;
        const text = p.mode === 'semantic' || built.lexemeCount === 0 ? [] : await repos.search.passages(viewer, built, filter, { limit: 500, maxPerItem: 500 });
        const nn = await semantic.embeddings.passageNeighbours(viewer, qv, semantic.model, filter, 200, settings.semanticThreshold);
        const sims = new Map(nn.map((n) => [n.id, n.s]));
        const known = new Set(text.map((t) => t.passage_id));
        for (const [id, v] of await semantic.embeddings.passageSimilarities(text.map((t) => t.passage_id).filter((id) => !sims.has(id)), qv, semantic.model)) sims.set(id, v);
        const extra = await repos.search.passagesByIds(nn.map((n) => n.id).filter((id) => !known.has(id)), built);
        modeUsed = p.mode === 'semantic' ? 'semantic' : 'hybrid';
        hits = [...text, ...extra]
          .map((r) => {
            const t = Number(r.score);
            const sv = sims.get(r.passage_id);
            const score = modeUsed === 'semantic' ? (sv ?? 0) : sv === undefined ? t : w * sv + (1 - w) * t;
            return { ...r, score, t: modeUsed === 'semantic' ? null : t, s: sv ?? null };
          })
          .filter((r) => modeUsed !== 'semantic' || r.s !== null);
        hits.sort((a, b) => b.score - a.score || a.passage_id.localeCompare(b.passage_id));
        const perItem = new Map<string, number>();
        hits = hits.filter((h) => {
          const n = (perItem.get(h.item_id) ?? 0) + 1;
          perItem.set(h.item_id, n);
          return n <= p.maxPerItem;
        }).slice(0, p.limit);
      } else if (categoryId !== null && built.lexemeCount > 0) {
        hits = (await repos.search.passages(viewer, built, filter, { limit: p.limit, maxPerItem: p.maxPerItem })).map((r) => ({ ...r, score: Number(r.score), t: Number(r.score), s: null }));
      }
      const items = new Map((await repos.items.byIds([...new Set(hits.map((r) => r.item_id))])).map((r) => [r.id, r]));
      const cats = await repos.items.categoriesOf([...new Set([...items.values()].map((r) => r.categoryId))]);
      const data = hits.filter((r) => items.has(r.item_id)).map((r) => {
        const item = items.get(r.item_id)!;
        const cat = cats.get(item.categoryId);
        return {
          passage_id: r.passage_id,
          item_id: item.id,
          item_slug: item.slug,
          item_title: item.title,
          item_kind: item.kind,
          item_summary: item.summary,
          category: { slug: cat?.slug ?? '', name: cat?.name ?? '' },
          source_reference: item.sourceReference,
          heading: r.heading,
          text: r.text,
          excerpt: r.excerpt.replace(/\s+/g, ' ').trim().slice(0, 400),
          score: Math.min(1, Math.max(0, round(r.score))),
          score_parts: { text: r.t === null ? null : round(r.t), semantic: r.s === null ? null : round(r.s) },
          updated_at: item.updatedAt.toISOString(),
        };
      });
      const st = semantic.status();
      const meta: SearchMeta = { mode_requested: p.mode, mode_used: modeUsed, semantic_available: st.available, fallback_reason: modeUsed === 'fulltext' ? reason : null, relaxed: false, capped: false, took_ms: Date.now() - started };
      await log(actor, 'passages', p.q, meta, { kind: p.kinds ?? null, category: p.categoryRef ?? null }, data.length, data[0]?.item_id ?? null);
      return { data, meta };
    },

    async suggest(actor: Actor, q: string) {
      const folded = fold(q);
      const items = await repos.search.suggestItems(viewerOf(actor), folded, 5);
      const queries = await repos.search.suggestQueries(actor.role, normalizeQuery(q), new Date(now().getTime() - 90 * 86_400_000), 3);
      return { items, queries };
    },
  };
}

const round = (n: number) => Math.round(n * 10000) / 10000;

export type SearchService = ReturnType<typeof createSearchService>;
