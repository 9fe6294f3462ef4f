/**
 * Items: list, read (V2, R20 views), create, edit (R6 versions, B3 expected_version), soft delete.
 * Status transitions, versions and related items live beside it (items.workflow.ts, items.related.ts).
 */
import type { FieldError } from '@sicora/platform/errors';
import { kbErrors } from '../domain/errors.ts';
import { isEditor, itemFieldErrors, qualityWarnings, type Kind } from '../domain/items.ts';
import { normalizeTags, slugify } from '../domain/text.ts';
import type { ItemListFilter, ItemRow, ItemSortField, NewItem } from '../infrastructure/items.repo.ts';

export type { ItemSortField };
import { assertEditable, assertReadable, isAuthor } from './access.ts';
import type { Actor, Deps, Repositories } from './context.ts';
import { itemDetail, itemSummary, type CategoryRef } from './views.ts';
import { publishEffects } from './items.workflow.ts';

export interface ItemInput {
  kind?: Kind;
  title?: string;
  summary?: string | null;
  content?: string;
  source_reference?: string | null;
  category_id?: string;
  tags?: string[];
  audience?: string[];
  pinned_related_ids?: string[];
}

export interface CreateItemInput extends ItemInput {
  kind: Kind;
  title: string;
  content: string;
  category_id: string;
  status?: 'draft' | 'in_review' | 'published';
  notify?: boolean;
}

export interface ListQuery {
  filter: ItemListFilter;
  mine?: boolean;
  sort: { field: ItemSortField; desc: boolean };
  page: { limit: number; offset: number };
}

const VIEW_WINDOW_MS = 30 * 60 * 1000;

/** R1 for optional text: trimmed, empty → 422 on the field; null stays null. */
function clean(value: string | null | undefined, field: string, errs: FieldError[]): string | null | undefined {
  if (value === undefined || value === null) return value;
  const t = value.trim();
  if (t === '') errs.push({ field, reason: 'empty', message: 'No puede estar vacío' });
  return t;
}

export async function categoryPath(repos: Repositories, categoryId: string): Promise<CategoryRef[]> {
  const all = new Map((await repos.categories.all()).map((c) => [c.id, c]));
  const path: CategoryRef[] = [];
  let cur = all.get(categoryId);
  while (cur && path.length < 5) {
    path.unshift({ id: cur.id, slug: cur.slug, name: cur.name });
    cur = cur.parentId ? all.get(cur.parentId) : undefined;
  }
  return path;
}

export async function summaries(repos: Repositories, rows: ItemRow[]) {
  const cats = await repos.items.categoriesOf([...new Set(rows.map((r) => r.categoryId))]);
  return rows.map((r) => itemSummary(r, cats.get(r.categoryId)));
}

export function createItemsService(deps: Deps) {
  const { repos, now } = deps;

  async function checkCategory(r: Repositories, id: string): Promise<void> {
    const cat = await r.categories.findById(id);
    if (!cat) throw kbErrors.categoryNotFound();
    if (!cat.isActive) throw kbErrors.categoryInactive();
  }

  async function checkPinned(r: Repositories, ids: string[], self?: string): Promise<void> {
    if (ids.length > 5) throw kbErrors.validation([{ field: 'pinned_related_ids', reason: 'too_many', message: 'Máximo 5 artículos relacionados' }]);
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) throw kbErrors.relatedItemInvalid(id, 'repeated');
      if (id === self) throw kbErrors.relatedItemInvalid(id, 'self');
      seen.add(id);
    }
    const found = new Map((await r.items.existing(ids)).map((x) => [x.id, x]));
    for (const id of ids) if (!found.get(id) || found.get(id)!.deleted) throw kbErrors.relatedItemInvalid(id, 'unknown');
  }

  async function uniqueSlug(r: Repositories, title: string): Promise<string> {
    const base = slugify(title);
    const taken = new Set(await r.items.slugsLike(base));
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  }

  async function detail(r: Repositories, actor: Actor, row: ItemRow) {
    const path = await categoryPath(r, row.categoryId);
    const fb = actor.role === 'service' ? undefined : await r.feedback.find(row.id, actor.sub);
    return itemDetail(row, path, fb ? { helpful: fb.helpful, rating: fb.rating, comment: fb.comment } : null);
  }

  /** Validates an input's fields (R1–R4); returns the cleaned values. */
  function cleanInput(input: ItemInput): ItemInput {
    const errs: FieldError[] = [];
    const out: ItemInput = { ...input };
    if (input.title !== undefined) {
      out.title = clean(input.title, 'title', errs) ?? undefined;
      if (out.title !== undefined && out.title.length > 0 && out.title.length < 3) errs.push({ field: 'title', reason: 'too_short', message: 'Mínimo 3 caracteres' });
    }
    if (input.summary !== undefined) out.summary = clean(input.summary, 'summary', errs);
    if (input.source_reference !== undefined) out.source_reference = clean(input.source_reference, 'source_reference', errs);
    if (input.content !== undefined && input.content.trim().length < 20) errs.push({ field: 'content', reason: 'too_short', message: 'Mínimo 20 caracteres' });
    if (input.tags !== undefined) {
      const { tags, invalid } = normalizeTags(input.tags);
      for (const i of invalid) errs.push({ field: `tags[${i}]`, reason: 'invalid_tag', message: 'Etiqueta no válida' });
      if (tags.length > 15) errs.push({ field: 'tags', reason: 'too_many', message: 'Máximo 15 etiquetas' });
      out.tags = tags;
    }
    if (input.audience !== undefined) {
      const aud = [...new Set(input.audience)];
      if (aud.includes('all') && aud.length > 1) errs.push({ field: 'audience', reason: 'all_alone', message: '"all" no se combina con otros roles' });
      out.audience = aud;
    }
    if (errs.length) throw kbErrors.validation(errs);
    return out;
  }

  return {
    async list(actor: Actor, q: ListQuery) {
      const filter = { ...q.filter };
      if (q.mine) filter.authorId = actor.sub;
      const { rows, total } = await repos.items.list({ role: actor.role, sub: actor.role === 'service' ? null : actor.sub }, filter, q.sort, q.page);
      return { items: await summaries(repos, rows), total };
    },

    async get(actor: Actor, ref: { id?: string; slug?: string }) {
      const row = assertReadable(actor, ref.id ? await repos.items.findById(ref.id) : await repos.items.findBySlug(ref.slug!));
      // R20: readers' views only, once per 30 minutes, in one transaction with the counter.
      let current = row;
      if (row.status === 'published' && !isEditor(actor.role) && actor.role !== 'service' && !isAuthor(actor, row)) {
        const at = now();
        const counted = await deps.withTransaction(async (r) => {
          if (await r.feedback.viewedSince(row.id, actor.sub, new Date(at.getTime() - VIEW_WINDOW_MS))) return false;
          await r.feedback.recordView(row.id, actor.sub, actor.role, at);
          return true;
        });
        if (counted) current = { ...row, viewCount: row.viewCount + 1 };
      }
      return detail(repos, actor, current);
    },

    async create(actor: Actor, input: CreateItemInput) {
      const status = input.status ?? 'draft';
      if (!isEditor(actor.role) && status !== 'draft') throw kbErrors.forbidden('Solo puede crear borradores');
      if (input.notify && status !== 'published') throw kbErrors.validation([{ field: 'notify', reason: 'only_with_published', message: 'notify solo aplica al publicar' }]);
      const c = cleanInput(input);
      const fields = { kind: input.kind, title: c.title!, summary: c.summary ?? null, content: input.content, source_reference: c.source_reference ?? null };
      const fieldErrs = itemFieldErrors(fields);
      if (fieldErrs.length) throw kbErrors.validation(fieldErrs);
      await checkCategory(repos, input.category_id);
      const pinned = c.pinned_related_ids ?? [];
      await checkPinned(repos, pinned);
      const at = now();
      const tags = c.tags ?? [];
      const row = await deps.withTransaction(async (r) => {
        const values: NewItem = {
          slug: await uniqueSlug(r, fields.title),
          kind: fields.kind,
          title: fields.title,
          summary: fields.summary,
          content: fields.content,
          sourceReference: fields.source_reference,
          categoryId: input.category_id,
          tags,
          audience: c.audience ?? ['all'],
          status,
          authorId: actor.role === 'service' ? null : actor.sub,
          authorName: actor.name ?? null,
          pinnedRelatedIds: pinned,
          origin: 'manual',
          createdAt: at,
          updatedAt: at,
          ...(status === 'published' ? { publishedAt: at, publishedBy: actor.sub } : {}),
        };
        const item = await r.items.insert(values);
        await r.items.writeSearchData(item);
        if (status !== 'draft') {
          const changeId = await r.items.insertStatusChange({ itemId: item.id, fromStatus: 'draft', toStatus: status, actorId: actor.sub, createdAt: at });
          await publishEffects(r, item, 'draft', status, actor, { notify: input.notify === true, changeId, comment: null });
        }
        return item;
      });
      deps.onContentChanged?.(row.id);
      return { ...(await detail(repos, actor, row)), quality_warnings: qualityWarnings({ content: row.content, tags: row.tags }) };
    },

    async update(actor: Actor, id: string, input: ItemInput & { change_note?: string; expected_version?: number }) {
      const item = assertEditable(actor, await repos.items.findById(id));
      if (input.expected_version !== undefined && input.expected_version !== item.version) throw kbErrors.versionConflict(item.version);
      const c = cleanInput(input);
      const next = {
        kind: c.kind ?? item.kind,
        title: c.title ?? item.title,
        summary: c.summary !== undefined ? c.summary : item.summary,
        content: c.content ?? item.content,
        sourceReference: c.source_reference !== undefined ? c.source_reference : item.sourceReference,
        categoryId: c.category_id ?? item.categoryId,
        tags: c.tags ?? item.tags,
        audience: c.audience ?? item.audience,
      };
      const fieldErrs = itemFieldErrors({ kind: next.kind, title: next.title, summary: next.summary, content: next.content, source_reference: next.sourceReference });
      if (fieldErrs.length) throw kbErrors.validation(fieldErrs);
      if (c.category_id !== undefined && c.category_id !== item.categoryId) await checkCategory(repos, c.category_id);
      if (c.pinned_related_ids !== undefined) await checkPinned(repos, c.pinned_related_ids, item.id);
      const changed = versionedChanged(item, next);
      const at = now();
      const row = await deps.withTransaction(async (r) => {
        const current = await r.items.findById(id);
        if (!current || current.version !== item.version) throw kbErrors.versionConflict(current?.version ?? item.version);
        const patch: Partial<NewItem> = { updatedAt: at };
        if (c.pinned_related_ids !== undefined) patch.pinnedRelatedIds = c.pinned_related_ids;
        if (changed) {
          await r.items.insertVersion(snapshot(item, actor.sub, input.change_note ?? null, at));
          Object.assign(patch, next, { version: item.version + 1 });
        }
        const updated = await r.items.update(id, patch);
        if (changed) await r.items.writeSearchData(updated);
        return updated;
      });
      if (changed) deps.onContentChanged?.(row.id);
      return { ...(await detail(repos, actor, row)), quality_warnings: qualityWarnings({ content: row.content, tags: row.tags }) };
    },

    async remove(actor: Actor, id: string) {
      const item = assertEditable(actor, await repos.items.findById(id));
      await repos.items.update(item.id, { deletedAt: now(), updatedAt: now() });
    },

    detail: (actor: Actor, row: ItemRow) => detail(repos, actor, row),

    async isAuthor(actor: Actor, id: string) {
      const row = await repos.items.findById(id);
      return row !== undefined && isAuthor(actor, row);
    },

    /** A category filter by id or slug (§4.1); null when unknown (an empty list, not an error). */
    async resolveCategory(ref: string): Promise<string | null> {
      const cat = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref) ? await repos.categories.findById(ref) : await repos.categories.findBySlug(ref);
      return cat?.id ?? null;
    },
    checkCategory,
  };
}

const VERSIONED = ['kind', 'title', 'summary', 'content', 'sourceReference', 'categoryId', 'tags', 'audience'] as const;

function versionedChanged(item: ItemRow, next: Pick<ItemRow, (typeof VERSIONED)[number]>): boolean {
  return VERSIONED.some((k) => JSON.stringify(item[k]) !== JSON.stringify(next[k]));
}

/** R6: the state being replaced, stored under its own version number. */
export function snapshot(item: ItemRow, changedBy: string | null, note: string | null, at: Date) {
  return {
    itemId: item.id,
    versionNumber: item.version,
    kind: item.kind,
    title: item.title,
    summary: item.summary,
    content: item.content,
    sourceReference: item.sourceReference,
    categoryId: item.categoryId,
    tags: item.tags,
    audience: item.audience,
    changedBy,
    changeNote: note,
    createdAt: at,
  };
}

export type ItemsService = ReturnType<typeof createItemsService>;
