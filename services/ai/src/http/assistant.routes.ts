/** §4.1: status, conversations, messages (JSON or SSE), quick answers, suggestions and feedback. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { PEOPLE } from '@sicora/platform/roles';
import { IdParams, MediaResponse } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { ConversationsService } from '../application/conversations.service.ts';
import { requestHash, type QuestionsService } from '../application/questions.service.ts';
import type { RateLimiter } from '../application/rate-limit.ts';
import type { StatusService } from '../application/status.service.ts';
import {
  AskBody,
  AskResult,
  ConversationDetail,
  ConversationListItem,
  ConversationListQuery,
  ConversationSchema,
  CreateConversationBody,
  FeedbackBody,
  FeedbackSchema,
  IdempotencyHeaders,
  MessageSchema,
  MessagesQuery,
  PatchConversationBody,
  PostMessageBody,
  PostMessageResult,
  StatusSchema,
  SuggestionsQuery,
  SuggestionsSchema,
} from './assistant.schemas.ts';
import { actorOf, ListEnvelope, listReply, Security } from './common.ts';

export interface AssistantRoutesOptions {
  conversations: ConversationsService;
  questions: QuestionsService;
  status: StatusService;
  limiter: RateLimiter;
}

const tags = ['assistant'];
const BASE = '/api/v1/ai';
const guard = requireAuth({ roles: PEOPLE });
const PING_MS = 15_000;

const idemOf = (request: FastifyRequest, body: unknown) => {
  const key = (request.headers as Record<string, string | undefined>)['idempotency-key'];
  return key ? { key, hash: requestHash(request.routeOptions.url ?? request.url, body) } : undefined;
};

function replayed(reply: FastifyReply, request: FastifyRequest, status: number, data: unknown) {
  return reply.code(status).header('Idempotent-Replayed', 'true').send(ok(request, data, { message: 'Respuesta repetida (Idempotency-Key)' }));
}

export const assistantRoutes: RoutesPlugin<AssistantRoutesOptions> = async (app, { conversations, questions, status, limiter }) => {
  app.get(
    `${BASE}/status`,
    { preHandler: guard, schema: { summary: 'Assistant status', description: 'Answer mode, LLM and kb availability (latest probes), and the caller’s limits.', tags, security: Security, response: { 200: Envelope(StatusSchema), ...errorResponses(401, 403) } } },
    async (request) => ok(request, await status.status(actorOf(request))),
  );

  app.get(
    `${BASE}/suggestions`,
    { preHandler: guard, schema: { summary: 'Suggested questions', description: 'R21: up to 3 popular FAQs of the kb, then the role’s list, 6 at most.', tags, security: Security, querystring: SuggestionsQuery, response: { 200: Envelope(SuggestionsSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => ok(request, await status.suggestions(actorOf(request), request.query.context)),
  );

  app.post(
    `${BASE}/conversations`,
    { preHandler: guard, schema: { summary: 'Create a conversation', description: 'A private conversation of the caller (O1).', tags, security: Security, body: CreateConversationBody, response: { 201: Envelope(ConversationSchema), ...errorResponses(401, 403, 422) } } },
    async (request, reply) => reply.code(201).send(ok(request, await conversations.create(actorOf(request), request.body.title), { message: 'Conversación creada' })),
  );

  app.get(
    `${BASE}/conversations`,
    { preHandler: guard, schema: { summary: 'List my conversations', description: 'Only the caller’s (O1); `q` matches the folded title or any message (R3).', tags, security: Security, querystring: ConversationListQuery, response: { 200: ListEnvelope(ConversationListItem), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query;
      const sort = q.sort === 'title' ? { field: 'title' as const, direction: 'asc' as const } : q.sort === '-created_at' ? { field: 'created_at' as const, direction: 'desc' as const } : undefined;
      const { items, total } = await conversations.list(actorOf(request), { status: q.status, q: q.q, sort }, pageRequest(q));
      return listReply(request, `${BASE}/conversations`, q, items, total);
    },
  );

  app.get(
    `${BASE}/conversations/:id`,
    { preHandler: guard, schema: { summary: 'Read a conversation', description: 'The last 50 messages, chronological. Another person’s conversation is 404 (O1).', tags, security: Security, params: IdParams, response: { 200: Envelope(ConversationDetail), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => ok(request, await conversations.get(actorOf(request), request.params.id)),
  );

  app.patch(
    `${BASE}/conversations/:id`,
    { preHandler: guard, schema: { summary: 'Rename or archive a conversation', description: 'title and/or status (active ⇄ archived).', tags, security: Security, params: IdParams, body: PatchConversationBody, response: { 200: Envelope(ConversationSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => ok(request, await conversations.update(actorOf(request), request.params.id, request.body), { message: 'Conversación actualizada' }),
  );

  app.delete(
    `${BASE}/conversations/:id`,
    { preHandler: guard, schema: { summary: 'Delete a conversation', description: 'Hard delete with its messages and feedback (R2).', tags, security: Security, params: IdParams, response: { 204: Type.Null({ description: 'Eliminada' }), ...errorResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      await conversations.remove(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    `${BASE}/conversations/:id/messages`,
    { preHandler: guard, schema: { summary: 'List the messages of a conversation', description: 'Chronological pages.', tags, security: Security, params: IdParams, querystring: MessagesQuery, response: { 200: ListEnvelope(MessageSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => {
      const { items, total } = await conversations.messages(actorOf(request), request.params.id, pageRequest(request.query));
      return listReply(request, `${BASE}/conversations/${request.params.id}/messages`, request.query, items, total);
    },
  );

  app.post(
    `${BASE}/conversations/:id/messages`,
    {
      preHandler: guard,
      schema: {
        summary: 'Ask in a conversation',
        description: 'Stores the question and its answer (generated, extractive or no_answer). `stream: true` or `Accept: text/event-stream` answers Server-Sent Events (R17): meta, delta…, done | error. Rate limited (R18) and idempotent with `Idempotency-Key` (R19).',
        tags,
        security: Security,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: PostMessageBody,
        response: {
          201: Envelope(PostMessageResult),
          200: MediaResponse('Server-Sent Events (R17): `meta`, `delta`, `done` or `error`', 'text/event-stream'),
          ...errorResponses(401, 403, 404, 409, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const body = request.body;
      const wantsStream = body.stream === true || (request.headers.accept ?? '').includes('text/event-stream');
      const idem = idemOf(request, body);
      const releaseStream = wantsStream ? limiter.openStream(actor.sub) : undefined;
      let begun;
      try {
        begun = await questions.begin(actor, request.params.id, body.content, idem);
      } catch (err) {
        releaseStream?.();
        throw err;
      }
      if (begun.replayed) {
        releaseStream?.();
        return replayed(reply, request, begun.status, begun.body);
      }
      if (!wantsStream) {
        const data = await questions.message(actor, request.params.id, begun.text, body.category, idem);
        return reply.code(201).headers({ ...begun.headers }).send(ok(request, data, { message: 'Respuesta generada' }));
      }
      const abort = new AbortController();
      request.raw.on('close', () => abort.abort());
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no', connection: 'keep-alive', 'x-request-id': request.id, ...begun.headers });
      const ping = setInterval(() => raw.write(': ping\n\n'), PING_MS);
      try {
        for await (const ev of questions.stream(actor, request.params.id, begun.text, body.category, idem, abort.signal)) {
          if (!raw.destroyed) raw.write(`event: ${ev.event}\ndata: ${JSON.stringify(ev.data)}\n\n`);
        }
      } catch (err) {
        request.log.error({ err }, 'answer stream failed');
        if (!raw.destroyed) raw.write(`event: error\ndata: ${JSON.stringify({ code: 'INTERNAL_ERROR', message: 'No fue posible completar la respuesta' })}\n\n`);
      } finally {
        clearInterval(ping);
        releaseStream?.();
        raw.end();
      }
    },
  );

  app.post(
    `${BASE}/ask`,
    { preHandler: guard, schema: { summary: 'Quick answer', description: 'One question without a conversation (not stored; only its usage event). Rate limited (R18), idempotent (R19).', tags, security: Security, headers: IdempotencyHeaders, body: AskBody, response: { 200: Envelope(AskResult), ...errorResponses(401, 403, 409, 422, 429) } } },
    async (request, reply) => {
      const res = await questions.ask(actorOf(request), request.body.question, request.body.context, idemOf(request, request.body));
      if ('replay' in res && res.replay) return replayed(reply, request, res.replay.status, res.replay.body);
      return reply.code(200).headers({ ...res.headers }).send(ok(request, res.body));
    },
  );

  app.put(
    `${BASE}/messages/:id/feedback`,
    { preHandler: guard, schema: { summary: 'Rate an answer', description: 'R20: only assistant messages of own conversations; reason required when not helpful. 201 first, 200 replaced.', tags, security: Security, params: IdParams, body: FeedbackBody, response: { 201: Envelope(FeedbackSchema), 200: Envelope(FeedbackSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      const { created, view } = await conversations.putFeedback(actorOf(request), request.params.id, request.body);
      return reply.code(created ? 201 : 200).send(ok(request, view, { message: created ? 'Calificación registrada' : 'Calificación actualizada' }));
    },
  );

  app.delete(
    `${BASE}/messages/:id/feedback`,
    { preHandler: guard, schema: { summary: 'Remove my rating', description: 'Deletes the caller’s feedback on the answer.', tags, security: Security, params: IdParams, response: { 204: Type.Null({ description: 'Eliminada' }), ...errorResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      await conversations.deleteFeedback(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
