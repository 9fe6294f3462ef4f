/**
 * The `kb` schema: every table of this service lives here and nowhere else (00-conventions §5).
 * Accent-free search text is folded by the application (R9), so no extension is needed here; the
 * embedding tables live in a separate SQL file applied only where pgvector exists (R12, vector.sql).
 */
import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, jsonb, pgSchema, real, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { auditTimestamps, createdAt, outboxTable, seedRunsTable, timestamptz } from '@sicora/platform/tables';

export const kbSchema = pgSchema('kb');

export const outbox = outboxTable(kbSchema);
export const seedRuns = seedRunsTable(kbSchema);

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export const ITEM_KINDS = ['article', 'faq', 'guide', 'procedure', 'regulation'] as const;
export const ITEM_STATUSES = ['draft', 'in_review', 'published', 'archived'] as const;
export const ITEM_ORIGINS = ['manual', 'pdf', 'import', 'seed'] as const;
export const IMPORT_STATUSES = ['queued', 'processing', 'completed', 'failed'] as const;

/** §3.1 */
export const categories = kbSchema.table(
  'categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    nameFolded: text('name_folded').notNull(),
    description: text('description'),
    parentId: uuid('parent_id'),
    sortOrder: integer('sort_order').notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    ...auditTimestamps(),
  },
  (t) => [index('categories_parent_idx').on(t.parentId)],
);

/** §3.2 */
export const items = kbSchema.table(
  'items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    kind: text('kind', { enum: ITEM_KINDS }).notNull(),
    title: text('title').notNull(),
    titleFolded: text('title_folded').notNull(),
    summary: text('summary'),
    content: text('content').notNull(),
    sourceReference: text('source_reference'),
    categoryId: uuid('category_id').notNull().references(() => categories.id),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    audience: text('audience').array().notNull(),
    status: text('status', { enum: ITEM_STATUSES }).notNull().default('draft'),
    version: integer('version').notNull().default(1),
    authorId: uuid('author_id'),
    authorName: text('author_name'),
    publishedAt: timestamptz('published_at'),
    publishedBy: uuid('published_by'),
    archivedAt: timestamptz('archived_at'),
    deletedAt: timestamptz('deleted_at'),
    pinnedRelatedIds: uuid('pinned_related_ids').array().notNull().default(sql`'{}'::uuid[]`),
    origin: text('origin', { enum: ITEM_ORIGINS }).notNull().default('manual'),
    sourceImportId: uuid('source_import_id'),
    viewCount: integer('view_count').notNull().default(0),
    helpfulCount: integer('helpful_count').notNull().default(0),
    notHelpfulCount: integer('not_helpful_count').notNull().default(0),
    ratingCount: integer('rating_count').notNull().default(0),
    ratingSum: integer('rating_sum').notNull().default(0),
    popularity: real('popularity').notNull().default(0),
    searchVector: tsvector('search_vector').notNull(),
    /**
     * Derived from search_vector by the database, for search's first stage (issue 15): every lexeme
     * without positions (what `@@` needs, the GIN index's column) and the title/summary/tags part with its
     * positions (the candidates' order). Both kept in the row (storage MAIN, migration 0002) while the full
     * vector goes out of line (EXTERNAL): a search reads the small ones for every match and the full one
     * only for the ≤ 500 candidates it ranks.
     */
    matchVector: tsvector('match_vector').generatedAlwaysAs(sql`strip(search_vector)`),
    headVector: tsvector('head_vector').generatedAlwaysAs(sql`ts_filter(search_vector, '{a,b}')`),
    ...auditTimestamps(),
  },
  (t) => [
    index('items_status_kind_idx').on(t.status, t.kind),
    index('items_category_status_idx').on(t.categoryId, t.status),
    index('items_tags_idx').using('gin', t.tags),
    index('items_audience_idx').using('gin', t.audience),
    index('items_match_idx').using('gin', t.matchVector),
    index('items_head_idx').using('gin', t.headVector),
    index('items_updated_idx').on(t.updatedAt),
  ],
);

/** §3.3 */
export const itemVersions = kbSchema.table(
  'item_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id').notNull().references(() => items.id),
    versionNumber: integer('version_number').notNull(),
    kind: text('kind', { enum: ITEM_KINDS }).notNull(),
    title: text('title').notNull(),
    summary: text('summary'),
    content: text('content').notNull(),
    sourceReference: text('source_reference'),
    categoryId: uuid('category_id').notNull(),
    tags: text('tags').array().notNull(),
    audience: text('audience').array().notNull(),
    changedBy: uuid('changed_by'),
    changeNote: text('change_note'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('item_versions_item_number_uq').on(t.itemId, t.versionNumber)],
);

export const itemStatusChanges = kbSchema.table(
  'item_status_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id').notNull().references(() => items.id),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    actorId: uuid('actor_id'),
    comment: text('comment'),
    createdAt: createdAt(),
  },
  (t) => [index('item_status_changes_item_idx').on(t.itemId)],
);

export const itemPassages = kbSchema.table(
  'item_passages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id').notNull().references(() => items.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    heading: text('heading'),
    text: text('text').notNull(),
    contentHash: text('content_hash').notNull(),
    searchVector: tsvector('search_vector').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('item_passages_item_idx').on(t.itemId, t.ordinal), index('item_passages_search_idx').using('gin', t.searchVector)],
);

export const feedback = kbSchema.table(
  'feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id').notNull().references(() => items.id),
    userId: uuid('user_id').notNull(),
    role: text('role').notNull(),
    helpful: boolean('helpful').notNull(),
    rating: integer('rating'),
    comment: text('comment'),
    ...auditTimestamps(),
  },
  (t) => [uniqueIndex('feedback_item_user_uq').on(t.itemId, t.userId)],
);

export const itemViews = kbSchema.table(
  'item_views',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id').notNull().references(() => items.id),
    userId: uuid('user_id').notNull(),
    role: text('role').notNull(),
    viewedAt: timestamptz('viewed_at').notNull().defaultNow(),
  },
  (t) => [index('item_views_item_user_idx').on(t.itemId, t.userId, t.viewedAt), index('item_views_viewed_idx').on(t.viewedAt)],
);

export const searchLogs = kbSchema.table(
  'search_logs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source', { enum: ['search', 'passages'] }).notNull(),
    queryText: text('query_text').notNull(),
    normalizedQuery: text('normalized_query').notNull(),
    userId: uuid('user_id'),
    role: text('role').notNull(),
    modeRequested: text('mode_requested').notNull(),
    modeUsed: text('mode_used').notNull(),
    filters: jsonb('filters').notNull().default({}),
    resultsCount: integer('results_count').notNull(),
    topItemId: uuid('top_item_id'),
    latencyMs: integer('latency_ms').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('search_logs_created_idx').on(t.createdAt), index('search_logs_normalized_idx').on(t.normalizedQuery)],
);

export const pdfImports = kbSchema.table(
  'pdf_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fileName: text('file_name').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    pages: integer('pages'),
    status: text('status', { enum: IMPORT_STATUSES }).notNull().default('queued'),
    options: jsonb('options').notNull().default({}),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    createdItemIds: uuid('created_item_ids').array().notNull().default(sql`'{}'::uuid[]`),
    uploadedBy: uuid('uploaded_by').notNull(),
    createdAt: createdAt(),
    startedAt: timestamptz('started_at'),
    finishedAt: timestamptz('finished_at'),
  },
  (t) => [index('pdf_imports_sha_idx').on(t.sha256), index('pdf_imports_status_idx').on(t.status)],
);

export const pdfImportFiles = kbSchema.table('pdf_import_files', {
  importId: uuid('import_id')
    .primaryKey()
    .references(() => pdfImports.id, { onDelete: 'cascade' }),
  bytes: bytea('bytes').notNull(),
});

export const synonymGroups = kbSchema.table('synonym_groups', {
  id: uuid('id').primaryKey().defaultRandom(),
  terms: text('terms').array().notNull(),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

export const searchSettings = kbSchema.table('search_settings', {
  id: integer('id').primaryKey().default(1),
  semanticWeight: real('semantic_weight').notNull().default(0.7),
  semanticThreshold: real('semantic_threshold').notNull().default(0.7),
  relatedThreshold: real('related_threshold').notNull().default(0.6),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});
