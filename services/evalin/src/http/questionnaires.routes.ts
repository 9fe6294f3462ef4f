/** E9–E17: questionnaires, their ordered question lists and duplication (R8–R12). */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { ADMINS, PERSONNEL, roleGroup } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { QuestionnairesService } from '../application/questionnaires.service.ts';
import { ListEnvelope, Nullable, PageQuery, QuestionnaireDetailSchema, QuestionnaireSchema, SearchText, Security, SortQuery, Uuid } from './common.schemas.ts';
import { actorOf, listReply, pageOf, sortOf } from './common.ts';

export interface QuestionnairesRoutesOptions {
  questionnaires: QuestionnairesService;
}

const tags = ['questionnaires'];
const READERS = roleGroup(PERSONNEL, 'service');
const SORTS = ['name', 'created_at', 'updated_at'] as const;
const Params = Type.Object({ questionnaire_id: Uuid });
const QuestionParams = Type.Object({ questionnaire_id: Uuid, question_id: Uuid });
const Name = Type.String({ minLength: 1, maxLength: 300, description: '3–200 caracteres tras recortar; único sin distinguir mayúsculas' });
const Ids = (min: number) => Type.Array(Uuid, { minItems: min, maxItems: 50 });
const ListQuery = Type.Object({ ...PageQuery, is_active: Type.Optional(Type.Boolean()), search: SearchText, has_questions: Type.Optional(Type.Boolean()), sort: SortQuery(SORTS, 'name (por defecto), created_at, updated_at') }, { additionalProperties: false });
const CreateBody = Type.Object({ name: Name, description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))), question_ids: Type.Optional(Ids(0)) }, { additionalProperties: false });
const PatchBody = Type.Object({ name: Type.Optional(Name), description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))), is_active: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 });
const AddBody = Type.Object({ question_ids: Ids(1), position: Type.Optional(Type.Integer({ minimum: 1, maximum: 51, description: '1..n+1 (por defecto n+1): se inserta antes de esa posición' })) }, { additionalProperties: false });
const OrderBody = Type.Object({ question_ids: Type.Array(Uuid, { maxItems: 100 }) }, { additionalProperties: false });
const DuplicateBody = Type.Object({ name: Type.Optional(Name) }, { additionalProperties: false });
const Detail = Envelope(QuestionnaireDetailSchema);

export const questionnairesRoutes: RoutesPlugin<QuestionnairesRoutesOptions> = async (app, { questionnaires }) => {
  const base = '/api/v1/evalin/questionnaires';
  app.get(
    base,
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'E9 List questionnaires', description: 'Without their question lists.', tags, security: Security, querystring: ListQuery, response: { 200: ListEnvelope(QuestionnaireSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query;
      const { items, total } = await questionnaires.list(q, sortOf(q.sort, SORTS, { field: 'name', direction: 'asc' }), pageOf(q).limit, pageOf(q).offset);
      return listReply(request, base, q, items, total);
    },
  );
  app.post(
    base,
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'E10 Create a questionnaire', description: 'With an optional ordered list of ≤ 50 active questions (all or nothing).', tags, security: Security, body: CreateBody, response: { 201: Detail, ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => reply.code(201).send(ok(request, await questionnaires.create(request.body, actorOf(request)), { message: 'Cuestionario creado' })),
  );
  app.get(
    `${base}/:questionnaire_id`,
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'E11 Get a questionnaire', description: 'With its questions ordered by position.', tags, security: Security, params: Params, response: { 200: Detail, ...errorResponses(401, 403, 404, 422) } } },
    async (request) => ok(request, await questionnaires.detail(request.params.questionnaire_id)),
  );
  app.patch(
    `${base}/:questionnaire_id`,
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'E12 Edit a questionnaire', description: 'Name, description and is_active stay editable when locked (R10).', tags, security: Security, params: Params, body: PatchBody, response: { 200: Envelope(QuestionnaireSchema), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => ok(request, await questionnaires.update(request.params.questionnaire_id, request.body), { message: 'Cuestionario actualizado' }),
  );
  app.delete(
    `${base}/:questionnaire_id`,
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'E13 Delete a questionnaire', description: 'R12: refused while any period references it.', tags, security: Security, params: Params, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => {
      await questionnaires.remove(request.params.questionnaire_id);
      return reply.code(204).send(null);
    },
  );
  app.post(
    `${base}/:questionnaire_id/questions`,
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'E14 Add questions', description: 'R9: inserted before `position` (default at the end), all or nothing; refused when locked (R10).', tags, security: Security, params: Params, body: AddBody, response: { 200: Detail, ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => ok(request, await questionnaires.addQuestions(request.params.questionnaire_id, request.body.question_ids, request.body.position), { message: 'Preguntas agregadas' }),
  );
  app.delete(
    `${base}/:questionnaire_id/questions/:question_id`,
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'E15 Remove a question', description: 'The gap closes (R9).', tags, security: Security, params: QuestionParams, response: { 200: Detail, ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => ok(request, await questionnaires.removeQuestion(request.params.questionnaire_id, request.params.question_id), { message: 'Pregunta retirada' }),
  );
  app.put(
    `${base}/:questionnaire_id/questions/order`,
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'E16 Reorder questions', description: 'The full current set in its new order (422 QUESTION_ORDER_MISMATCH otherwise).', tags, security: Security, params: Params, body: OrderBody, response: { 200: Detail, ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => ok(request, await questionnaires.reorder(request.params.questionnaire_id, request.body.question_ids), { message: 'Orden actualizado' }),
  );
  app.post(
    `${base}/:questionnaire_id/duplicate`,
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'E17 Duplicate a questionnaire', description: 'An unlocked copy with the same questions in the same order, named "‹name› (copia)" by default.', tags, security: Security, params: Params, body: DuplicateBody, response: { 201: Detail, ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => reply.code(201).send(ok(request, await questionnaires.duplicate(request.params.questionnaire_id, request.body?.name, actorOf(request)), { message: 'Cuestionario duplicado' })),
  );
};
