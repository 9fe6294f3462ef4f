/** §4.3 categories, tags and synonyms. */
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, EVERYONE } from '@sicora/platform/roles';
import { IdParams, Nullable, Uuid } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import { Type, type Static } from 'typebox';
import type { CategoriesService, CategoryInput } from '../application/categories.service.ts';
import type { SynonymsService } from '../application/synonyms.service.ts';
import { Instant, Security } from './common.schemas.ts';
import { actorOf } from './common.ts';

export interface CategoriesRoutesOptions {
  categories: CategoriesService;
  synonyms: SynonymsService;
}

const tags = ['categories'];
const Slug = Type.String({ minLength: 2, maxLength: 60, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' });
const Name = Type.String({ minLength: 1, maxLength: 80 });
const Fields = {
  description: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
  parent_id: Type.Optional(Nullable(Uuid)),
  sort_order: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999 })),
  is_active: Type.Optional(Type.Boolean()),
};
const CreateBody = Type.Object({ slug: Slug, name: Name, ...Fields }, { additionalProperties: false });
const PatchBody = Type.Object({ slug: Type.Optional(Slug), name: Type.Optional(Name), ...Fields }, { additionalProperties: false, minProperties: 1 });
const CategorySchema = Type.Object({ id: Uuid, slug: Type.String(), name: Type.String(), description: Nullable(Type.String()), parent_id: Nullable(Uuid), sort_order: Type.Integer(), is_active: Type.Boolean(), created_at: Instant, updated_at: Instant });
const Node = Type.Object({ id: Uuid, slug: Type.String(), name: Type.String(), description: Nullable(Type.String()), sort_order: Type.Integer(), is_active: Type.Boolean(), item_count: Type.Integer(), children: Type.Array(Type.Unknown()) });
const TreeQuery = Type.Object({ include_empty: Type.Optional(Type.Boolean()), include_inactive: Type.Optional(Type.Boolean()) });
const TagsQuery = Type.Object({ q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) });
const TagParams = Type.Object({ tag: Type.String({ minLength: 1, maxLength: 60 }) });
const RenameBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 60 }) }, { additionalProperties: false });
const Term = Type.String({ minLength: 2, maxLength: 40 });
const SynonymsBody = Type.Object({ groups: Type.Array(Type.Object({ terms: Type.Array(Term, { minItems: 2, maxItems: 10 }) }, { additionalProperties: false }), { maxItems: 200 }) }, { additionalProperties: false });
const SynonymGroup = Type.Object({ id: Uuid, terms: Type.Array(Type.String()) });

export const categoriesRoutes: RoutesPlugin<CategoriesRoutesOptions> = async (app, { categories, synonyms }) => {
  app.get(
    '/api/v1/kb/categories',
    { preHandler: requireAuth({ roles: EVERYONE }), schema: { summary: 'Category tree', description: 'Ordered by sort_order, name; item_count counts visible published items of the category and its descendants; readers see only categories with items.', tags, security: Security, querystring: TreeQuery, response: { 200: Envelope(Type.Array(Node)), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query as Static<typeof TreeQuery>;
      return ok(request, await categories.tree(actorOf(request), { includeEmpty: q.include_empty, includeInactive: q.include_inactive }));
    },
  );
  app.post(
    '/api/v1/kb/categories',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'Create a category', description: 'Depth ≤ 3; names unique among siblings (folded).', tags, security: Security, body: CreateBody, response: { 201: Envelope(CategorySchema), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => reply.code(201).send(ok(request, await categories.create(request.body as CategoryInput & { slug: string; name: string }), { message: 'Categoría creada' })),
  );
  app.patch(
    '/api/v1/kb/categories/:id',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'Edit a category', description: 'No cycles, depth ≤ 3.', tags, security: Security, params: IdParams, body: PatchBody, response: { 200: Envelope(CategorySchema), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => ok(request, await categories.update((request.params as { id: string }).id, request.body as CategoryInput), { message: 'Categoría actualizada' }),
  );
  app.delete(
    '/api/v1/kb/categories/:id',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'Delete a category', description: '409 CATEGORY_NOT_EMPTY while it holds items or children.', tags, security: Security, params: IdParams, response: { 204: Type.Null({ description: 'Eliminada' }), ...errorResponses(401, 403, 404, 409) } } },
    async (request, reply) => {
      await categories.remove((request.params as { id: string }).id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/kb/tags',
    { preHandler: requireAuth({ roles: EVERYONE }), schema: { summary: 'Tags with counts', description: 'Over visible published items (editors: every non-deleted item), by count desc.', tags, security: Security, querystring: TagsQuery, response: { 200: Envelope(Type.Array(Type.Object({ tag: Type.String(), item_count: Type.Integer() }))), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query as Static<typeof TagsQuery>;
      return ok(request, await categories.tags(actorOf(request), { q: q.q, limit: q.limit ?? 50 }));
    },
  );
  app.patch(
    '/api/v1/kb/tags/:tag',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'Rename or merge a tag', description: 'Every item holding the tag gets the new one once; no version is created.', tags, security: Security, params: TagParams, body: RenameBody, response: { 200: Envelope(Type.Object({ tag: Type.String(), items_updated: Type.Integer() })), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => ok(request, await categories.renameTag((request.params as { tag: string }).tag, (request.body as { name: string }).name), { message: 'Etiqueta actualizada' }),
  );
  app.get(
    '/api/v1/kb/admin/synonyms',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'Synonym groups', description: 'B1: groups expanding every query.', tags, security: Security, response: { 200: Envelope(Type.Array(SynonymGroup)), ...errorResponses(401, 403) } } },
    async (request) => ok(request, await synonyms.list()),
  );
  app.put(
    '/api/v1/kb/admin/synonyms',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'Replace synonym groups', description: '≤ 200 groups of 2–10 folded terms; a term in two groups is 422.', tags, security: Security, body: SynonymsBody, response: { 200: Envelope(Type.Array(SynonymGroup)), ...errorResponses(401, 403, 422) } } },
    async (request) => ok(request, await synonyms.replace(actorOf(request), (request.body as Static<typeof SynonymsBody>).groups.map((g) => g.terms)), { message: 'Sinónimos actualizados' }),
  );
};
