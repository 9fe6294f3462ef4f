/** Categories (§3.1) and their visible item counts (V3). */
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { fold } from '../domain/text.ts';
import { categories } from './db/schema.ts';
import { publishedFor, type Viewer } from './visibility.ts';
import { rowsOf } from './rows.ts';

export type CategoryRow = typeof categories.$inferSelect;
export type NewCategory = Omit<typeof categories.$inferInsert, 'nameFolded'>;

export function createCategoriesRepo(db: Db) {
  return {
    async all(): Promise<CategoryRow[]> {
      return db.select().from(categories).orderBy(asc(categories.sortOrder), asc(categories.nameFolded));
    },
    async findById(id: string): Promise<CategoryRow | undefined> {
      const [row] = await db.select().from(categories).where(eq(categories.id, id));
      return row;
    },
    async findBySlug(slug: string): Promise<CategoryRow | undefined> {
      const [row] = await db.select().from(categories).where(eq(categories.slug, slug));
      return row;
    },
    async insert(values: NewCategory): Promise<CategoryRow> {
      const [row] = await db.insert(categories).values({ ...values, nameFolded: fold(values.name) }).returning();
      return row!;
    },
    async update(id: string, patch: Partial<NewCategory>): Promise<CategoryRow> {
      const set: Record<string, unknown> = { ...patch };
      if (patch.name !== undefined) set.nameFolded = fold(patch.name);
      const [row] = await db.update(categories).set(set).where(eq(categories.id, id)).returning();
      return row!;
    },
    async remove(id: string): Promise<void> {
      await db.delete(categories).where(eq(categories.id, id));
    },
    /** Non-deleted items directly in the category (CATEGORY_NOT_EMPTY). */
    async itemCount(id: string): Promise<number> {
      const [row] = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM kb.items WHERE category_id = ${id}::uuid AND deleted_at IS NULL`));
      return Number(row?.n ?? 0);
    },
    /** Published items visible to the viewer, per category (direct only; the tree sums them). */
    async visibleCounts(viewer: Viewer): Promise<Map<string, number>> {
      const rows = rowsOf<{ category_id: string; n: number }>(await db.execute(sql`SELECT i.category_id, count(*)::int AS n FROM kb.items i WHERE ${publishedFor(viewer)} GROUP BY i.category_id`));
      return new Map(rows.map((r) => [r.category_id, Number(r.n)]));
    },
  };
}

export type CategoriesRepo = ReturnType<typeof createCategoriesRepo>;
