/** P27–P33: rubrics. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, EVERYONE } from '@sicora/platform/roles';
import { Nullable, Uuid } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { RubricsService } from '../application/rubrics.service.ts';
import { RUBRIC_STATUSES } from '../domain/enums.ts';
import { Instant, ListEnvelope, NInstant, NString, NUuid, OneOf, PageQuery, Params, Security, Text } from './common.schemas.ts';
import { actorOf, listReply } from './common.ts';

const Level = Type.Object({ label: Type.String({ minLength: 1, maxLength: 50 }), description: Type.Optional(Type.String({ maxLength: 500 })), min_score: Type.Number({ minimum: 0, maximum: 100 }), max_score: Type.Number({ minimum: 0, maximum: 100 }) }, { additionalProperties: false });
const Band = Type.Object({ code: Type.String({ minLength: 1, maxLength: 10 }), label: Type.String({ minLength: 1, maxLength: 50 }), min_score: Type.Number({ minimum: 0, maximum: 100 }), is_passing: Type.Boolean() }, { additionalProperties: false });

export const RubricBody = Type.Object(
  {
    name: Text(5, 200),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    program_code: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 20 }))),
    trimester: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 7 }))),
    criteria: Type.Array(Type.Object({ name: Text(3, 100), description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))), weight: Type.Integer({ minimum: 1, maximum: 100 }), levels: Type.Optional(Type.Array(Level, { maxItems: 5 })) }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
    grade_bands: Type.Optional(Type.Array(Band, { minItems: 1, maxItems: 20 })),
  },
  { additionalProperties: false },
);

const RubricFields = {
  id: Uuid,
  name: Type.String(),
  description: NString,
  program_code: NString,
  trimester: Nullable(Type.Integer()),
  status: OneOf(RUBRIC_STATUSES),
  version: Type.Integer(),
  derived_from_id: NUuid,
  created_by: Uuid,
  activated_at: NInstant,
  archived_at: NInstant,
  created_at: Instant,
  updated_at: Instant,
  weight_total: Type.Integer(),
  usage_count: Type.Integer(),
};
export const RubricSummary = Type.Object(RubricFields);
export const RubricSchema = Type.Object({
  ...RubricFields,
  criteria: Type.Array(Type.Object({ id: Uuid, position: Type.Integer(), name: Type.String(), description: NString, weight: Type.Integer(), levels: Type.Array(Type.Object({ label: Type.String(), description: Type.Optional(Type.String()), min_score: Type.Number(), max_score: Type.Number() })) })),
  grade_bands: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), min_score: Type.Number(), is_passing: Type.Boolean() })),
});
const ListQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(OneOf(RUBRIC_STATUSES)),
  program_code: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  trimester: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
  search: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  sort: Type.Optional(Type.Literal('name')),
});

const BASE = '/api/v1/projecteval/rubrics';

export const rubricsRoutes: RoutesPlugin<{ rubrics: RubricsService }> = async (app, { rubrics }) => {
  const R = { security: Security, tags: ['rubrics'] };
  const Reply = { 200: Envelope(RubricSchema), ...errorResponses(404, 409) };

  app.get(BASE, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...R, summary: 'P27 List rubrics', description: 'Without criteria; apprentices see the rubrics of their deliverables (R36).', querystring: ListQuery, response: { 200: ListEnvelope(RubricSummary) } } }, async (request) => {
    const { items, total } = await rubrics.list(actorOf(request), request.query, pageRequest(request.query));
    return listReply(request, BASE, request.query, items, total);
  });
  app.post(BASE, { preHandler: requireAuth({ roles: COORDINATION }), schema: { ...R, summary: 'P28 Create a rubric', description: 'A draft with 1–20 criteria; bands default to A/B/C/D/F (R17).', body: RubricBody, response: { 201: Envelope(RubricSchema), ...errorResponses(409) } } }, async (request, reply) =>
    reply.code(201).send(ok(request, await rubrics.create(actorOf(request), request.body), { message: 'Rúbrica creada' })),
  );
  app.get(`${BASE}/:rubric_id`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...R, summary: 'P29 Read a rubric', params: Params.rubric, response: Reply } }, async (request) => ok(request, await rubrics.get(actorOf(request), request.params.rubric_id)));
  app.put(`${BASE}/:rubric_id`, { preHandler: requireAuth({ roles: COORDINATION }), schema: { ...R, summary: 'P30 Replace a draft rubric', description: 'Active rubrics are immutable (R18).', params: Params.rubric, body: RubricBody, response: Reply } }, async (request) =>
    ok(request, await rubrics.replace(actorOf(request), request.params.rubric_id, request.body), { message: 'Rúbrica actualizada' }),
  );
  app.post(`${BASE}/:rubric_id/activate`, { preHandler: requireAuth({ roles: COORDINATION }), schema: { ...R, summary: 'P31 Activate a rubric', description: '2–20 criteria whose weights total 100 (R16).', params: Params.rubric, response: Reply } }, async (request) =>
    ok(request, await rubrics.activate(actorOf(request), request.params.rubric_id), { message: 'Rúbrica activada' }),
  );
  app.post(`${BASE}/:rubric_id/archive`, { preHandler: requireAuth({ roles: COORDINATION }), schema: { ...R, summary: 'P32 Archive a rubric', params: Params.rubric, response: Reply } }, async (request) =>
    ok(request, await rubrics.archive(actorOf(request), request.params.rubric_id), { message: 'Rúbrica archivada' }),
  );
  app.post(`${BASE}/:rubric_id/duplicate`, { preHandler: requireAuth({ roles: COORDINATION }), schema: { ...R, summary: 'P33 Duplicate a rubric', description: 'A draft copy, version + 1, named "‹name› v‹version›" by default (R18).', params: Params.rubric, body: Type.Object({ name: Type.Optional(Text(5, 200)) }, { additionalProperties: false }), response: { 201: Envelope(RubricSchema), ...errorResponses(404, 409) } } }, async (request, reply) =>
    reply.code(201).send(ok(request, await rubrics.duplicate(actorOf(request), request.params.rubric_id, request.body?.name), { message: 'Rúbrica duplicada' })),
  );
};
