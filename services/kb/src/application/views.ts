/** Rows → the API shapes of §4 (ItemSummary, ItemDetail, Category). */
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import { excerptOf } from '../domain/text.ts';
import type { ItemRow } from '../infrastructure/items.repo.ts';

export interface CategoryRef {
  id: string;
  slug: string;
  name: string;
}

export const ratingAvg = (sum: number, count: number) => (count === 0 ? null : Math.round((sum / count) * 100) / 100);

export function itemSummary(row: ItemRow, category: CategoryRef | undefined) {
  return {
    id: row.id,
    slug: row.slug,
    kind: row.kind,
    title: row.title,
    summary: row.summary,
    excerpt: row.summary === null ? excerptOf(row.content) : null,
    category: category ? { id: category.id, slug: category.slug, name: category.name } : { id: row.categoryId, slug: '', name: '' },
    tags: row.tags,
    audience: row.audience,
    status: row.status,
    version: row.version,
    view_count: row.viewCount,
    helpful_count: row.helpfulCount,
    not_helpful_count: row.notHelpfulCount,
    rating_avg: ratingAvg(row.ratingSum, row.ratingCount),
    popularity: Math.round(row.popularity * 10000) / 10000,
    published_at: toIsoOrNull(row.publishedAt),
    updated_at: toIso(row.updatedAt),
  };
}

export type ItemSummary = ReturnType<typeof itemSummary>;

export function itemDetail(row: ItemRow, path: CategoryRef[], myFeedback: { helpful: boolean; rating: number | null; comment: string | null } | null) {
  return {
    ...itemSummary(row, path[path.length - 1]),
    content: row.content,
    source_reference: row.sourceReference,
    category_path: path.map((c) => ({ id: c.id, slug: c.slug, name: c.name })),
    author_name: row.authorName,
    pinned_related_ids: row.pinnedRelatedIds,
    origin: row.origin,
    created_at: toIso(row.createdAt),
    rating_count: row.ratingCount,
    my_feedback: myFeedback,
  };
}

export type ItemDetail = ReturnType<typeof itemDetail>;
