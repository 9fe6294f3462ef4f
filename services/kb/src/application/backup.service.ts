/**
 * JSON backup and restore (§6.2, R31, R32): export every non-deleted category and item (all statuses,
 * versions by default, counters, never embeddings, feedback, views or logs); import validates the whole
 * file first and writes in one transaction, or nothing.
 */
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import { kbErrors } from '../domain/errors.ts';
import { itemFieldErrors, KINDS, STATUSES, type Kind, type Status } from '../domain/items.ts';
import { normalizeTags } from '../domain/text.ts';
import type { Actor, Deps, Repositories } from './context.ts';
import { snapshot } from './items.service.ts';

export const FORMAT = 'sicora-kb-export';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const AUDIENCE_MAP: Record<string, string[]> = { student: ['aprendiz'], admin: ['coordinador'], admin_instructor: ['instructor', 'coordinador'] };
const KIND_MAP: Record<string, string> = { policy: 'regulation', tutorial: 'guide' };
const AUDIENCES = ['all', 'aprendiz', 'instructor', 'administrativo', 'coordinador'];
const ORIGINS = ['manual', 'pdf', 'import', 'seed'] as const;

type Json = Record<string, unknown>;
interface Problem {
  path: string;
  id: string | null;
  reason: string;
}

export interface ImportCounts {
  dry_run: boolean;
  categories_created: number;
  categories_updated: number;
  items_created: number;
  items_updated: number;
  items_skipped: number;
  versions_imported: number;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const date = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(v) : undefined);

export function createBackupService(deps: Deps) {
  const { repos, now } = deps;

  return {
    async export(includeVersions: boolean) {
      const cats = await repos.categories.all();
      const slugOf = new Map(cats.map((c) => [c.id, c.slug]));
      const items = await repos.items.allLive();
      const versions = includeVersions ? await repos.items.allVersions() : [];
      const byItem = new Map<string, typeof versions>();
      for (const v of versions) byItem.set(v.itemId, [...(byItem.get(v.itemId) ?? []), v]);
      return {
        format: FORMAT,
        format_version: 1,
        exported_at: now().toISOString(),
        categories: cats.map((c) => ({ id: c.id, slug: c.slug, name: c.name, description: c.description, parent_slug: c.parentId ? (slugOf.get(c.parentId) ?? null) : null, sort_order: c.sortOrder, is_active: c.isActive })),
        items: items.map((i) => ({
          id: i.id,
          slug: i.slug,
          kind: i.kind,
          title: i.title,
          summary: i.summary,
          content: i.content,
          source_reference: i.sourceReference,
          category_slug: slugOf.get(i.categoryId) ?? null,
          tags: i.tags,
          audience: i.audience,
          status: i.status,
          version: i.version,
          author_id: i.authorId,
          author_name: i.authorName,
          published_at: toIsoOrNull(i.publishedAt),
          created_at: toIso(i.createdAt),
          updated_at: toIso(i.updatedAt),
          view_count: i.viewCount,
          helpful_count: i.helpfulCount,
          not_helpful_count: i.notHelpfulCount,
          rating_count: i.ratingCount,
          rating_sum: i.ratingSum,
          pinned_related_ids: i.pinnedRelatedIds,
          origin: i.origin,
          ...(includeVersions
            ? { versions: (byItem.get(i.id) ?? []).sort((a, b) => a.versionNumber - b.versionNumber).map((v) => ({ version_number: v.versionNumber, kind: v.kind, title: v.title, summary: v.summary, content: v.content, source_reference: v.sourceReference, category_slug: slugOf.get(v.categoryId) ?? null, tags: v.tags, audience: v.audience, changed_by: v.changedBy, change_note: v.changeNote, created_at: toIso(v.createdAt) })) }
            : {}),
        })),
      };
    },

    async import(actor: Actor, file: unknown, o: { mode: 'skip_existing' | 'overwrite'; dryRun: boolean }): Promise<ImportCounts> {
      if (!file || typeof file !== 'object' || Array.isArray(file)) throw kbErrors.importFormatUnsupported('not_an_object');
      const doc = file as Json;
      if (doc.format !== FORMAT) throw kbErrors.importFormatUnsupported('format');
      if (doc.format_version !== 1) throw kbErrors.importFormatUnsupported('format_version');
      const rawCats = Array.isArray(doc.categories) ? (doc.categories as Json[]) : null;
      const rawItems = Array.isArray(doc.items) ? (doc.items as Json[]) : null;
      if (!rawCats || !rawItems) throw kbErrors.importFormatUnsupported('categories_or_items_missing');
      const problems: Problem[] = [];
      if (rawCats.length > 500) problems.push({ path: 'categories', id: null, reason: 'too_many' });
      if (rawItems.length > 5000) problems.push({ path: 'items', id: null, reason: 'too_many' });

      const existingCats = await repos.categories.all();
      const existingBySlug = new Map(existingCats.map((c) => [c.slug, c]));
      const fileCatSlugs = new Map<string, Json>();
      rawCats.forEach((c, i) => {
        const p = `categories[${i}]`;
        const slug = str(c.slug);
        if (!slug || !SLUG.test(slug) || slug.length > 60) problems.push({ path: `${p}.slug`, id: str(c.id) ?? null, reason: 'invalid' });
        else if (fileCatSlugs.has(slug)) problems.push({ path: `${p}.slug`, id: str(c.id) ?? null, reason: 'duplicate' });
        else fileCatSlugs.set(slug, c);
        const name = str(c.name)?.trim();
        if (!name || name.length < 2 || name.length > 80) problems.push({ path: `${p}.name`, id: str(c.id) ?? null, reason: 'invalid' });
        if (c.parent_slug !== null && c.parent_slug !== undefined && typeof c.parent_slug !== 'string') problems.push({ path: `${p}.parent_slug`, id: str(c.id) ?? null, reason: 'invalid' });
      });
      const parentOf = (slug: string): string | null => {
        const f = fileCatSlugs.get(slug);
        if (f) return str(f.parent_slug) ?? null;
        const e = existingBySlug.get(slug);
        return e?.parentId ? (existingCats.find((x) => x.id === e.parentId)?.slug ?? null) : null;
      };
      const known = (slug: string) => fileCatSlugs.has(slug) || existingBySlug.has(slug);
      rawCats.forEach((c, i) => {
        const slug = str(c.slug);
        const parent = str(c.parent_slug);
        if (!slug) return;
        if (parent && !known(parent)) problems.push({ path: `categories[${i}].parent_slug`, id: str(c.id) ?? null, reason: 'unknown_category' });
        let depth = 1;
        const seen = new Set([slug]);
        for (let cur = parentOf(slug); cur; cur = parentOf(cur)) {
          if (seen.has(cur)) {
            problems.push({ path: `categories[${i}].parent_slug`, id: str(c.id) ?? null, reason: 'cycle' });
            break;
          }
          seen.add(cur);
          if (++depth > 3) {
            problems.push({ path: `categories[${i}].parent_slug`, id: str(c.id) ?? null, reason: 'depth' });
            break;
          }
        }
      });

      const ids = new Set<string>();
      const slugs = new Set<string>();
      const items = rawItems.map((it, i) => {
        const p = `items[${i}]`;
        const id = str(it.id);
        const bad = (field: string, reason: string) => problems.push({ path: `${p}.${field}`, id: id ?? null, reason });
        if (!id || !UUID.test(id)) bad('id', 'invalid');
        else if (ids.has(id)) bad('id', 'duplicate');
        else ids.add(id);
        const slug = str(it.slug);
        if (!slug || !SLUG.test(slug) || slug.length > 120) bad('slug', 'invalid');
        else if (slugs.has(slug)) bad('slug', 'duplicate');
        else slugs.add(slug);
        const kind = KIND_MAP[str(it.kind) ?? ''] ?? str(it.kind);
        if (!kind || !(KINDS as readonly string[]).includes(kind)) bad('kind', 'invalid');
        const title = str(it.title)?.trim();
        if (!title) bad('title', 'required');
        else if (title.length < 3 || title.length > 200) bad('title', 'length');
        const summary = it.summary === null || it.summary === undefined ? null : str(it.summary)?.trim();
        if (summary === undefined || (summary !== null && (summary.length === 0 || summary.length > 500))) bad('summary', 'invalid');
        const content = str(it.content);
        if (!content || content.length < 20 || content.length > 50_000) bad('content', 'length');
        const source = it.source_reference === null || it.source_reference === undefined ? null : (str(it.source_reference)?.trim() ?? null);
        const catSlug = str(it.category_slug);
        if (!catSlug || !known(catSlug)) bad('category_slug', 'unknown_category');
        const tagsIn = Array.isArray(it.tags) ? it.tags.filter((t): t is string => typeof t === 'string') : [];
        const { tags, invalid } = normalizeTags(tagsIn);
        if (invalid.length || tags.length > 15) bad('tags', 'invalid');
        const audRaw = Array.isArray(it.audience) ? it.audience.filter((a): a is string => typeof a === 'string') : [];
        const audience = [...new Set(audRaw.flatMap((a) => AUDIENCE_MAP[a] ?? [a]))];
        if (audience.length === 0 || audience.some((a) => !AUDIENCES.includes(a)) || (audience.includes('all') && audience.length > 1)) bad('audience', 'invalid');
        const status = str(it.status) ?? 'draft';
        if (!(STATUSES as readonly string[]).includes(status)) bad('status', 'invalid');
        if (kind && (KINDS as readonly string[]).includes(kind) && title && content) {
          for (const e of itemFieldErrors({ kind: kind as Kind, title, summary: summary ?? null, content, source_reference: source })) bad(e.field, e.reason);
        }
        const versions = Array.isArray(it.versions) ? (it.versions as Json[]) : [];
        versions.forEach((v, j) => {
          if (!Number.isInteger(v.version_number) || (v.version_number as number) < 1) bad(`versions[${j}].version_number`, 'invalid');
          const vs = str(v.category_slug);
          if (!vs || !known(vs)) bad(`versions[${j}].category_slug`, 'unknown_category');
          if (!str(v.title) || !str(v.content)) bad(`versions[${j}]`, 'invalid');
        });
        const origin = (ORIGINS as readonly string[]).includes(str(it.origin) ?? '') ? (str(it.origin) as (typeof ORIGINS)[number]) : 'import';
        return { id: id!, slug: slug!, kind: kind as Kind, title: title!, summary: summary ?? null, content: content!, source, catSlug: catSlug!, tags, audience, status: status as Status, it, versions, origin };
      });
      // An item whose slug belongs to another existing id.
      const owners = await repos.items.slugOwners([...slugs]);
      items.forEach((x, i) => {
        const owner = owners.get(x.slug);
        if (owner && owner !== x.id) problems.push({ path: `items[${i}].slug`, id: x.id ?? null, reason: 'slug_taken' });
      });
      if (problems.length) throw kbErrors.importValidationFailed(problems);

      const existingItems = new Set((await repos.items.existing(items.map((x) => x.id))).map((x) => x.id));
      const counts: ImportCounts = { dry_run: o.dryRun, categories_created: 0, categories_updated: 0, items_created: 0, items_updated: 0, items_skipped: 0, versions_imported: 0 };
      for (const c of rawCats) {
        if (!existingBySlug.has(str(c.slug)!)) counts.categories_created++;
        else if (o.mode === 'overwrite') counts.categories_updated++;
      }
      for (const x of items) {
        if (!existingItems.has(x.id)) {
          counts.items_created++;
          counts.versions_imported += x.versions.length;
        } else if (o.mode === 'overwrite') counts.items_updated++;
        else counts.items_skipped++;
      }
      if (o.dryRun) return counts;

      const at = now();
      await deps.withTransaction(async (r) => {
        const catIds = new Map(existingCats.map((c) => [c.slug, c.id]));
        // Parents before children: repeat until every category is placed.
        const pending = [...rawCats];
        for (let guard = 0; pending.length && guard < 5; guard++) {
          for (const c of [...pending]) {
            const parent = str(c.parent_slug);
            if (parent && !catIds.has(parent)) continue;
            pending.splice(pending.indexOf(c), 1);
            await writeCategory(r, c, parent ? catIds.get(parent)! : null, existingBySlug.get(str(c.slug)!), o.mode, at, catIds);
          }
        }
        for (const x of items) {
          const categoryId = catIds.get(x.catSlug)!;
          const it = x.it;
          const fields = { kind: x.kind, title: x.title, summary: x.summary, content: x.content, sourceReference: x.source, categoryId, tags: x.tags, audience: x.audience };
          if (!existingItems.has(x.id)) {
            const row = await r.items.insert({
              id: x.id,
              slug: x.slug,
              ...fields,
              status: x.status,
              version: Number.isInteger(it.version) && (it.version as number) >= 1 ? (it.version as number) : 1,
              authorId: typeof it.author_id === 'string' && UUID.test(it.author_id) ? it.author_id : null,
              authorName: str(it.author_name)?.slice(0, 160) ?? null,
              publishedAt: date(it.published_at) ?? null,
              createdAt: date(it.created_at) ?? at,
              updatedAt: date(it.updated_at) ?? at,
              viewCount: nat(it.view_count),
              helpfulCount: nat(it.helpful_count),
              notHelpfulCount: nat(it.not_helpful_count),
              ratingCount: nat(it.rating_count),
              ratingSum: nat(it.rating_sum),
              pinnedRelatedIds: Array.isArray(it.pinned_related_ids) ? (it.pinned_related_ids as unknown[]).filter((v): v is string => typeof v === 'string' && UUID.test(v)).slice(0, 5) : [],
              origin: x.origin,
            });
            for (const v of x.versions) {
              await r.items.insertVersion({
                itemId: row.id,
                versionNumber: v.version_number as number,
                kind: ((KIND_MAP[str(v.kind) ?? ''] ?? str(v.kind)) as Kind) ?? row.kind,
                title: str(v.title)!,
                summary: str(v.summary) ?? null,
                content: str(v.content)!,
                sourceReference: str(v.source_reference) ?? null,
                categoryId: catIds.get(str(v.category_slug)!)!,
                tags: Array.isArray(v.tags) ? normalizeTags((v.tags as unknown[]).filter((t): t is string => typeof t === 'string')).tags : [],
                audience: Array.isArray(v.audience) ? (v.audience as string[]) : row.audience,
                changedBy: typeof v.changed_by === 'string' && UUID.test(v.changed_by) ? v.changed_by : null,
                changeNote: str(v.change_note)?.slice(0, 300) ?? null,
                createdAt: date(v.created_at) ?? at,
              });
            }
            await r.items.writeSearchData(row);
          } else if (o.mode === 'overwrite') {
            const current = (await r.items.findById(x.id)) ?? (await r.items.findAnyById(x.id))!;
            const changed = JSON.stringify([current.kind, current.title, current.summary, current.content, current.sourceReference, current.categoryId, current.tags, current.audience]) !== JSON.stringify([fields.kind, fields.title, fields.summary, fields.content, fields.sourceReference, fields.categoryId, fields.tags, fields.audience]);
            const patch: Record<string, unknown> = { status: x.status, deletedAt: null, updatedAt: at };
            if (changed) {
              await r.items.insertVersion(snapshot(current, actor.sub, 'Importado', at));
              Object.assign(patch, fields, { version: current.version + 1 });
            }
            const row = await r.items.update(x.id, patch);
            if (changed) await r.items.writeSearchData(row);
          }
        }
      });
      for (const x of items) deps.onContentChanged?.(x.id);
      return counts;
    },
  };
}

const nat = (v: unknown) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 2_147_483_647 ? (v as number) : 0);

async function writeCategory(r: Repositories, c: Json, parentId: string | null, existing: { id: string } | undefined, mode: string, at: Date, catIds: Map<string, string>) {
  const values = { slug: str(c.slug)!, name: str(c.name)!.trim(), description: str(c.description) ?? null, parentId, sortOrder: Number.isInteger(c.sort_order) ? Math.min(9999, Math.max(0, c.sort_order as number)) : 0, isActive: c.is_active !== false };
  if (!existing) {
    const id = typeof c.id === 'string' && UUID.test(c.id) && !(await r.categories.findById(c.id)) ? c.id : undefined;
    const row = await r.categories.insert({ ...(id ? { id } : {}), ...values, createdAt: at, updatedAt: at });
    catIds.set(row.slug, row.id);
  } else if (mode === 'overwrite') {
    await r.categories.update(existing.id, { ...values, updatedAt: at });
  }
}

export type BackupService = ReturnType<typeof createBackupService>;
