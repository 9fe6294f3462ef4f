/**
 * E30–E38: evaluating (apprentices only, O1, O5) and the staff's participation records. R32: request
 * logs of E32, E34 and E35 carry no body (the platform logs the route pattern only, never bodies).
 */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { roleGroup, STAFF } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { EvaluationsService } from '../application/evaluations.service.ts';
import { ListEnvelope, Nullable, OneOf, PageQuery, QUESTION_TYPES, Security, SortQuery, Uuid } from './common.schemas.ts';
import { actorOf, listReply, pageOf, sortOf } from './common.ts';
import { Instant } from './common.schemas.ts';

export interface EvaluationsRoutesOptions {
  evaluations: EvaluationsService;
}

const tags = ['evaluations'];
const APPRENTICE = ['aprendiz'] as const;
const Status = OneOf(['draft', 'submitted'] as const);
const AnswerValue = Type.Union([Type.Integer({ minimum: -1000, maximum: 1000 }), Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 }), Type.Null()]);
const Answer = Type.Object({ question_id: Uuid, value: AnswerValue }, { additionalProperties: false });
const Answers = Type.Array(Answer, { maxItems: 100 });
const Comment = Type.Optional(Nullable(Type.String({ maxLength: 2000, description: '≤ 1000 caracteres tras recortar' })));

export const EvaluationSchema = Type.Object({
  id: Uuid,
  period_id: Uuid,
  period_name: Type.String(),
  instructor_id: Uuid,
  instructor_name: Nullable(Type.String()),
  group_id: Uuid,
  status: Status,
  submitted_at: Nullable(Instant),
  created_at: Instant,
  updated_at: Instant,
  answered_count: Type.Integer(),
  required_count: Type.Integer(),
  answers: Type.Optional(Type.Array(Type.Object({ question_id: Uuid, value: AnswerValue }))),
  general_comment: Type.Optional(Nullable(Type.String())),
  student_id: Type.Optional(Uuid),
  student_name: Type.Optional(Nullable(Type.String())),
});

const ToEvaluate = Type.Object({
  periods: Type.Array(
    Type.Object({
      period_id: Uuid, name: Type.String(), end_date: Instant, days_remaining: Type.Integer(), is_open: Type.Boolean(), total: Type.Integer(), submitted: Type.Integer(),
      instructors: Type.Array(Type.Object({ instructor_id: Uuid, instructor_name: Nullable(Type.String()), subjects: Type.Array(Type.String()), status: OneOf(['pending', 'draft', 'submitted'] as const), evaluation_id: Nullable(Uuid), submitted_at: Nullable(Instant) })),
    }),
  ),
});
const ForInstructor = Type.Object({
  period: Type.Object({ id: Uuid, name: Type.String(), start_date: Instant, end_date: Instant, days_remaining: Type.Integer() }),
  instructor: Type.Object({ id: Uuid, name: Nullable(Type.String()) }),
  questionnaire: Type.Object({ id: Uuid, name: Type.String(), description: Nullable(Type.String()) }),
  questions: Type.Array(Type.Object({ id: Uuid, position: Type.Integer(), text: Type.String(), description: Nullable(Type.String()), question_type: OneOf(QUESTION_TYPES), category: Type.String(), options: Nullable(Type.Array(Type.String())), is_required: Type.Boolean() })),
  likert_scale: Type.Array(Type.Object({ value: Type.Integer(), label: Type.String() })),
  small_group_warning: Type.Boolean(),
  evaluation: Nullable(Type.Object({ id: Uuid, status: Status, answers: Type.Array(Type.Object({ question_id: Uuid, value: AnswerValue })), general_comment: Nullable(Type.String()) })),
});
const Mine = Type.Object({
  evaluations: Type.Array(Type.Object({ id: Uuid, period: Type.Object({ id: Uuid, name: Type.String(), end_date: Instant }), instructor: Type.Object({ id: Uuid, name: Nullable(Type.String()) }), status: Status, submitted_at: Nullable(Instant), updated_at: Instant })),
  summary: Type.Object({ total_instructors: Type.Integer(), submitted: Type.Integer(), draft: Type.Integer(), pending: Type.Integer() }),
});
const Params = Type.Object({ evaluation_id: Uuid });
const SORTS = ['submitted_at', 'created_at'] as const;

export const evaluationsRoutes: RoutesPlugin<EvaluationsRoutesOptions> = async (app, { evaluations }) => {
  app.get(
    '/api/v1/evalin/instructors-to-evaluate',
    { preHandler: requireAuth({ roles: APPRENTICE }), schema: { summary: 'E30 Instructors to evaluate', description: 'Active or suspended periods targeting the apprentice’s ficha, ending first first; not paginated.', tags, security: Security, querystring: Type.Object({ period_id: Type.Optional(Uuid) }, { additionalProperties: false }), response: { 200: Envelope(ToEvaluate), ...errorResponses(401, 403, 422, 503) } } },
    async (request) => ok(request, await evaluations.toEvaluate(actorOf(request), request.query.period_id)),
  );
  app.get(
    '/api/v1/evalin/questionnaires/for-instructor/:instructor_id',
    { preHandler: requireAuth({ roles: APPRENTICE }), schema: { summary: 'E31 Questionnaire to evaluate an instructor', description: 'R25 picks the period when none is given; R31 small-group warning; the draft when there is one.', tags: ['evaluations'], security: Security, params: Type.Object({ instructor_id: Uuid }), querystring: Type.Object({ period_id: Type.Optional(Uuid) }, { additionalProperties: false }), response: { 200: Envelope(ForInstructor), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => ok(request, await evaluations.forInstructor(request.params.instructor_id, actorOf(request), request.query.period_id)),
  );
  app.post(
    '/api/v1/evalin/evaluations',
    {
      preHandler: requireAuth({ roles: APPRENTICE }),
      schema: {
        summary: 'E32 Create an evaluation', description: 'R23–R29: a draft (`submit=false`) or a submission (default). Answers are never returned once submitted.', tags, security: Security,
        body: Type.Object({ period_id: Uuid, instructor_id: Uuid, answers: Answers, general_comment: Comment, submit: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 201: Envelope(EvaluationSchema), ...errorResponses(401, 403, 404, 409, 422, 503) },
      },
    },
    async (request, reply) => {
      const { data, draft } = await evaluations.create(request.body, actorOf(request));
      const links = draft ? { submit: { href: `/api/v1/evalin/evaluations/${data.id}/submit`, method: 'POST' } } : undefined;
      return reply.code(201).send(ok(request, data as never, { message: draft ? 'Borrador guardado' : 'Evaluación enviada', links }));
    },
  );
  app.get(
    '/api/v1/evalin/my-evaluations',
    { preHandler: requireAuth({ roles: APPRENTICE }), schema: { summary: 'E37 My evaluations', description: 'Own records and progress; never answers; not paginated.', tags, security: Security, querystring: Type.Object({ period_id: Type.Optional(Uuid), status: Type.Optional(Status) }, { additionalProperties: false }), response: { 200: Envelope(Mine), ...errorResponses(401, 403, 422, 503) } } },
    async (request) => ok(request, await evaluations.mine(actorOf(request), request.query)),
  );
  app.get(
    '/api/v1/evalin/evaluations',
    {
      preHandler: requireAuth({ roles: roleGroup(STAFF, 'service') }),
      schema: {
        summary: 'E38 Evaluation records of a period', description: 'Who submitted, never what.', tags, security: Security,
        querystring: Type.Object({ ...PageQuery, period_id: Uuid, group_id: Type.Optional(Uuid), instructor_id: Type.Optional(Uuid), student_id: Type.Optional(Uuid), status: Type.Optional(Status), sort: SortQuery(SORTS, 'submitted_at, created_at; `-submitted_at` por defecto') }, { additionalProperties: false }),
        response: { 200: ListEnvelope(EvaluationSchema), ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request) => {
      const q = request.query;
      const { items, total } = await evaluations.list(q, sortOf(q.sort, SORTS, { field: 'submitted_at', direction: 'desc' }), pageOf(q).limit, pageOf(q).offset);
      return listReply(request, '/api/v1/evalin/evaluations', q, items as never[], total);
    },
  );
  app.get(
    '/api/v1/evalin/evaluations/:evaluation_id',
    { preHandler: requireAuth({ roles: roleGroup(STAFF, 'aprendiz', 'service') }), schema: { summary: 'E33 Get an evaluation', description: 'Answers only for the owner of a draft; another apprentice’s id is 404 (O1).', tags, security: Security, params: Params, response: { 200: Envelope(EvaluationSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => ok(request, (await evaluations.get(request.params.evaluation_id, actorOf(request))) as never),
  );
  app.put(
    '/api/v1/evalin/evaluations/:evaluation_id',
    { preHandler: requireAuth({ roles: APPRENTICE }), schema: { summary: 'E34 Replace a draft', description: 'Autosave: the whole draft is replaced.', tags, security: Security, params: Params, body: Type.Object({ answers: Answers, general_comment: Comment }, { additionalProperties: false }), response: { 200: Envelope(EvaluationSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => ok(request, (await evaluations.replace(request.params.evaluation_id, request.body, actorOf(request))) as never, { message: 'Borrador guardado' }),
  );
  app.post(
    '/api/v1/evalin/evaluations/:evaluation_id/submit',
    { preHandler: requireAuth({ roles: APPRENTICE }), schema: { summary: 'E35 Submit a draft', description: 'R28–R29: every required question answered; the answers leave the record.', tags, security: Security, params: Params, response: { 200: Envelope(EvaluationSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => ok(request, (await evaluations.submitDraft(request.params.evaluation_id, actorOf(request))) as never, { message: 'Evaluación enviada' }),
  );
  app.delete(
    '/api/v1/evalin/evaluations/:evaluation_id',
    { preHandler: requireAuth({ roles: ['admin', 'aprendiz'] }), schema: { summary: 'E36 Discard a draft', description: 'The owner while the period is open; admin any draft. Submitted evaluations cannot be deleted.', tags, security: Security, params: Params, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => {
      await evaluations.discard(request.params.evaluation_id, actorOf(request));
      return reply.code(204).send(null);
    },
  );
};
