/**
 * E32 with `submit=true` (R29) as one statement: one round trip, atomic without BEGIN/COMMIT (a single
 * statement is its own transaction, and its data-modifying CTEs all commit or none does).
 *
 * The evaluation row is inserted `submitted` only while the period is open (R23 re-checked at write time,
 * on the same clock the use case reads); the unique (student, instructor, period) constraint makes a
 * concurrent second submission fail (23505), so exactly one of two simultaneous E32s writes anything. The
 * response, its answers, its comments and the outbox entry are inserted from the evaluation's CTE, so they
 * exist exactly when it does. Nothing stored links the response to the evaluation or the apprentice: the
 * response keeps its random id and no time stamp (R29, R37).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import type { OutboxEntry } from '@sicora/platform/outbox';
import { comments, evaluations, outbox, periods, responseAnswers, responses } from './db/schema.ts';
import { rowsOf } from './sql.ts';

export interface NewSubmission {
  /** The evaluation's id (random v4, chosen by the caller so the event can name it). */
  id: string;
  periodId: string;
  instructorId: string;
  studentId: string;
  groupId: string;
  questionnaireId: string;
  at: Date;
  answers: Array<{ questionId: string; likertValue: number | null; choiceValues: string[] | null }>;
  texts: Array<{ questionId: string | null; text: string; flagged: boolean; status: 'pending' | 'approved' }>;
  /** The `evalin.evaluation_submitted` entry, or null when notifications are off. */
  event: OutboxEntry | null;
}

export function createSubmissionsRepo(db: Db) {
  return {
    /** True when written; false when the period was no longer open. Throws 23505 on a second evaluation. */
    async insertSubmitted(s: NewSubmission): Promise<boolean> {
      const at = s.at.toISOString();
      const answers = JSON.stringify(s.answers.map((a) => ({ q: a.questionId, l: a.likertValue, c: a.choiceValues })));
      const texts = JSON.stringify(s.texts.map((t) => ({ q: t.questionId, t: t.text, f: t.flagged, s: t.status })));
      const event = s.event
        ? sql`, o as (
            insert into ${outbox} (target, method, path, body, idempotency_key)
            select ${s.event.target}, ${s.event.method ?? 'POST'}, ${s.event.path}, ${JSON.stringify(s.event.body)}::jsonb, ${s.event.idempotencyKey} from e
            on conflict (idempotency_key) do nothing)`
        : sql``;
      const result = await db.execute(sql`
        with e as (
          insert into ${evaluations} (id, period_id, instructor_id, student_id, group_id, status, submitted_at, created_at, updated_at)
          select ${s.id}::uuid, ${s.periodId}::uuid, ${s.instructorId}::uuid, ${s.studentId}::uuid, ${s.groupId}::uuid, 'submitted', ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
          where exists (select 1 from ${periods} p where p.id = ${s.periodId}::uuid and p.status = 'active' and p.start_date <= ${at}::timestamptz and ${at}::timestamptz < p.end_date)
          returning id
        ), r as (
          insert into ${responses} (period_id, instructor_id, group_id, questionnaire_id)
          select ${s.periodId}::uuid, ${s.instructorId}::uuid, ${s.groupId}::uuid, ${s.questionnaireId}::uuid from e
          returning id
        ), a as (
          insert into ${responseAnswers} (response_id, question_id, likert_value, choice_values)
          select r.id, x.q, x.l, x.c from r cross join jsonb_to_recordset(${answers}::jsonb) as x(q uuid, l smallint, c text[])
        ), c as (
          insert into ${comments} (response_id, period_id, instructor_id, group_id, question_id, text, flagged, status)
          select r.id, ${s.periodId}::uuid, ${s.instructorId}::uuid, ${s.groupId}::uuid, x.q, x.t, x.f, x.s::evalin.comment_status
          from r cross join jsonb_to_recordset(${texts}::jsonb) as x(q uuid, t text, f boolean, s text)
        )${event}
        select count(*)::int as n from e`);
      return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0) === 1;
    },
  };
}
