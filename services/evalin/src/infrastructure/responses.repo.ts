/**
 * The anonymous side (R29, R37): responses, their answers and comments. Nothing here takes or returns a
 * student id or a time; rows come back ordered by their random ids, never by time.
 */
import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { comments, responseAnswers, responses } from './db/schema.ts';
import { rowsOf } from './sql.ts';

export type CommentRow = typeof comments.$inferSelect;
export type CommentStatus = CommentRow['status'];

export interface CommentFilter {
  periodId: string;
  instructorId?: string;
  questionId?: string;
  statuses?: CommentStatus[];
  flagged?: boolean;
}

export function createResponsesRepo(db: Db) {
  const commentWhere = (f: CommentFilter) => {
    const c: SQL[] = [eq(comments.periodId, f.periodId)];
    if (f.instructorId) c.push(eq(comments.instructorId, f.instructorId));
    if (f.questionId) c.push(eq(comments.questionId, f.questionId));
    if (f.statuses) c.push(inArray(comments.status, f.statuses));
    if (f.flagged !== undefined) c.push(eq(comments.flagged, f.flagged));
    return and(...c);
  };
  return {
    async insert(
      response: { periodId: string; instructorId: string; groupId: string; questionnaireId: string },
      answers: Array<{ questionId: string; likertValue: number | null; choiceValues: string[] | null }>,
      texts: Array<{ questionId: string | null; text: string; flagged: boolean; status: CommentStatus }>,
    ) {
      const [row] = await db.insert(responses).values(response).returning({ id: responses.id });
      if (answers.length) await db.insert(responseAnswers).values(answers.map((a) => ({ responseId: row.id, ...a })));
      if (texts.length) await db.insert(comments).values(texts.map((t) => ({ responseId: row.id, periodId: response.periodId, instructorId: response.instructorId, groupId: response.groupId, ...t })));
    },
    /** Response counts per (instructor, ficha) cell of a period. */
    async cellCounts(periodId: string) {
      return db
        .select({ instructorId: responses.instructorId, groupId: responses.groupId, n: sql<number>`count(*)::int` })
        .from(responses)
        .where(eq(responses.periodId, periodId))
        .groupBy(responses.instructorId, responses.groupId);
    },
    /** Every likert and choice answer of a period (optionally one instructor / ficha), keyed by cell. */
    async answers(periodId: string, f: { instructorId?: string; groupId?: string } = {}) {
      const c: SQL[] = [eq(responses.periodId, periodId)];
      if (f.instructorId) c.push(eq(responses.instructorId, f.instructorId));
      if (f.groupId) c.push(eq(responses.groupId, f.groupId));
      return db
        .select({ responseId: responses.id, instructorId: responses.instructorId, groupId: responses.groupId, questionId: responseAnswers.questionId, likert: responseAnswers.likertValue, choices: responseAnswers.choiceValues })
        .from(responseAnswers)
        .innerJoin(responses, eq(responses.id, responseAnswers.responseId))
        .where(and(...c));
    },
    /** Likert answers as counts per (instructor, ficha, question, value): at most 5 rows per cell and question. */
    async likertCounts(periodId: string, f: { instructorId?: string; groupId?: string } = {}) {
      const c: SQL[] = [eq(responses.periodId, periodId), sql`${responseAnswers.likertValue} is not null`];
      if (f.instructorId) c.push(eq(responses.instructorId, f.instructorId));
      if (f.groupId) c.push(eq(responses.groupId, f.groupId));
      return db
        .select({ instructorId: responses.instructorId, groupId: responses.groupId, questionId: responseAnswers.questionId, value: sql<number>`${responseAnswers.likertValue}::int`, n: sql<number>`count(*)::int` })
        .from(responseAnswers)
        .innerJoin(responses, eq(responses.id, responseAnswers.responseId))
        .where(and(...c))
        .groupBy(responses.instructorId, responses.groupId, responseAnswers.questionId, responseAnswers.likertValue);
    },
    /** Choice answers per (instructor, ficha, question): how many answered and how many chose each option. */
    async choiceCounts(periodId: string, f: { instructorId?: string; groupId?: string } = {}) {
      const c: SQL[] = [sql`r.period_id = ${periodId}`, sql`a.choice_values is not null`, sql`cardinality(a.choice_values) > 0`];
      if (f.instructorId) c.push(sql`r.instructor_id = ${f.instructorId}`);
      if (f.groupId) c.push(sql`r.group_id = ${f.groupId}`);
      const rows = await db.execute(sql`
        select r.instructor_id::text as "instructorId", r.group_id::text as "groupId", a.question_id::text as "questionId", o.option as "option", count(*)::int as n
        from ${responseAnswers} a join ${responses} r on r.id = a.response_id
        cross join lateral (select unnest(a.choice_values) as option union all select null) o
        where ${and(...c)}
        group by 1, 2, 3, 4`);
      return rowsOf<{ instructorId: string; groupId: string; questionId: string; option: string | null; n: number }>(rows);
    },
    /** Text-answer counts per question (R35 `text`: answer_count only). */
    async textCounts(periodId: string, f: { instructorId?: string; groupId?: string } = {}) {
      const c: SQL[] = [eq(comments.periodId, periodId), sql`${comments.questionId} is not null`];
      if (f.instructorId) c.push(eq(comments.instructorId, f.instructorId));
      if (f.groupId) c.push(eq(comments.groupId, f.groupId));
      return db.select({ instructorId: comments.instructorId, groupId: comments.groupId, questionId: comments.questionId, n: sql<number>`count(*)::int` }).from(comments).where(and(...c)).groupBy(comments.instructorId, comments.groupId, comments.questionId);
    },
    async comments(f: CommentFilter, limit: number, offset: number) {
      const w = commentWhere(f);
      const rows = await db.select().from(comments).where(w).orderBy(asc(comments.id)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(comments).where(w);
      return { rows, total: n };
    },
    async allComments(f: CommentFilter): Promise<CommentRow[]> {
      return db.select().from(comments).where(commentWhere(f)).orderBy(asc(comments.id));
    },
    async commentsAfter(f: CommentFilter, after: string | undefined, limit: number): Promise<CommentRow[]> {
      const w = after ? and(commentWhere(f), gt(comments.id, after)) : commentWhere(f);
      return db.select().from(comments).where(w).orderBy(asc(comments.id)).limit(limit);
    },
    async commentsByIds(ids: string[]): Promise<CommentRow[]> {
      if (ids.length === 0) return [];
      return db.select().from(comments).where(inArray(comments.id, ids));
    },
    async moderate(ids: string[], patch: { status: CommentStatus; moderationNote: string | null; moderatedBy: string; moderatedAt: Date }) {
      if (ids.length === 0) return;
      await db.update(comments).set(patch).where(inArray(comments.id, ids));
    },
    async countComments(periodId: string, status: CommentStatus): Promise<number> {
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(comments).where(and(eq(comments.periodId, periodId), eq(comments.status, status)));
      return n;
    },
    /** Published-period totals per instructor for E43's trend. */
    async responseIdsAfter(periodId: string, f: { instructorId?: string; groupId?: string }, after: string | undefined, limit: number) {
      const c: SQL[] = [eq(responses.periodId, periodId)];
      if (f.instructorId) c.push(eq(responses.instructorId, f.instructorId));
      if (f.groupId) c.push(eq(responses.groupId, f.groupId));
      if (after) c.push(gt(responses.id, after));
      return db.select().from(responses).where(and(...c)).orderBy(asc(responses.id)).limit(limit);
    },
  };
}
