/** §4.1 items: list, read, write, transitions, versions and related items. */
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, EVERYONE, roleGroup } from '@sicora/platform/roles';
import { IdParams } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../application/context.ts';
import type { CreateItemInput, ItemInput, ItemsService } from '../application/items.service.ts';
import type { RelatedService } from '../application/related.service.ts';
import type { WorkflowService } from '../application/items.workflow.ts';
import type { ItemDetail } from '../application/views.ts';
import { allowedTransitions, isEditor, type Status } from '../domain/items.ts';
import { normalizeTags } from '../domain/text.ts';
import type { ItemSortField } from '../application/items.service.ts';
import { ItemSummarySchema, ListEnvelope, Security } from './common.schemas.ts';
import { actorOf, csv, listReply } from './common.ts';
import { CreateItemBody, ItemDetailSchema, ItemListQuery, PatchItemBody, RelatedQuery, RelatedSchema, RestoreBody, SlugParams, TransitionBody, VersionParams, VersionSchema, VersionSummarySchema } from './items.schemas.ts';
import { kbErrors } from '../domain/errors.ts';
import { localToInstant, addDays } from '@sicora/platform/local-time';
import { Type, type Static } from 'typebox';

export interface ItemsRoutesOptions {
  items: ItemsService;
  workflow: WorkflowService;
  related: RelatedService;
  timeZone: string;
}

const tags = ['items'];
const READERS = EVERYONE;
const WRITERS = roleGroup(COORDINATION, 'instructor');
const BASE = '/api/v1/kb/items';

function links(actor: Actor, d: ItemDetail, authorId: boolean) {
  const self = `${BASE}/${d.id}`;
  const out: Record<string, { href: string; method: string }> = {
    self: { href: self, method: 'GET' },
    related: { href: `${self}/related`, method: 'GET' },
    feedback: { href: `${self}/feedback`, method: 'PUT' },
  };
  if (isEditor(actor.role) || authorId) out.versions = { href: `${self}/versions`, method: 'GET' };
  for (const to of allowedTransitions(d.status as Status, { role: actor.role, isAuthor: authorId })) out[`transition_${to}`] = { href: `${self}/transitions`, method: 'POST' };
  return out;
}

const SORTS: Record<string, { field: ItemSortField; desc: boolean }> = {
  '-updated_at': { field: 'updated_at', desc: true },
  title: { field: 'title', desc: false },
  '-published_at': { field: 'published_at', desc: true },
  '-view_count': { field: 'view_count', desc: true },
  '-helpful_count': { field: 'helpful_count', desc: true },
  '-popularity': { field: 'popularity', desc: true },
};

export const itemsRoutes: RoutesPlugin<ItemsRoutesOptions> = async (app, { items, workflow, related, timeZone }) => {
  const detailReply = (request: FastifyRequest, d: ItemDetail & { author_is_caller?: boolean }, own: boolean, message?: string) => ok(request, d, { links: links(actorOf(request), d, own), message });
  const own = async (request: FastifyRequest, d: ItemDetail) => {
    const a = actorOf(request);
    return a.role === 'instructor' && (await items.isAuthor(a, d.id));
  };

  app.get(
    BASE,
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'List items', description: 'Published items the role may read (V1); editors see every status, instructors their own with mine=true.', tags, security: Security, querystring: ItemListQuery, response: { 200: ListEnvelope(ItemSummarySchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query as Static<typeof ItemListQuery>;
      const actor = actorOf(request);
      const page = pageRequest(q);
      const statuses = csv(q.status);
      if (statuses && !isEditor(actor.role) && !(actor.role === 'instructor' && q.mine)) throw kbErrors.validation([{ field: 'status', reason: 'not_allowed', message: 'Solo editores (o instructores con mine=true) filtran por estado' }]);
      if (q.audience && !isEditor(actor.role)) throw kbErrors.validation([{ field: 'audience', reason: 'not_allowed', message: 'Solo editores filtran por audiencia' }]);
      const category = q.category ? await items.resolveCategory(q.category) : undefined;
      const tagList = csv(q.tag);
      const result = category === null
        ? { items: [], total: 0 }
        : await items.list(actor, {
            filter: {
              kinds: csv(q.kind),
              categoryId: category,
              tags: tagList ? normalizeTags(tagList).tags : undefined,
              statuses,
              audience: q.audience,
              q: q.q,
              updatedFrom: q.updated_from ? localToInstant(q.updated_from, '00:00', timeZone) : undefined,
              updatedTo: q.updated_to ? localToInstant(addDays(q.updated_to, 1), '00:00', timeZone) : undefined,
            },
            mine: q.mine === true && actor.role !== 'service',
            sort: SORTS[q.sort ?? '-updated_at']!,
            page: { limit: page.limit, offset: page.offset },
          });
      return listReply(request, BASE, q, result.items, result.total);
    },
  );

  app.post(
    BASE,
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'Create an item', description: 'Editors in any status (draft, in_review, published); instructors drafts only. Returns quality_warnings (R3).', tags, security: Security, body: CreateItemBody, response: { 201: Envelope(ItemDetailSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      const d = await items.create(actorOf(request), request.body as CreateItemInput);
      return reply.code(201).send(detailReply(request, d, actorOf(request).role === 'instructor', 'Contenido creado'));
    },
  );

  app.get(
    `${BASE}/by-slug/:slug`,
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'Read an item by slug', description: 'As GET /items/{id}.', tags, security: Security, params: SlugParams, response: { 200: Envelope(ItemDetailSchema), ...errorResponses(401, 403, 404) } } },
    async (request) => {
      const d = await items.get(actorOf(request), { slug: (request.params as { slug: string }).slug });
      return detailReply(request, d, await own(request, d));
    },
  );

  app.get(
    `${BASE}/:id`,
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'Read an item', description: 'V2: 404 for unpublished items that are not the caller\'s, 403 AUDIENCE_NOT_ALLOWED for published items outside the role\'s audience. Counts a view (R20).', tags, security: Security, params: IdParams, response: { 200: Envelope(ItemDetailSchema), ...errorResponses(401, 403, 404) } } },
    async (request) => {
      const d = await items.get(actorOf(request), { id: (request.params as { id: string }).id });
      return detailReply(request, d, await own(request, d));
    },
  );

  app.patch(
    `${BASE}/:id`,
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'Edit an item', description: 'Editors any item; instructors their own drafts (V4). A change to a versioned field stores the previous version (R6); expected_version guards concurrent edits (B3).', tags, security: Security, params: IdParams, body: PatchItemBody, response: { 200: Envelope(ItemDetailSchema), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => {
      const d = await items.update(actorOf(request), (request.params as { id: string }).id, request.body as ItemInput & { change_note?: string; expected_version?: number });
      return detailReply(request, d, await own(request, d), 'Contenido actualizado');
    },
  );

  app.delete(
    `${BASE}/:id`,
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'Delete an item', description: 'Soft delete; instructors only their own drafts.', tags, security: Security, params: IdParams, response: { 204: Type.Null({ description: 'Eliminado' }), ...errorResponses(401, 403, 404) } } },
    async (request, reply) => {
      await items.remove(actorOf(request), (request.params as { id: string }).id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${BASE}/:id/transitions`,
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'Change an item\'s status', description: '§3.4; any other pair is 409 INVALID_STATUS_TRANSITION with details.allowed. Returning for changes needs a comment (5–1000).', tags, security: Security, params: IdParams, body: TransitionBody, response: { 200: Envelope(ItemDetailSchema), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => {
      const d = await workflow.transition(actorOf(request), (request.params as { id: string }).id, request.body as { to: Status; comment?: string; notify?: boolean });
      return detailReply(request, d, await own(request, d), 'Estado actualizado');
    },
  );

  app.get(
    `${BASE}/:id/versions`,
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'Version history', description: 'Newest first, the current version included.', tags, security: Security, params: IdParams, response: { 200: Envelope(Type.Array(VersionSummarySchema)), ...errorResponses(401, 403, 404) } } },
    async (request) => ok(request, await workflow.versions(actorOf(request), (request.params as { id: string }).id)),
  );

  app.get(
    `${BASE}/:id/versions/:n`,
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'One version', description: 'The full snapshot of version n (the current one built from the item).', tags, security: Security, params: VersionParams, response: { 200: Envelope(VersionSchema), ...errorResponses(401, 403, 404) } } },
    async (request) => {
      const p = request.params as { id: string; n: number };
      return ok(request, await workflow.version(actorOf(request), p.id, p.n));
    },
  );

  app.post(
    `${BASE}/:id/versions/:n/restore`,
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'Restore a version', description: 'Copies version n over the item as a new version; status unchanged.', tags, security: Security, params: VersionParams, body: RestoreBody, response: { 200: Envelope(ItemDetailSchema), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => {
      const p = request.params as { id: string; n: number };
      const d = await workflow.restore(actorOf(request), p.id, p.n, (request.body as { change_note?: string } | undefined)?.change_note);
      return detailReply(request, d, false, 'Versión restaurada');
    },
  );

  app.get(
    `${BASE}/:id/related`,
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'Related items', description: 'R17: pinned, then semantic neighbours, then same category/tags; only items the caller may read.', tags, security: Security, params: IdParams, querystring: RelatedQuery, response: { 200: Envelope(Type.Array(RelatedSchema)), ...errorResponses(401, 403, 404) } } },
    async (request) => ok(request, await related.related(actorOf(request), (request.params as { id: string }).id, (request.query as { limit?: number }).limit ?? 5)),
  );
};

