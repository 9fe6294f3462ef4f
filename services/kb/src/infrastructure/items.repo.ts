/**
 * Items, their versions, status changes and search data (R5, R6, R8, R9). Queries return plain rows;
 * list filters apply V1 in SQL (visibility.ts).
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, getTableColumns, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { fold } from '../domain/text.ts';
import { splitPassages } from '../domain/passages.ts';
import { categories, itemPassages, itemStatusChanges, items, itemVersions } from './db/schema.ts';
import { categoryTree, visibleTo, type Viewer } from './visibility.ts';
import { pgArray, rowsOf } from './rows.ts';

const { searchVector: _sv, matchVector: _mv, headVector: _hv, titleFolded: _tf, ...itemColumns } = getTableColumns(items);
export type ItemRow = Omit<typeof items.$inferSelect, 'searchVector' | 'matchVector' | 'headVector' | 'titleFolded'>;
export type NewItem = Omit<typeof items.$inferInsert, 'searchVector' | 'matchVector' | 'headVector' | 'titleFolded'>;
export type VersionRow = typeof itemVersions.$inferSelect;

export interface ItemListFilter {
  kinds?: string[];
  categoryId?: string;
  tags?: string[];
  statuses?: string[];
  audience?: string;
  authorId?: string;
  q?: string;
  updatedFrom?: Date;
  updatedTo?: Date;
}

export type ItemSortField = 'updated_at' | 'title' | 'published_at' | 'view_count' | 'helpful_count' | 'popularity';

const SORT_SQL: Record<ItemSortField, string> = {
  updated_at: 'i.updated_at',
  title: 'i.title_folded',
  published_at: 'i.published_at',
  view_count: 'i.view_count',
  helpful_count: 'i.helpful_count',
  popularity: 'i.popularity',
};

/** R9: weight A folded title, B folded summary + tags + source reference, C folded content. */
export function itemVectorSql(item: { title: string; summary: string | null; tags: string[]; sourceReference: string | null; content: string }): SQL {
  const b = fold([item.summary ?? '', item.tags.join(' ').replace(/-/g, ' '), item.sourceReference ?? ''].join(' '));
  return sql`setweight(to_tsvector('spanish', ${fold(item.title)}), 'A') || setweight(to_tsvector('spanish', ${b}), 'B') || setweight(to_tsvector('spanish', ${fold(item.content)}), 'C')`;
}

export function createItemsRepo(db: Db) {
  return {
    async findById(id: string): Promise<ItemRow | undefined> {
      const [row] = await db.select(itemColumns).from(items).where(and(eq(items.id, id), isNull(items.deletedAt)));
      return row;
    },
    async findAnyById(id: string): Promise<ItemRow | undefined> {
      const [row] = await db.select(itemColumns).from(items).where(eq(items.id, id));
      return row;
    },
    /** Backup (R31): every non-deleted item, oldest first. */
    async allLive(): Promise<ItemRow[]> {
      return db.select(itemColumns).from(items).where(isNull(items.deletedAt)).orderBy(items.createdAt, items.id);
    },
    async allVersions(): Promise<VersionRow[]> {
      return db.select().from(itemVersions).where(sql`${itemVersions.itemId} IN (SELECT id FROM kb.items WHERE deleted_at IS NULL)`);
    },
    /** The id holding each slug (deleted items too: slugs are never reused, R5). */
    async slugOwners(slugs: string[]): Promise<Map<string, string>> {
      if (slugs.length === 0) return new Map();
      const rows = await db.select({ id: items.id, slug: items.slug }).from(items).where(sql`${items.slug} = ANY(${pgArray(slugs)}::text[])`);
      return new Map(rows.map((r) => [r.slug, r.id]));
    },
    async findBySlug(slug: string): Promise<ItemRow | undefined> {
      const [row] = await db.select(itemColumns).from(items).where(and(eq(items.slug, slug), isNull(items.deletedAt)));
      return row;
    },
    /** Slugs taken that start with `base` (deleted items keep theirs: links stay valid, R5). */
    async slugsLike(base: string): Promise<string[]> {
      const rows = await db.select({ slug: items.slug }).from(items).where(sql`${items.slug} = ${base} OR ${items.slug} LIKE ${`${base}-%`}`);
      return rows.map((r) => r.slug);
    },
    async existing(ids: string[]): Promise<Array<{ id: string; deleted: boolean }>> {
      if (ids.length === 0) return [];
      const rows = await db.select({ id: items.id, deletedAt: items.deletedAt }).from(items).where(sql`${items.id} = ANY(${pgArray(ids)}::uuid[])`);
      return rows.map((r) => ({ id: r.id, deleted: r.deletedAt !== null }));
    },
    async insert(values: NewItem): Promise<ItemRow> {
      const [row] = await db
        .insert(items)
        .values({ ...values, titleFolded: fold(values.title), searchVector: itemVectorSql({ title: values.title, summary: values.summary ?? null, tags: values.tags ?? [], sourceReference: values.sourceReference ?? null, content: values.content }) })
        .returning(itemColumns);
      return row!;
    },
    async update(id: string, patch: Partial<NewItem>): Promise<ItemRow> {
      const set: Record<string, unknown> = { ...patch };
      if (patch.title !== undefined) set.titleFolded = fold(patch.title);
      const [row] = await db.update(items).set(set).where(eq(items.id, id)).returning(itemColumns);
      return row!;
    },
    /** R8 + R9: the item's vector and passages, rebuilt in the caller's transaction. */
    async writeSearchData(item: ItemRow): Promise<void> {
      await db.update(items).set({ searchVector: itemVectorSql(item) }).where(eq(items.id, item.id));
      await db.delete(itemPassages).where(eq(itemPassages.itemId, item.id));
      const passages = splitPassages(item);
      if (passages.length === 0) return;
      const title = fold(item.title);
      await db.insert(itemPassages).values(
        passages.map((p) => ({
          itemId: item.id,
          ordinal: p.ordinal,
          heading: p.heading,
          text: p.text,
          contentHash: createHash('sha256').update(`${p.heading ?? ''}${p.text}`).digest('hex'),
          searchVector: sql`setweight(to_tsvector('spanish', ${title}), 'A') || setweight(to_tsvector('spanish', ${fold(p.heading ?? '')}), 'B') || setweight(to_tsvector('spanish', ${fold(p.text)}), 'C')`,
        })),
      );
    },
    async insertVersion(v: typeof itemVersions.$inferInsert): Promise<void> {
      await db.insert(itemVersions).values(v);
    },
    async versions(itemId: string): Promise<VersionRow[]> {
      return db.select().from(itemVersions).where(eq(itemVersions.itemId, itemId)).orderBy(desc(itemVersions.versionNumber));
    },
    async version(itemId: string, n: number): Promise<VersionRow | undefined> {
      const [row] = await db.select().from(itemVersions).where(and(eq(itemVersions.itemId, itemId), eq(itemVersions.versionNumber, n)));
      return row;
    },
    async insertStatusChange(v: typeof itemStatusChanges.$inferInsert): Promise<string> {
      const [row] = await db.insert(itemStatusChanges).values(v).returning({ id: itemStatusChanges.id });
      return row!.id;
    },
    async list(viewer: Viewer, f: ItemListFilter, sort: { field: ItemSortField; desc: boolean }, page: { limit: number; offset: number }): Promise<{ rows: ItemRow[]; total: number }> {
      const where: SQL[] = [visibleTo(viewer)];
      if (f.kinds?.length) where.push(sql`i.kind = ANY(${pgArray(f.kinds)}::text[])`);
      if (f.categoryId) where.push(sql`i.category_id IN ${categoryTree(f.categoryId)}`);
      if (f.tags?.length) where.push(sql`i.tags @> ${pgArray(f.tags)}::text[]`);
      if (f.statuses?.length) where.push(sql`i.status = ANY(${pgArray(f.statuses)}::text[])`);
      if (f.audience) where.push(sql`${f.audience} = ANY(i.audience)`);
      if (f.authorId) where.push(sql`i.author_id = ${f.authorId}::uuid`);
      if (f.q) where.push(sql`strpos(i.title_folded, ${fold(f.q)}) > 0`);
      if (f.updatedFrom) where.push(sql`i.updated_at >= ${f.updatedFrom.toISOString()}::timestamptz`);
      if (f.updatedTo) where.push(sql`i.updated_at < ${f.updatedTo.toISOString()}::timestamptz`);
      const order = sql.raw(`${SORT_SQL[sort.field]} ${sort.desc ? 'DESC NULLS LAST' : 'ASC NULLS LAST'}, i.id`);
      const ids = rowsOf<{ id: string; total: number }>(
        await db.execute(sql`SELECT i.id, count(*) over ()::int AS total FROM kb.items i WHERE ${sql.join(where, sql` AND `)} ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset}`),
      );
      const total = ids[0] ? Number(ids[0].total) : page.offset > 0 ? await this.count(where) : 0;
      return { rows: await this.byIds(ids.map((r) => r.id)), total };
    },
    async count(where: SQL[]): Promise<number> {
      const [row] = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM kb.items i WHERE ${sql.join(where, sql` AND `)}`));
      return Number(row?.n ?? 0);
    },
    /** Rows in the order of `ids`. */
    async byIds(ids: string[]): Promise<ItemRow[]> {
      if (ids.length === 0) return [];
      const rows = await db.select(itemColumns).from(items).where(sql`${items.id} = ANY(${pgArray(ids)}::uuid[])`);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id)).filter((r): r is ItemRow => r !== undefined);
    },
    async categoriesOf(ids: string[]): Promise<Map<string, { id: string; slug: string; name: string; parentId: string | null; isActive: boolean }>> {
      if (ids.length === 0) return new Map();
      const rows = await db.select({ id: categories.id, slug: categories.slug, name: categories.name, parentId: categories.parentId, isActive: categories.isActive }).from(categories).where(sql`${categories.id} = ANY(${pgArray(ids)}::uuid[])`);
      return new Map(rows.map((r) => [r.id, r]));
    },
    /** Tags with counts over visible rows (§4.3). */
    async tagCounts(viewer: Viewer, publishedOnly: boolean, prefix: string | undefined, limit: number): Promise<Array<{ tag: string; item_count: number }>> {
      const vis = publishedOnly ? visibleTo(viewer) : sql`i.deleted_at IS NULL`;
      const pre = prefix ? sql` WHERE starts_with(t.folded, ${fold(prefix)})` : sql``;
      return rowsOf<{ tag: string; item_count: number }>(
        await db.execute(sql`SELECT t.tag, t.item_count FROM (SELECT tag, count(*)::int AS item_count, translate(min(tag), 'áéíóúüñ', 'aeiouun') AS folded FROM kb.items i, unnest(i.tags) AS tag WHERE ${vis} GROUP BY tag) t${pre} ORDER BY t.item_count DESC, t.tag LIMIT ${limit}`),
      ).map((r) => ({ tag: r.tag, item_count: Number(r.item_count) }));
    },
    /** PATCH /tags (US-KB-08): rename or merge, no version, no other change. */
    async renameTag(from: string, to: string, now: Date): Promise<string[]> {
      const rows = rowsOf<{ id: string }>(
        await db.execute(sql`UPDATE kb.items SET tags = (SELECT coalesce(array_agg(DISTINCT x ORDER BY x), '{}') FROM unnest(array_replace(tags, ${from}, ${to})) x), updated_at = ${now.toISOString()}::timestamptz WHERE ${from} = ANY(tags) AND deleted_at IS NULL RETURNING id`),
      );
      return rows.map((r) => r.id);
    },
    async tagUsed(tag: string): Promise<boolean> {
      const rows = rowsOf(await db.execute(sql`SELECT 1 FROM kb.items WHERE ${tag} = ANY(tags) AND deleted_at IS NULL LIMIT 1`));
      return rows.length > 0;
    },
  };
}

export type ItemsRepo = ReturnType<typeof createItemsRepo>;
