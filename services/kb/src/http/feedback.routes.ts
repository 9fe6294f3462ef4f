/** §4.2 feedback and ratings (R19). */
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { PageQuery, pageRequest } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, PEOPLE } from '@sicora/platform/roles';
import { IdParams, Nullable, Uuid } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import { Type, type Static } from 'typebox';
import type { FeedbackService } from '../application/feedback.service.ts';
import { Instant, ListEnvelope, OneOf, Security } from './common.schemas.ts';
import { actorOf, listReply } from './common.ts';

export interface FeedbackRoutesOptions {
  feedback: FeedbackService;
}

const tags = ['feedback'];
const PutBody = Type.Object(
  { helpful: Type.Boolean(), rating: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 5 }))), comment: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))) },
  { additionalProperties: false },
);
const FeedbackSchema = Type.Object({
  item_id: Uuid,
  helpful: Type.Boolean(),
  rating: Nullable(Type.Integer()),
  comment: Nullable(Type.String()),
  created_at: Instant,
  updated_at: Instant,
  item_counters: Type.Object({ helpful_count: Type.Integer(), not_helpful_count: Type.Integer(), rating_avg: Nullable(Type.Number()), rating_count: Type.Integer() }),
});
const ListQuery = Type.Object({ helpful: Type.Optional(Type.Boolean()), has_comment: Type.Optional(Type.Boolean()), ...PageQuery, sort: Type.Optional(OneOf(['-created_at'] as const)) });
const Row = Type.Object({ helpful: Type.Boolean(), rating: Nullable(Type.Integer()), comment: Nullable(Type.String()), role: Type.String(), created_at: Instant });

export const feedbackRoutes: RoutesPlugin<FeedbackRoutesOptions> = async (app, { feedback }) => {
  app.put(
    '/api/v1/kb/items/:id/feedback',
    { preHandler: requireAuth({ roles: PEOPLE }), schema: { summary: 'Give or replace my feedback', description: '201 for the first vote, 200 when replaced; only on published items the caller may read.', tags, security: Security, params: IdParams, body: PutBody, response: { 200: Envelope(FeedbackSchema), 201: Envelope(FeedbackSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      const r = await feedback.put(actorOf(request), (request.params as { id: string }).id, request.body as Static<typeof PutBody>);
      return reply.code(r.created ? 201 : 200).send(ok(request, r.data, { message: 'Gracias por su opinión' }));
    },
  );
  app.delete(
    '/api/v1/kb/items/:id/feedback',
    { preHandler: requireAuth({ roles: PEOPLE }), schema: { summary: 'Delete my feedback', description: 'Reverses its counts.', tags, security: Security, params: IdParams, response: { 204: Type.Null({ description: 'Eliminada' }), ...errorResponses(401, 403, 404) } } },
    async (request, reply) => {
      await feedback.remove(actorOf(request), (request.params as { id: string }).id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/kb/items/:id/feedback',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'Item feedback', description: 'Comments and votes without user ids, newest first.', tags, security: Security, params: IdParams, querystring: ListQuery, response: { 200: ListEnvelope(Row), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => {
      const q = request.query as Static<typeof ListQuery>;
      const page = pageRequest(q);
      const id = (request.params as { id: string }).id;
      const r = await feedback.list(actorOf(request), id, { helpful: q.helpful, has_comment: q.has_comment, page: { limit: page.limit, offset: page.offset } });
      return listReply(request, `/api/v1/kb/items/${id}/feedback`, q, r.items, r.total);
    },
  );
};
