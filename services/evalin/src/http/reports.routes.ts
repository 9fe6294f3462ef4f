/** E39–E46: reports and exports (R33–R37, §6.2–6.3), and E47–E49 comment moderation (R38). */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { attachment, csvExport } from '@sicora/platform/csv-export';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, PERSONNEL, roleGroup } from '@sicora/platform/roles';
import { MediaResponse } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { CommentsService } from '../application/comments.service.ts';
import type { Actor } from '../application/context.ts';
import type { RemindersService } from '../application/reminders.service.ts';
import type { ReportsService } from '../application/reports.service.ts';
import { Instant, ListEnvelope, Nullable, OneOf, PageQuery, QUESTION_TYPES, Security, SortQuery, Uuid } from './common.schemas.ts';
import { actorOf, listReply, pageOf, sortOf } from './common.ts';
import { PeriodParams, PeriodSchema } from './periods.schemas.ts';

export interface ReportsRoutesOptions {
  reports: ReportsService;
  comments: CommentsService;
  reminders: RemindersService;
}

const tags = ['reports'];
const COORD = roleGroup(COORDINATION, 'service');
const Withheld = Nullable(OneOf(['insufficient_responses', 'low_participation'] as const));
const Num = Nullable(Type.Number());
const Digits = Type.Object({ 1: Type.Number(), 2: Type.Number(), 3: Type.Number(), 4: Type.Number(), 5: Type.Number() });
const Category = Type.Object({ category: Type.String(), average: Num, answer_count: Type.Integer() });
const Question = Type.Object({
  question_id: Uuid, position: Type.Integer(), text: Type.String(), category: Type.String(), question_type: OneOf(QUESTION_TYPES), answer_count: Type.Integer(),
  likert: Nullable(Type.Object({ average: Num, median: Num, std_dev: Num, min: Num, max: Num, distribution: Digits, percentages: Digits })),
  choices: Nullable(Type.Array(Type.Object({ option: Type.String(), count: Type.Integer(), percent: Num }))),
});
const GroupPart = Type.Object({ group_id: Uuid, group_number: Type.String(), students: Type.Integer(), instructors: Type.Integer(), expected: Type.Integer(), submitted: Type.Integer(), rate: Num, students_participated: Type.Integer(), students_completed: Type.Integer() });
const Participation = Type.Object({ students_total: Type.Integer(), students_participated: Type.Integer(), students_completed: Type.Integer(), expected: Type.Integer(), submitted: Type.Integer(), rate: Num, groups: Type.Array(GroupPart) });
const InstructorRow = Type.Object({ instructor_id: Uuid, instructor_name: Type.String(), response_count: Type.Integer(), expected_count: Type.Integer(), response_rate: Num, results_shown: Type.Boolean(), withheld_reason: Withheld, overall_average: Num, rank: Nullable(Type.Integer()) });
const PeriodReport = Type.Object({
  period: PeriodSchema,
  participation: Participation,
  results_status: OneOf(['available', 'period_open'] as const),
  results: Nullable(Type.Object({ response_count: Type.Integer(), results_shown: Type.Boolean(), withheld_reason: Withheld, overall_average: Num, median: Num, std_dev: Num, categories: Type.Array(Category), questions: Type.Array(Question), instructors: Type.Array(InstructorRow) })),
  generated_at: Instant,
});
const InstructorReport = Type.Object({
  period: PeriodSchema,
  instructor: Type.Object({ id: Uuid, name: Nullable(Type.String()) }),
  group: Nullable(Type.Object({ group_id: Uuid, group_number: Type.String() })),
  response_count: Type.Integer(), expected_count: Type.Integer(), response_rate: Num, results_shown: Type.Boolean(), withheld_reason: Withheld,
  overall_average: Num, median: Num, std_dev: Num, period_overall_average: Num,
  categories: Type.Array(Category), strengths: Type.Array(Type.String()), improvement_areas: Type.Array(Type.String()), questions: Type.Array(Question),
  approved_comment_count: Type.Integer(), generated_at: Instant,
});
const CommentStatus = OneOf(['pending', 'approved', 'hidden'] as const);
const InstructorComment = Type.Object({ id: Uuid, question_id: Nullable(Uuid), question_text: Nullable(Type.String()), text: Type.String(), group_number: Nullable(Type.String()), status: CommentStatus });
const ModerationComment = Type.Object({ id: Uuid, instructor: Type.Object({ id: Uuid, name: Nullable(Type.String()) }), group_number: Nullable(Type.String()), question_id: Nullable(Uuid), question_text: Nullable(Type.String()), text: Type.String(), flagged: Type.Boolean(), status: CommentStatus, moderation_note: Nullable(Type.String()), moderated_at: Nullable(Instant) });
const TrendRow = Type.Object({ period_id: Uuid, name: Type.String(), end_date: Instant, response_count: Type.Integer(), results_shown: Type.Boolean(), withheld_reason: Withheld, overall_average: Num, categories: Type.Array(Type.Object({ category: Type.String(), average: Num })) });
const ParticipationRow = Type.Object({ group_id: Uuid, group_number: Type.String(), student_id: Uuid, student_name: Nullable(Type.String()), student_email: Nullable(Type.String()), total_instructors: Type.Integer(), submitted: Type.Integer(), draft: Type.Integer(), pending: Type.Integer(), percentage: Num, status: OneOf(['pending', 'partial', 'complete'] as const), last_submitted_at: Nullable(Instant) });
const Note = Type.String({ minLength: 5, maxLength: 500, pattern: '\\S' });

/** O3: an instructor reads results about themselves only. */
function selfOnly(actor: Actor, instructorId: string, groupId?: string) {
  if (actor.role !== 'instructor') return;
  if (actor.sub !== instructorId || groupId) throw errors.forbidden('Solo puede consultar sus propios resultados');
}

export const reportsRoutes: RoutesPlugin<ReportsRoutesOptions> = async (app, { reports, comments, reminders }) => {
  const base = '/api/v1/evalin/reports';
  app.get(
    `${base}/periods/:period_id`,
    { preHandler: requireAuth({ roles: COORD }), schema: { summary: 'E39 Period report', description: 'Participation always; results only once closed (R33–R35), else results_status period_open.', tags, security: Security, params: PeriodParams, response: { 200: Envelope(PeriodReport), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request) => ok(request, (await reports.periodReport(request.params.period_id, actorOf(request))) as never),
  );
  app.get(
    `${base}/periods/:period_id/groups/:group_id`,
    { preHandler: requireAuth({ roles: COORD }), schema: { summary: 'E40 Ficha report', description: 'E39 restricted to one ficha; each instructor row is the (instructor, ficha) cell.', tags, security: Security, params: Type.Object({ period_id: Uuid, group_id: Uuid }), response: { 200: Envelope(PeriodReport), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request) => ok(request, (await reports.groupReport(request.params.period_id, request.params.group_id, actorOf(request))) as never),
  );
  app.get(
    `${base}/periods/:period_id/instructors/:instructor_id`,
    { preHandler: requireAuth({ roles: roleGroup(COORDINATION, 'instructor', 'service') }), schema: { summary: 'E41 Instructor report', description: 'O3: an instructor reads themselves, published periods only; `group_id` for coordination only.', tags, security: Security, params: Type.Object({ period_id: Uuid, instructor_id: Uuid }), querystring: Type.Object({ group_id: Type.Optional(Uuid) }, { additionalProperties: false }), response: { 200: Envelope(InstructorReport), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => {
      selfOnly(actorOf(request), request.params.instructor_id, request.query.group_id);
      return ok(request, (await reports.instructorReport(request.params.period_id, request.params.instructor_id, actorOf(request), request.query.group_id)) as never);
    },
  );
  app.get(
    `${base}/periods/:period_id/instructors/:instructor_id/comments`,
    { preHandler: requireAuth({ roles: roleGroup(COORDINATION, 'instructor', 'service') }), schema: { summary: 'E42 Instructor comments', description: 'Instructors get approved comments only; ordered by the random comment id (R37).', tags, security: Security, params: Type.Object({ period_id: Uuid, instructor_id: Uuid }), querystring: Type.Object({ ...PageQuery, question_id: Type.Optional(Uuid), status: Type.Optional(CommentStatus) }, { additionalProperties: false }), response: { 200: ListEnvelope(InstructorComment), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => {
      const actor = actorOf(request);
      selfOnly(actor, request.params.instructor_id);
      if (actor.role === 'instructor' && request.query.status) throw errors.forbidden('Los instructores solo consultan comentarios aprobados');
      const q = request.query;
      const { items, total } = await reports.instructorComments(request.params.period_id, request.params.instructor_id, actor, q, pageOf(q).limit, pageOf(q).offset);
      return listReply(request, `${base}/periods/${request.params.period_id}/instructors/${request.params.instructor_id}/comments`, q, items, total);
    },
  );
  app.get(
    `${base}/instructors/:instructor_id/trend`,
    { preHandler: requireAuth({ roles: roleGroup(COORDINATION, 'instructor', 'service') }), schema: { summary: 'E43 Instructor trend', description: 'Published periods only, newest first; not paginated.', tags, security: Security, params: Type.Object({ instructor_id: Uuid }), querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })) }, { additionalProperties: false }), response: { 200: Envelope(Type.Array(TrendRow)), ...errorResponses(401, 403, 422, 503) } } },
    async (request) => {
      selfOnly(actorOf(request), request.params.instructor_id);
      return ok(request, await reports.trend(request.params.instructor_id, request.query.limit ?? 6));
    },
  );
  app.get(
    `${base}/periods/:period_id/participation`,
    {
      preHandler: requireAuth({ roles: roleGroup(PERSONNEL, 'service') }),
      schema: {
        summary: 'E44 Participation report', description: 'Per apprentice (R36). Instructors: a ficha they direct (O4), `group_id` required.', tags, security: Security, params: PeriodParams,
        querystring: Type.Object({ ...PageQuery, group_id: Type.Optional(Uuid), instructor_id: Type.Optional(Uuid), status: Type.Optional(OneOf(['pending', 'partial', 'complete'] as const)), sort: SortQuery(['group_number', 'student_name', 'percentage'], 'group_number (por defecto), student_name, percentage') }, { additionalProperties: false }),
        response: { 200: ListEnvelope(ParticipationRow), ...errorResponses(401, 403, 404, 422, 503) },
      },
    },
    async (request) => {
      const q = request.query;
      await reminders.assertDirector(actorOf(request), q.group_id);
      const rows = await reports.participation(request.params.period_id, q, sortOf(q.sort, ['group_number', 'student_name', 'percentage'] as const, { field: 'group_number', direction: 'asc' }));
      const { limit, offset } = pageOf(q);
      return listReply(request, `${base}/periods/${request.params.period_id}/participation`, q, rows.slice(offset, offset + limit), rows.length);
    },
  );
  const csv = (kind: string) => ({ 200: MediaResponse(`${kind} (UTF-8 con BOM)`, 'text/csv'), ...errorResponses(401, 403, 404, 409, 422, 503) });
  app.get(
    `${base}/periods/:period_id/export/summary.csv`,
    { preHandler: requireAuth({ roles: COORD }), schema: { summary: 'E45 Summary CSV', description: '§6.2: one row per instructor (or cell with by_group); withheld values empty.', tags, security: Security, params: PeriodParams, querystring: Type.Object({ by_group: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), response: csv('summary.csv') } },
    async (request, reply) => {
      const out = await reports.summaryCsv(request.params.period_id, request.query.by_group ?? false);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', attachment(out.filename)).send(csvExport({ columns: out.columns, batches: [out.rows], toRecord: (r) => r }));
    },
  );
  app.get(
    `${base}/periods/:period_id/export/answers.csv`,
    { preHandler: requireAuth({ roles: COORD }), schema: { summary: 'E46 Answers CSV', description: '§6.3: one row per answer of the blocks that pass R33; no column names an apprentice.', tags, security: Security, params: PeriodParams, querystring: Type.Object({ instructor_id: Type.Optional(Uuid), group_id: Type.Optional(Uuid), include_comments: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), response: csv('answers.csv') } },
    async (request, reply) => {
      const out = await reports.answersCsv(request.params.period_id, request.query);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', attachment(out.filename)).send(csvExport({ columns: out.columns, batches: [out.rows], toRecord: (r) => r }));
    },
  );

  app.get(
    '/api/v1/evalin/periods/:period_id/comments',
    { preHandler: requireAuth({ roles: COORD }), schema: { summary: 'E47 Comments to moderate', description: 'Closed or published periods only; blocks failing R33 excluded; ordered by the random id.', tags: ['comments'], security: Security, params: PeriodParams, querystring: Type.Object({ ...PageQuery, status: Type.Optional(CommentStatus), instructor_id: Type.Optional(Uuid), flagged: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), response: { 200: ListEnvelope(ModerationComment), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => {
      const q = request.query;
      const { items, total } = await comments.list(request.params.period_id, q, pageOf(q).limit, pageOf(q).offset);
      return listReply(request, `/api/v1/evalin/periods/${request.params.period_id}/comments`, q, items, total);
    },
  );
  app.patch(
    '/api/v1/evalin/comments/:comment_id',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'E48 Moderate a comment', description: '`hidden` requires a note; a decision may be changed later.', tags: ['comments'], security: Security, params: Type.Object({ comment_id: Uuid }), body: Type.Object({ status: OneOf(['approved', 'hidden'] as const), moderation_note: Type.Optional(Nullable(Note)) }, { additionalProperties: false }), response: { 200: Envelope(ModerationComment), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => ok(request, await comments.moderateOne(request.params.comment_id, request.body.status, request.body.moderation_note, actorOf(request)), { message: 'Comentario moderado' }),
  );
  app.post(
    '/api/v1/evalin/comments/moderate',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'E49 Moderate comments in bulk', description: 'All or nothing.', tags: ['comments'], security: Security, body: Type.Object({ comment_ids: Type.Array(Uuid, { minItems: 1, maxItems: 200 }), status: OneOf(['approved', 'hidden'] as const), moderation_note: Type.Optional(Nullable(Note)) }, { additionalProperties: false }), response: { 200: Envelope(Type.Object({ updated: Type.Integer() })), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => ok(request, await comments.moderateMany(request.body.comment_ids, request.body.status, request.body.moderation_note, actorOf(request)), { message: 'Comentarios moderados' }),
  );

  const Reminder = Type.Object({ id: Uuid, group_id: Uuid, group_number: Nullable(Type.String()), kind: OneOf(['auto_ending', 'manual'] as const), days_before: Nullable(Type.Integer()), sent_by: Nullable(Uuid), message: Nullable(Type.String()), recipient_count: Type.Integer(), skipped_count: Type.Integer(), delivery_status: OneOf(['pending', 'accepted', 'failed'] as const), created_at: Instant });
  const Sent = Type.Object({
    reminder_id: Uuid, group_number: Type.String(), total_students: Type.Integer(), pending_students: Type.Integer(), reminders_sent: Type.Integer(), skipped_recent: Type.Integer(), skipped_no_pending: Type.Integer(),
    results: Type.Array(Type.Object({ student_id: Uuid, student_name: Nullable(Type.String()), outcome: OneOf(['queued', 'skipped_recent', 'skipped_no_pending'] as const) })),
  });
  const REMINDERS = roleGroup(PERSONNEL);
  app.post(
    '/api/v1/evalin/periods/:period_id/reminders',
    { preHandler: requireAuth({ roles: REMINDERS }), schema: { summary: 'E50 Send a reminder', description: 'R41–R43: pending apprentices of one target ficha of an open period; once per interval per ficha; at most one reminder a day per apprentice.', tags: ['reminders'], security: Security, params: PeriodParams, body: Type.Object({ group_id: Uuid, student_ids: Type.Optional(Type.Array(Uuid, { maxItems: 100 })), message: Type.Optional(Nullable(Type.String({ minLength: 10, maxLength: 500 }))) }, { additionalProperties: false }), response: { 202: Envelope(Sent), ...errorResponses(401, 403, 404, 409, 422, 429, 503) } } },
    async (request, reply) => reply.code(202).send(ok(request, await reminders.send(request.params.period_id, request.body, actorOf(request)), { message: 'Recordatorio en cola' })),
  );
  app.get(
    '/api/v1/evalin/periods/:period_id/reminders',
    { preHandler: requireAuth({ roles: roleGroup(PERSONNEL, 'service') }), schema: { summary: 'E51 Reminder log', description: 'Newest first; instructors pass a ficha they direct.', tags: ['reminders'], security: Security, params: PeriodParams, querystring: Type.Object({ ...PageQuery, group_id: Type.Optional(Uuid), kind: Type.Optional(OneOf(['auto_ending', 'manual'] as const)), sort: SortQuery(['created_at'], '-created_at (único orden)') }, { additionalProperties: false }), response: { 200: ListEnvelope(Reminder), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request) => {
      const q = request.query;
      const { items, total } = await reminders.list(request.params.period_id, actorOf(request), q, pageOf(q).limit, pageOf(q).offset);
      return listReply(request, `/api/v1/evalin/periods/${request.params.period_id}/reminders`, q, items, total);
    },
  );
};
