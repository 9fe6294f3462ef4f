/** Categories (§3.1, US-KB-07) and tags (§4.3, US-KB-08). */
import { onUniqueViolation } from '@sicora/platform/db-errors';
import { toIso } from '@sicora/platform/schemas';
import { kbErrors } from '../domain/errors.ts';
import { isEditor } from '../domain/items.ts';
import { fold, normalizeTag } from '../domain/text.ts';
import type { CategoryRow } from '../infrastructure/categories.repo.ts';
import type { Actor, Deps } from './context.ts';

export interface CategoryInput {
  slug?: string;
  name?: string;
  description?: string | null;
  parent_id?: string | null;
  sort_order?: number;
  is_active?: boolean;
}

export const categoryView = (c: CategoryRow) => ({
  id: c.id,
  slug: c.slug,
  name: c.name,
  description: c.description,
  parent_id: c.parentId,
  sort_order: c.sortOrder,
  is_active: c.isActive,
  created_at: toIso(c.createdAt),
  updated_at: toIso(c.updatedAt),
});

export interface CategoryNode {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  sort_order: number;
  is_active: boolean;
  item_count: number;
  children: CategoryNode[];
}

export function createCategoriesService(deps: Deps) {
  const { repos, now } = deps;

  /** Depth of a node's subtree below it (1 = a leaf). */
  function subtreeDepth(all: CategoryRow[], id: string): number {
    const kids = all.filter((c) => c.parentId === id);
    return 1 + Math.max(0, ...kids.map((k) => subtreeDepth(all, k.id)));
  }

  async function checkHierarchy(id: string | null, parentId: string | null | undefined): Promise<void> {
    if (!parentId) return;
    const all = await repos.categories.all();
    const byId = new Map(all.map((c) => [c.id, c]));
    if (!byId.has(parentId)) throw kbErrors.categoryNotFound('parent_id');
    let depth = 1;
    for (let cur = byId.get(parentId); cur; cur = cur.parentId ? byId.get(cur.parentId) : undefined) {
      if (cur.id === id) throw kbErrors.categoryHierarchyInvalid('cycle');
      depth++;
      if (depth > 10) break;
    }
    const below = id ? subtreeDepth(all, id) : 1;
    if (depth - 1 + below > 3) throw kbErrors.categoryHierarchyInvalid('depth');
  }

  async function checkName(name: string, parentId: string | null, selfId: string | null): Promise<void> {
    const all = await repos.categories.all();
    if (all.some((c) => c.id !== selfId && (c.parentId ?? null) === parentId && c.nameFolded === fold(name))) throw kbErrors.categoryNameExists();
  }

  function cleanName(input: CategoryInput) {
    if (input.name !== undefined) {
      const name = input.name.trim();
      if (name.length < 2) throw kbErrors.validation([{ field: 'name', reason: 'too_short', message: 'Mínimo 2 caracteres' }]);
      return name;
    }
    return undefined;
  }

  const unique = { categories_slug_unique: kbErrors.categorySlugExists };

  return {
    async tree(actor: Actor, o: { includeEmpty?: boolean; includeInactive?: boolean }) {
      const editor = isEditor(actor.role);
      const all = await repos.categories.all();
      const counts = await repos.categories.visibleCounts({ role: actor.role, sub: actor.sub });
      const build = (parentId: string | null): CategoryNode[] =>
        all
          .filter((c) => (c.parentId ?? null) === parentId)
          .filter((c) => c.isActive || (editor && o.includeInactive))
          .map((c) => {
            const children = build(c.id);
            const count = (counts.get(c.id) ?? 0) + children.reduce((s, k) => s + k.item_count, 0);
            return { id: c.id, slug: c.slug, name: c.name, description: c.description, sort_order: c.sortOrder, is_active: c.isActive, item_count: count, children };
          })
          .filter((n) => n.item_count > 0 || (editor && o.includeEmpty));
      return build(null);
    },

    async create(input: CategoryInput & { slug: string; name: string }) {
      const name = cleanName(input)!;
      const parentId = input.parent_id ?? null;
      await checkHierarchy(null, parentId);
      if (await repos.categories.findBySlug(input.slug)) throw kbErrors.categorySlugExists();
      await checkName(name, parentId, null);
      const at = now();
      const row = await onUniqueViolation(
        () => repos.categories.insert({ slug: input.slug, name, description: input.description?.trim() || null, parentId, sortOrder: input.sort_order ?? 0, isActive: input.is_active ?? true, createdAt: at, updatedAt: at }),
        unique,
      );
      return categoryView(row);
    },

    async update(id: string, input: CategoryInput) {
      const cat = await repos.categories.findById(id);
      if (!cat) throw kbErrors.categoryNotFound('id');
      const name = cleanName(input) ?? cat.name;
      const parentId = input.parent_id !== undefined ? input.parent_id : cat.parentId;
      if (input.parent_id !== undefined) {
        if (input.parent_id === id) throw kbErrors.categoryHierarchyInvalid('cycle');
        await checkHierarchy(id, parentId);
      }
      if (input.slug !== undefined && input.slug !== cat.slug && (await repos.categories.findBySlug(input.slug))) throw kbErrors.categorySlugExists();
      if (input.name !== undefined || input.parent_id !== undefined) await checkName(name, parentId ?? null, id);
      const patch: Record<string, unknown> = { updatedAt: now() };
      if (input.slug !== undefined) patch.slug = input.slug;
      if (input.name !== undefined) patch.name = name;
      if (input.description !== undefined) patch.description = input.description?.trim() || null;
      if (input.parent_id !== undefined) patch.parentId = input.parent_id;
      if (input.sort_order !== undefined) patch.sortOrder = input.sort_order;
      if (input.is_active !== undefined) patch.isActive = input.is_active;
      const row = await onUniqueViolation(() => repos.categories.update(id, patch), unique);
      return categoryView(row);
    },

    async remove(id: string) {
      const cat = await repos.categories.findById(id);
      if (!cat) throw kbErrors.categoryNotFound('id');
      const all = await repos.categories.all();
      if (all.some((c) => c.parentId === id) || (await repos.categories.itemCount(id)) > 0) throw kbErrors.categoryNotEmpty();
      await repos.categories.remove(id);
    },

    async tags(actor: Actor, q: { q?: string; limit: number }) {
      return repos.items.tagCounts({ role: actor.role, sub: actor.sub }, !isEditor(actor.role), q.q, q.limit);
    },

    async renameTag(tag: string, name: string) {
      const to = normalizeTag(name);
      if (!to) throw kbErrors.validation([{ field: 'name', reason: 'invalid_tag', message: 'Etiqueta no válida' }]);
      const from = normalizeTag(tag) ?? tag;
      if (!(await repos.items.tagUsed(from))) throw kbErrors.tagNotFound();
      // Tags weigh in the search vector (R9): the renamed items are re-indexed in the same transaction.
      const ids = await deps.withTransaction(async (r) => {
        const changed = await r.items.renameTag(from, to, now());
        for (const row of await r.items.byIds(changed)) await r.items.writeSearchData(row);
        return changed;
      });
      return { tag: to, items_updated: ids.length };
    },
  };
}

export type CategoriesService = ReturnType<typeof createCategoriesService>;
