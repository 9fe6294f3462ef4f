/** R17 related items: pinned first, then semantic neighbours (when available), then category and tags. */
import { assertReadable } from './access.ts';
import type { Actor, Deps } from './context.ts';
import { audienceAllows } from '../domain/items.ts';
import type { SemanticPort } from './semantic.ts';

export function createRelatedService(deps: Deps, semanticPort?: SemanticPort) {
  const { repos } = deps;
  return {
    async related(actor: Actor, id: string, limit: number) {
      const item = assertReadable(actor, await repos.items.findById(id));
      const viewer = { role: actor.role, sub: actor.role === 'service' ? null : actor.sub };
      const pinnedRows = (await repos.items.byIds(item.pinnedRelatedIds.filter((p) => p !== item.id))).filter(
        (r) => !r.deletedAt && r.status === 'published' && audienceAllows(r.audience, actor.role),
      );
      const out: Array<{ id: string; reason: 'pinned' | 'semantic' | 'category_tags'; score: number }> = pinnedRows.slice(0, limit).map((r) => ({ id: r.id, reason: 'pinned', score: 1 }));
      const st = semanticPort?.status();
      if (out.length < limit && st?.available && semanticPort?.embeddings && semanticPort.model) {
        const settings = (await repos.search.settings())!;
        const near = await semanticPort.embeddings.relatedTo(viewer, item.id, semanticPort.model, out.map((o) => o.id), limit - out.length, settings.relatedThreshold);
        out.push(...near.map((n) => ({ id: n.id, reason: 'semantic' as const, score: Math.round(n.s * 10000) / 10000 })));
      }
      if (out.length < limit) {
        const more = await repos.search.relatedByCategoryTags(viewer, item, out.map((o) => o.id), limit - out.length);
        out.push(...more.map((m) => ({ id: m.id, reason: 'category_tags' as const, score: Math.round(m.score * 10000) / 10000 })));
      }
      const rows = new Map((await repos.items.byIds(out.map((o) => o.id))).map((r) => [r.id, r]));
      const cats = await repos.items.categoriesOf([...new Set([...rows.values()].map((r) => r.categoryId))]);
      return out.map((o) => {
        const r = rows.get(o.id)!;
        const c = cats.get(r.categoryId);
        return { id: r.id, slug: r.slug, kind: r.kind, title: r.title, summary: r.summary, category: { id: r.categoryId, slug: c?.slug ?? '', name: c?.name ?? '' }, reason: o.reason, score: o.score };
      });
    },
  };
}

export type RelatedService = ReturnType<typeof createRelatedService>;
