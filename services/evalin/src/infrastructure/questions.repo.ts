/** The question bank (§3 Question, soft delete) and questionnaire membership reads (R5, R6). */
import { and, asc, desc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { periods, questionnaireQuestions, questionnaires, questions } from './db/schema.ts';
import { rowsOf } from './sql.ts';

export type QuestionRow = typeof questions.$inferSelect;
export type QuestionInsert = typeof questions.$inferInsert;
export type QuestionSortField = 'order_index' | 'text' | 'category' | 'created_at' | 'updated_at';

export interface QuestionFilter {
  questionType?: string;
  category?: string;
  isActive?: boolean;
  search?: string;
}

const SORT = { order_index: questions.orderIndex, text: questions.textKey, category: questions.category, created_at: questions.createdAt, updated_at: questions.updatedAt };

export function createQuestionsRepo(db: Db) {
  const where = (f: QuestionFilter) => {
    const c: SQL[] = [isNull(questions.deletedAt)];
    if (f.questionType) c.push(sql`${questions.questionType} = ${f.questionType}`);
    if (f.category) c.push(sql`lower(${questions.category}) = lower(${f.category.trim()})`);
    if (f.isActive !== undefined) c.push(eq(questions.isActive, f.isActive));
    if (f.search) c.push(sql`position(${f.search} in ${questions.searchText}) > 0`);
    return and(...c);
  };
  return {
    async list(f: QuestionFilter, sort: { field: QuestionSortField; direction: 'asc' | 'desc' }, limit: number, offset: number) {
      const w = where(f);
      const dir = sort.direction === 'desc' ? desc : asc;
      const rows = await db.select().from(questions).where(w).orderBy(dir(SORT[sort.field]), asc(questions.category), asc(questions.orderIndex), asc(questions.id)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(questions).where(w);
      return { rows, total: n };
    },
    async get(id: string): Promise<QuestionRow | undefined> {
      const [row] = await db.select().from(questions).where(and(eq(questions.id, id), isNull(questions.deletedAt)));
      return row;
    },
    /** Any stored question, deleted ones included: reports keep historical texts (R6). */
    async byIds(ids: string[]): Promise<QuestionRow[]> {
      if (ids.length === 0) return [];
      return db.select().from(questions).where(inArray(questions.id, ids));
    },
    async byTextKeys(keys: string[]): Promise<QuestionRow[]> {
      if (keys.length === 0) return [];
      return db.select().from(questions).where(and(inArray(questions.textKey, keys), isNull(questions.deletedAt)));
    },
    async maxOrderIndex(category: string): Promise<number> {
      const [{ m }] = await db.select({ m: sql<number>`coalesce(max(${questions.orderIndex}), 0)::int` }).from(questions).where(and(isNull(questions.deletedAt), sql`lower(${questions.category}) = lower(${category})`));
      return m;
    },
    async insert(values: QuestionInsert[]): Promise<QuestionRow[]> {
      const out: QuestionRow[] = [];
      for (let i = 0; i < values.length; i += 200) out.push(...(await db.insert(questions).values(values.slice(i, i + 200)).returning()));
      return out;
    },
    async update(id: string, patch: Partial<QuestionInsert>): Promise<QuestionRow> {
      const [row] = await db.update(questions).set(patch).where(eq(questions.id, id)).returning();
      return row;
    },
    async softDelete(id: string, at: Date) {
      await db.update(questions).set({ deletedAt: at, updatedAt: at }).where(eq(questions.id, id));
    },
    /** Questionnaires holding each question, with whether a non-draft period uses them (R5). */
    async memberships(ids: string[]) {
      if (ids.length === 0) return [];
      return db
        .select({
          questionId: questionnaireQuestions.questionId,
          id: questionnaires.id,
          name: questionnaires.name,
          locked: sql<boolean>`exists (select 1 from ${periods} p where p.questionnaire_id = ${sql.raw('"questionnaires"."id"')} and p.status <> 'draft')`,
        })
        .from(questionnaireQuestions)
        .innerJoin(questionnaires, eq(questionnaires.id, questionnaireQuestions.questionnaireId))
        .where(inArray(questionnaireQuestions.questionId, ids))
        .orderBy(asc(questionnaires.name));
    },
    /** E6: per category (grouped case-insensitively), the most used spelling and the counts. */
    async categories() {
      return rowsOf<{ category: string; question_count: number; active_count: number }>(await db.execute(sql`
        select (array_agg(category order by n desc, category))[1] as category, sum(n)::int as question_count, sum(a)::int as active_count
        from (select category, count(*) as n, count(*) filter (where is_active) as a from ${questions} where deleted_at is null group by category) c
        group by lower(category) order by lower(category)`));
    },
    async otherWithKey(key: string, exceptId: string): Promise<QuestionRow | undefined> {
      const [row] = await db.select().from(questions).where(and(eq(questions.textKey, key), isNull(questions.deletedAt), ne(questions.id, exceptId)));
      return row;
    },
  };
}
