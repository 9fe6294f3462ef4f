/** E1–E8: the question bank and its CSV bulk upload (§6.1). */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { ok } from '@sicora/platform/reply';
import { ADMINS, PERSONNEL, roleGroup } from '@sicora/platform/roles';
import { MediaResponse } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import { csvUploadSchema, readCsvUpload } from '@sicora/platform/uploads';
import type { QuestionsService } from '../application/questions.service.ts';
import { CSV_TEMPLATE } from '../domain/csv.ts';
import { ListEnvelope, Nullable, OneOf, PageQuery, QuestionSchema, QuestionTypeInput, SearchText, Security, SortQuery, Uuid } from './common.schemas.ts';
import { actorOf, listReply, pageOf, sortOf } from './common.ts';

export interface QuestionsRoutesOptions {
  questions: QuestionsService;
  maxBytes: number;
  maxRows: () => Promise<number>;
}

const tags = ['questions'];
const READERS = roleGroup(PERSONNEL, 'service');
const SORTS = ['order_index', 'text', 'category', 'created_at', 'updated_at'] as const;
const Params = Type.Object({ question_id: Uuid });
const Options = Type.Array(Type.String({ maxLength: 500 }), { maxItems: 50, description: '2–10 opciones para single_choice/multiple_choice; nada para likert/text' });

const Body = {
  text: Type.String({ minLength: 1, maxLength: 1000, description: '10–500 caracteres tras recortar y colapsar espacios' }),
  question_type: QuestionTypeInput,
  category: Type.String({ minLength: 1, maxLength: 200, description: '2–100 caracteres tras recortar' }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  options: Type.Optional(Nullable(Options)),
  is_required: Type.Optional(Type.Boolean()),
  order_index: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
};
const CreateBody = Type.Object(Body, { additionalProperties: false });
const PatchBody = Type.Object(
  {
    text: Type.Optional(Body.text),
    question_type: Type.Optional(Body.question_type),
    category: Type.Optional(Body.category),
    description: Body.description,
    options: Body.options,
    is_required: Body.is_required,
    order_index: Body.order_index,
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
const ListQuery = Type.Object({ ...PageQuery, question_type: Type.Optional(QuestionTypeInput), category: SearchText, is_active: Type.Optional(Type.Boolean()), search: SearchText, sort: SortQuery(SORTS, 'order_index (por defecto), text, category, created_at, updated_at; `-` invierte') }, { additionalProperties: false });
const Detail = Type.Object({ ...QuestionSchema.properties, questionnaires: Type.Array(Type.Object({ id: Uuid, name: Type.String() })) });
const Category = Type.Object({ category: Type.String(), question_count: Type.Integer(), active_count: Type.Integer() });
const UploadQuery = Type.Object({ on_duplicate: Type.Optional(OneOf(['error', 'skip', 'update'] as const)), dry_run: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
const Report = Type.Object({
  total_rows: Type.Integer(), created: Type.Integer(), updated: Type.Integer(), skipped: Type.Integer(), dry_run: Type.Boolean(),
  rows: Type.Array(Type.Object({ row: Type.Integer(), question_id: Nullable(Uuid), action: OneOf(['created', 'updated', 'skipped'] as const) })),
});

export const questionsRoutes: RoutesPlugin<QuestionsRoutesOptions> = async (app, { questions, maxBytes, maxRows }) => {
  app.get(
    '/api/v1/evalin/questions',
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'E1 List questions', description: 'Filters by type (aliases accepted), category (case-insensitive), activity and a case- and accent-insensitive text search.', tags, security: Security, querystring: ListQuery, response: { 200: ListEnvelope(QuestionSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query;
      const { items, total } = await questions.list(q, sortOf(q.sort, SORTS, { field: 'order_index', direction: 'asc' }), pageOf(q).limit, pageOf(q).offset);
      return listReply(request, '/api/v1/evalin/questions', q, items, total);
    },
  );
  app.post(
    '/api/v1/evalin/questions',
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'E2 Create a question', description: 'R1–R4: unique text (case-insensitive), options only for choice types, order_index defaults to the category’s highest + 1.', tags, security: Security, body: CreateBody, response: { 201: Envelope(QuestionSchema), ...errorResponses(401, 403, 409, 422) } } },
    async (request, reply) => reply.code(201).send(ok(request, await questions.create(request.body, actorOf(request)), { message: 'Pregunta creada' })),
  );
  app.get(
    '/api/v1/evalin/questions/categories',
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'E6 Question categories', description: 'Grouped case-insensitively, the most used spelling shown; not paginated.', tags, security: Security, response: { 200: Envelope(Type.Array(Category)), ...errorResponses(401, 403) } } },
    async (request) => ok(request, await questions.categories()),
  );
  app.get(
    '/api/v1/evalin/questions/bulk-upload/template',
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'E8 Bulk upload template', description: 'The §6.1 header and one example row per type.', tags, security: Security, response: { 200: MediaResponse('CSV template', 'text/csv'), ...errorResponses(401, 403) } } },
    async (_request, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="plantilla_preguntas.csv"').send(`\ufeff${CSV_TEMPLATE}`),
  );
  app.post(
    '/api/v1/evalin/questions/bulk-upload',
    {
      preHandler: requireAuth({ roles: ADMINS }),
      schema: {
        summary: 'E7 Bulk upload questions from CSV',
        description: '§6.1: UTF-8, `,` or `;`, ≤ 1000 rows; every row validated like E2; all or nothing (422 CSV_VALIDATION_FAILED with every row error). `on_duplicate` and `dry_run` in the query or as form fields.',
        tags,
        security: Security,
        querystring: UploadQuery,
        ...csvUploadSchema({ description: 'Columns text, question_type, category, options (separadas por |), is_required, order_index, description.', maxBytes, fields: { on_duplicate: Type.Optional(Type.String()), dry_run: Type.Optional(Type.String()) } }),
        response: { 200: Envelope(Report), ...errorResponses(400, 401, 403, 413, 415, 422) },
      },
    },
    async (request) => {
      const { bytes, fields } = await readCsvUpload(request, maxBytes);
      const onDuplicate = (request.query.on_duplicate ?? fields.on_duplicate ?? 'error') as 'error' | 'skip' | 'update';
      if (!['error', 'skip', 'update'].includes(onDuplicate)) throw errors.validation([{ field: 'on_duplicate', reason: 'enum', message: 'Use error, skip o update' }]);
      const dryRun = request.query.dry_run ?? fields.dry_run === 'true';
      const report = await questions.bulkUpload(bytes, { on_duplicate: onDuplicate, dry_run: dryRun, maxRows: await maxRows() }, actorOf(request));
      return ok(request, report, { message: dryRun ? 'Validación sin cambios' : 'Preguntas cargadas' });
    },
  );
  app.get(
    '/api/v1/evalin/questions/:question_id',
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'E3 Get a question', description: 'With the questionnaires that hold it.', tags, security: Security, params: Params, response: { 200: Envelope(Detail), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => ok(request, await questions.get(request.params.question_id)),
  );
  app.patch(
    '/api/v1/evalin/questions/:question_id',
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'E4 Edit a question', description: 'R5: a locked question changes only description, order_index and is_active.', tags, security: Security, params: Params, body: PatchBody, response: { 200: Envelope(QuestionSchema), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => ok(request, await questions.update(request.params.question_id, request.body), { message: 'Pregunta actualizada' }),
  );
  app.delete(
    '/api/v1/evalin/questions/:question_id',
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'E5 Delete a question', description: 'R6: soft delete, refused while a questionnaire holds it.', tags, security: Security, params: Params, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => {
      await questions.remove(request.params.question_id);
      return reply.code(204).send(null);
    },
  );
};
