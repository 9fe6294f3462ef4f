/**
 * V1 applied inside SQL (V3): every list, search, related, tag and category count filters rows here,
 * before ranking and pagination, so totals count visible rows only.
 */
import { sql, type SQL } from 'drizzle-orm';

export interface Viewer {
  role: string;
  sub: string | null;
}

const isEditor = (role: string) => role === 'admin' || role === 'coordinador';

/** Published and meant for the role (editors: every published row); `i` is the items alias. */
export function publishedFor(viewer: Viewer, alias = 'i'): SQL {
  const a = sql.raw(alias);
  if (isEditor(viewer.role)) return sql`(${a}.deleted_at IS NULL AND ${a}.status = 'published')`;
  if (viewer.role === 'service') return sql`(${a}.deleted_at IS NULL AND ${a}.status = 'published' AND 'all' = ANY(${a}.audience))`;
  return sql`(${a}.deleted_at IS NULL AND ${a}.status = 'published' AND ${a}.audience && ARRAY['all', ${viewer.role}]::text[])`;
}

/** V1 for reads and lists: editors see every non-deleted row, instructors their own rows too. */
export function visibleTo(viewer: Viewer, alias = 'i'): SQL {
  const a = sql.raw(alias);
  if (isEditor(viewer.role)) return sql`(${a}.deleted_at IS NULL)`;
  if (viewer.role === 'instructor' && viewer.sub) return sql`(${publishedFor(viewer, alias)} OR (${a}.deleted_at IS NULL AND ${a}.author_id = ${viewer.sub}::uuid))`;
  return publishedFor(viewer, alias);
}

/** The ids of a category and its descendants (US-KB-07). */
export function categoryTree(categoryId: string): SQL {
  return sql`(WITH RECURSIVE tree AS (SELECT id FROM kb.categories WHERE id = ${categoryId}::uuid UNION ALL SELECT c.id FROM kb.categories c JOIN tree ON c.parent_id = tree.id) SELECT id FROM tree)`;
}
