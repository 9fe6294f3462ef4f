/** §4.4 search, passages for the assistant and suggestions; rate limited per user (R24). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireAuth } from '@sicora/platform/auth';
import { errorResponses, LinksSchema, MetaSchema } from '@sicora/platform/envelope';
import { PageQuery, pageRequest, paginationLinks, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { EVERYONE, PEOPLE } from '@sicora/platform/roles';
import { Nullable, Uuid } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import { Type, type Static, type TSchema } from 'typebox';
import type { RateLimiter, LimitName } from '../application/rate-limit.ts';
import type { SearchMode, SearchService } from '../application/search.service.ts';
import { normalizeTags } from '../domain/text.ts';
import { CsvOf, ItemSummarySchema, KINDS, OneOf, SearchMetaSchema, Security, STATUSES } from './common.schemas.ts';
import { actorOf, csv } from './common.ts';
import { kbErrors } from '../domain/errors.ts';

export interface SearchRoutesOptions {
  search: SearchService;
  limiter: RateLimiter;
}

const tags = ['search'];
const Mode = Type.Optional(OneOf(['auto', 'fulltext', 'semantic', 'hybrid'] as const, { default: 'auto' }));
const Category = Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'Id o slug; incluye subcategorías' }));

const SearchQuerySchema = Type.Object({
  q: Type.String({ minLength: 2, maxLength: 500 }),
  mode: Mode,
  kind: CsvOf(KINDS, 'Tipos separados por coma'),
  category: Category,
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 400 })),
  status: CsvOf(STATUSES, 'Solo editores (por defecto published)'),
  ...PageQuery,
  sort: Type.Optional(OneOf(['-score', '-updated_at', '-popularity'] as const, { default: '-score' })),
});
const PassagesQuery = Type.Object({
  q: Type.String({ minLength: 2, maxLength: 1000 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 8 })),
  max_per_item: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, default: 2 })),
  kind: CsvOf(KINDS, 'Tipos separados por coma'),
  category: Category,
  mode: Mode,
});
const SuggestQuery = Type.Object({ q: Type.String({ minLength: 2, maxLength: 100 }) });

const ScoreParts = Type.Object({ text: Nullable(Type.Number()), semantic: Nullable(Type.Number()) });
const Hit = Type.Object({ item: ItemSummarySchema, score: Type.Number(), score_parts: ScoreParts, highlight: Type.String() });
const PassageHit = Type.Object({
  passage_id: Uuid,
  item_id: Uuid,
  item_slug: Type.String(),
  item_title: Type.String(),
  item_kind: OneOf(KINDS),
  item_summary: Nullable(Type.String()),
  category: Type.Object({ slug: Type.String(), name: Type.String() }),
  source_reference: Nullable(Type.String()),
  heading: Nullable(Type.String()),
  text: Type.String(),
  excerpt: Type.String(),
  score: Type.Number({ minimum: 0, maximum: 1 }),
  score_parts: ScoreParts,
  updated_at: Type.String({ format: 'date-time' }),
});

/** The success envelope with `meta.search` (R13). */
function SearchEnvelope<T extends TSchema>(data: T) {
  return Type.Object({ success: Type.Literal(true), message: Type.String(), data, links: Type.Optional(LinksSchema), meta: Type.Object({ ...MetaSchema.properties, search: SearchMetaSchema }) });
}

export const searchRoutes: RoutesPlugin<SearchRoutesOptions> = async (app, { search, limiter }) => {
  const limit = (request: FastifyRequest, reply: FastifyReply, name: LimitName) => {
    const a = actorOf(request);
    reply.headers(limiter.hit(name, a.sub, a.role));
  };

  app.get(
    '/api/v1/kb/search',
    { preHandler: requireAuth({ roles: EVERYONE }), schema: { summary: 'Search items', description: 'Full-text in Spanish without accents, synonyms and typo tolerance (R10–R11); hybrid when semantic search is available (R16). meta.search says which mode ran and why (R13).', tags, security: Security, querystring: SearchQuerySchema, response: { 200: SearchEnvelope(Type.Array(Hit)), ...errorResponses(401, 403, 422, 429) } } },
    async (request, reply) => {
      limit(request, reply, 'search');
      const q = request.query as Static<typeof SearchQuerySchema>;
      const actor = actorOf(request);
      const statuses = csv(q.status);
      if (statuses && actor.role !== 'admin' && actor.role !== 'coordinador') throw kbErrors.validation([{ field: 'status', reason: 'not_allowed', message: 'Solo editores filtran por estado' }]);
      const page = pageRequest(q);
      const tagList = csv(q.tag);
      const r = await search.search(actor, {
        q: q.q,
        mode: (q.mode ?? 'auto') as SearchMode,
        filter: { kinds: csv(q.kind), categoryRef: q.category, tags: tagList ? normalizeTags(tagList).tags : undefined },
        status: statuses,
        sort: q.sort === '-updated_at' ? 'updated_at' : q.sort === '-popularity' ? 'popularity' : 'score',
        page: page.page,
        pageSize: page.pageSize,
      });
      const pagination = paginationMeta(page, r.total);
      const body = ok(request, r.data, { pagination, links: paginationLinks('/api/v1/kb/search', q, pagination) });
      return { ...body, meta: { ...body.meta, search: r.meta } };
    },
  );

  app.get(
    '/api/v1/kb/search/passages',
    { preHandler: requireAuth({ roles: EVERYONE }), schema: { summary: 'Search passages (assistant)', description: 'OR semantics over passages of published items the caller\'s role may read — no drafts, for editors and authors too. Logged with source passages.', tags, security: Security, querystring: PassagesQuery, response: { 200: SearchEnvelope(Type.Array(PassageHit)), ...errorResponses(401, 403, 422, 429) } } },
    async (request, reply) => {
      limit(request, reply, 'search');
      const q = request.query as Static<typeof PassagesQuery>;
      const r = await search.passages(actorOf(request), { q: q.q, limit: q.limit ?? 8, maxPerItem: q.max_per_item ?? 2, kinds: csv(q.kind), categoryRef: q.category, mode: (q.mode ?? 'auto') as SearchMode });
      const body = ok(request, r.data);
      return { ...body, meta: { ...body.meta, search: r.meta } };
    },
  );

  app.get(
    '/api/v1/kb/suggest',
    { preHandler: requireAuth({ roles: PEOPLE }), schema: { summary: 'Suggestions while typing', description: 'R18: ≤ 5 titles and ≤ 3 frequent queries of the caller\'s role; not logged.', tags, security: Security, querystring: SuggestQuery, response: { 200: SearchEnvelopeless(), ...errorResponses(401, 403, 422, 429) } } },
    async (request, reply) => {
      limit(request, reply, 'suggest');
      return ok(request, await search.suggest(actorOf(request), (request.query as { q: string }).q));
    },
  );
};

function SearchEnvelopeless() {
  return Type.Object({
    success: Type.Literal(true),
    message: Type.String(),
    data: Type.Object({ items: Type.Array(Type.Object({ id: Uuid, slug: Type.String(), title: Type.String(), kind: OneOf(KINDS) })), queries: Type.Array(Type.String()) }),
    links: Type.Optional(LinksSchema),
    meta: MetaSchema,
  });
}
