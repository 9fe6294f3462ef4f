/** Questionnaires and their ordered question lists (R8–R12). */
import { and, asc, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { periods, questionnaireQuestions, questionnaires, questions } from './db/schema.ts';

export type QuestionnaireRow = typeof questionnaires.$inferSelect;
export type QuestionnaireSortField = 'name' | 'created_at' | 'updated_at';

// Written out: inside a one-table select drizzle renders a column unqualified, which the subquery would
// read as its own table's column.
const OUTER_ID = sql.raw('"questionnaires"."id"');
const questionCount = sql<number>`(select count(*)::int from ${questionnaireQuestions} qq where qq.questionnaire_id = ${OUTER_ID})`;
const periodCount = sql<number>`(select count(*)::int from ${periods} p where p.questionnaire_id = ${OUTER_ID})`;
const locked = sql<boolean>`exists (select 1 from ${periods} p where p.questionnaire_id = ${OUTER_ID} and p.status <> 'draft')`;
const SELECTION = { q: questionnaires, questionCount, periodCount, locked };
const SORT = { name: questionnaires.nameKey, created_at: questionnaires.createdAt, updated_at: questionnaires.updatedAt };

export type QuestionnaireListRow = { q: QuestionnaireRow; questionCount: number; periodCount: number; locked: boolean };

export function createQuestionnairesRepo(db: Db) {
  return {
    async list(f: { isActive?: boolean; search?: string; hasQuestions?: boolean }, sort: { field: QuestionnaireSortField; direction: 'asc' | 'desc' }, limit: number, offset: number) {
      const c: SQL[] = [];
      if (f.isActive !== undefined) c.push(eq(questionnaires.isActive, f.isActive));
      if (f.search) c.push(sql`position(lower(${f.search}) in ${questionnaires.nameKey}) > 0`);
      if (f.hasQuestions !== undefined) c.push(f.hasQuestions ? sql`${questionCount} > 0` : sql`${questionCount} = 0`);
      const w = c.length ? and(...c) : undefined;
      const dir = sort.direction === 'desc' ? desc : asc;
      const rows = await db.select(SELECTION).from(questionnaires).where(w).orderBy(dir(SORT[sort.field]), asc(questionnaires.id)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(questionnaires).where(w);
      return { rows: rows as QuestionnaireListRow[], total: n };
    },
    async get(id: string): Promise<QuestionnaireListRow | undefined> {
      const [row] = await db.select(SELECTION).from(questionnaires).where(eq(questionnaires.id, id));
      return row as QuestionnaireListRow | undefined;
    },
    /** Locks the questionnaire row for a list change (R9 all or nothing under concurrency). */
    async getForUpdate(id: string): Promise<QuestionnaireRow | undefined> {
      const [row] = await db.select().from(questionnaires).where(eq(questionnaires.id, id)).for('update');
      return row;
    },
    async byNameKey(key: string, exceptId?: string): Promise<QuestionnaireRow | undefined> {
      const [row] = await db.select().from(questionnaires).where(exceptId ? and(eq(questionnaires.nameKey, key), ne(questionnaires.id, exceptId)) : eq(questionnaires.nameKey, key));
      return row;
    },
    async nameKeysLike(prefix: string): Promise<string[]> {
      const rows = await db.select({ k: questionnaires.nameKey }).from(questionnaires).where(sql`${questionnaires.nameKey} like ${`${prefix.replace(/[%_\\]/g, '\\$&')}%`}`);
      return rows.map((r) => r.k);
    },
    async insert(values: typeof questionnaires.$inferInsert): Promise<QuestionnaireRow> {
      const [row] = await db.insert(questionnaires).values(values).returning();
      return row;
    },
    async update(id: string, patch: Partial<typeof questionnaires.$inferInsert>) {
      await db.update(questionnaires).set(patch).where(eq(questionnaires.id, id));
    },
    async remove(id: string) {
      await db.delete(questionnaires).where(eq(questionnaires.id, id));
    },
    /** Question ids in position order. */
    async questionIds(id: string): Promise<string[]> {
      const rows = await db.select({ id: questionnaireQuestions.questionId }).from(questionnaireQuestions).where(eq(questionnaireQuestions.questionnaireId, id)).orderBy(asc(questionnaireQuestions.position));
      return rows.map((r) => r.id);
    },
    /** The questions with their positions, deleted ones included (a locked questionnaire keeps them). */
    async questions(id: string) {
      return db
        .select({ position: questionnaireQuestions.position, question: questions })
        .from(questionnaireQuestions)
        .innerJoin(questions, eq(questions.id, questionnaireQuestions.questionId))
        .where(eq(questionnaireQuestions.questionnaireId, id))
        .orderBy(asc(questionnaireQuestions.position));
    },
    /** Rewrites the whole list as `ids` in order (positions 1..n), inside the caller's transaction. */
    async setQuestions(id: string, ids: string[]) {
      await db.delete(questionnaireQuestions).where(eq(questionnaireQuestions.questionnaireId, id));
      if (ids.length > 0) await db.insert(questionnaireQuestions).values(ids.map((questionId, i) => ({ questionnaireId: id, questionId, position: i + 1 })));
    },
    async periodNames(id: string): Promise<string[]> {
      const rows = await db.select({ name: periods.name }).from(periods).where(eq(periods.questionnaireId, id)).orderBy(asc(periods.name));
      return rows.map((r) => r.name);
    },
    async touch(id: string, at: Date) {
      await db.update(questionnaires).set({ updatedAt: at }).where(eq(questionnaires.id, id));
    },
    async byIds(ids: string[]) {
      if (ids.length === 0) return [];
      return db.select().from(questionnaires).where(inArray(questionnaires.id, ids));
    },
  };
}
