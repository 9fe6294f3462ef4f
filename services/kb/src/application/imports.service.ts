/**
 * PDF to draft items (R26–R30): the upload is checked and stored synchronously (202), then a job — one
 * at a time per replica — extracts the text in a worker thread outside any transaction and creates every
 * item in one transaction, or none; the uploader is told either way (§7).
 */
import { createHash } from 'node:crypto';
import { localDateOf } from '@sicora/platform/local-time';
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import { kbErrors } from '../domain/errors.ts';
import { isEditor, KINDS, type Kind } from '../domain/items.ts';
import { articleHeadings, cleanPages, defaultCategorySlug, guessKind, importTitle, sanitizeFileName, splitSections, type Section } from '../domain/pdf-text.ts';
import { normalizeTags, slugify } from '../domain/text.ts';
import type { ImportRow } from '../infrastructure/imports.repo.ts';
import type { Extraction } from '../infrastructure/pdf-extract.ts';
import type { Actor, Deps } from './context.ts';

export interface PdfOptions {
  title?: string;
  kind?: Kind;
  category_id?: string;
  audience?: string[];
  tags?: string[];
  split: 'auto' | 'single' | 'sections';
}

export interface ImportsDeps {
  extract(bytes: Buffer): Promise<Extraction>;
  imported(status: string): void;
  log: { error(obj: unknown, msg: string): void };
}

class ContentFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const MESSAGES: Record<string, string> = {
  PDF_ENCRYPTED: 'El PDF está protegido con contraseña',
  PDF_UNREADABLE: 'No fue posible leer el PDF',
  PDF_TOO_MANY_PAGES: 'El PDF tiene más de 300 páginas',
  PDF_NO_TEXT: 'El PDF no tiene texto extraíble (¿es una imagen escaneada?)',
  PDF_TEXT_TOO_LONG: 'El texto del PDF es demasiado largo',
};

export function importView(r: ImportRow) {
  const { uploader_name: _n, attempts: _a, retry_at: _r, ...options } = r.options as Record<string, unknown>;
  return { id: r.id, file_name: r.fileName, size_bytes: r.sizeBytes, status: r.status, options, created_at: toIso(r.createdAt) };
}

export function createImportsService(deps: Deps, io: ImportsDeps) {
  const { repos, now } = deps;
  let running: Promise<void> | null = null;

  async function fail(row: ImportRow, code: string, message: string) {
    await deps.withTransaction(async (r) => {
      await r.imports.finish(row.id, { status: 'failed', errorCode: code, errorMessage: message, finishedAt: now() });
      await r.notify({ type: 'kb.import.failed', key: [row.id, 'failed'], target_users: [row.uploadedBy], entity_type: 'kb_import', entity_id: row.id, action_url: `/ayuda/importaciones/${row.id}`, data: { import_id: row.id, file_name: row.fileName, error_code: code, error_message: message } });
    });
    io.imported('failed');
  }

  async function sections(row: ImportRow, ex: { pages: number; texts: string[]; title: string | null }) {
    const opts = row.options as PdfOptions & { uploader_name?: string };
    const text = cleanPages(ex.texts);
    if (text.length < 100) throw new ContentFailure('PDF_NO_TEXT', MESSAGES.PDF_NO_TEXT!);
    if (text.length > 1_000_000) throw new ContentFailure('PDF_TEXT_TOO_LONG', MESSAGES.PDF_TEXT_TOO_LONG!);
    const title = importTitle(opts.title, ex.title, row.fileName);
    const kind = opts.kind ?? guessKind(text);
    const split = opts.split === 'auto' ? (kind === 'regulation' && (articleHeadings(text) >= 3 || text.length > 50_000) ? 'sections' : 'single') : opts.split;
    let parts: Section[];
    if (split === 'single') {
      if (text.length > 50_000) throw new ContentFailure('PDF_TEXT_TOO_LONG', MESSAGES.PDF_TEXT_TOO_LONG!);
      parts = [{ title, content: text, sourceReference: null }];
    } else parts = splitSections(text, title);
    if (parts.length > 200) throw new ContentFailure('PDF_TEXT_TOO_LONG', 'El PDF produciría más de 200 artículos');
    return { kind, title, parts, opts };
  }

  async function process(row: ImportRow) {
    const bytes = await repos.imports.file(row.id);
    if (!bytes) return fail(row, 'PDF_UNREADABLE', MESSAGES.PDF_UNREADABLE!);
    const ex = await io.extract(bytes);
    if ('error' in ex) return fail(row, ex.error, MESSAGES[ex.error] ?? MESSAGES.PDF_UNREADABLE!);
    let built: Awaited<ReturnType<typeof sections>>;
    try {
      built = await sections(row, ex);
    } catch (err) {
      if (err instanceof ContentFailure) return fail({ ...row, pages: ex.pages }, err.code, err.message);
      throw err;
    }
    const { kind, title, parts, opts } = built;
    const category = opts.category_id ? await repos.categories.findById(opts.category_id) : ((await repos.categories.findBySlug(defaultCategorySlug(kind))) ?? (await repos.categories.all()).find((c) => c.isActive));
    if (!category) return fail(row, 'PDF_UNREADABLE', 'No hay una categoría activa donde crear los borradores');
    const at = now();
    const day = localDateOf(at, deps.timeZone);
    const created = await deps.withTransaction(async (r) => {
      const ids: string[] = [];
      for (const part of parts) {
        const base = slugify(part.title);
        const taken = new Set(await r.items.slugsLike(base));
        let slug = base;
        for (let i = 2; taken.has(slug); i++) slug = `${base}-${i}`;
        const content = part.content.length >= 20 ? part.content : `${part.content}\n\n(${title})`;
        const item = await r.items.insert({
          slug,
          kind,
          title: part.title.length >= 3 ? part.title : `${part.title} ${title}`.slice(0, 200),
          summary: kind === 'faq' ? part.content.split(/\n\s*\n/)[0]!.slice(0, 500) : null,
          content,
          sourceReference: kind === 'regulation' ? (part.sourceReference ?? `${title} (PDF importado el ${day})`).slice(0, 300) : part.sourceReference?.slice(0, 300) ?? null,
          categoryId: category.id,
          tags: opts.tags ?? [],
          audience: opts.audience?.length ? opts.audience : ['all'],
          status: 'draft',
          authorId: row.uploadedBy,
          authorName: opts.uploader_name ?? null,
          origin: 'pdf',
          sourceImportId: row.id,
          createdAt: at,
          updatedAt: at,
        });
        await r.items.writeSearchData(item);
        ids.push(item.id);
      }
      await r.imports.finish(row.id, { status: 'completed', pages: ex.pages, createdItemIds: ids, finishedAt: now() });
      await r.notify({ type: 'kb.import.completed', key: [row.id, 'completed'], target_users: [row.uploadedBy], entity_type: 'kb_import', entity_id: row.id, action_url: `/ayuda/importaciones/${row.id}`, data: { import_id: row.id, file_name: row.fileName, items_created: ids.length, first_item_path: `/api/v1/kb/items/${ids[0]}` } });
      return ids;
    });
    io.imported('completed');
    for (const id of created) deps.onContentChanged?.(id);
    return created;
  }

  /** Drains the queue, one import at a time on this replica. */
  async function drain(): Promise<void> {
    for (;;) {
      const next = await repos.imports.nextQueued(now());
      if (!next || !(await repos.imports.claim(next.id, now()))) return;
      try {
        await process({ ...next, status: 'processing' });
      } catch (err) {
        // R27: content failures are final (handled in process); internal errors retry twice, at 30 s and 120 s.
        io.log.error({ err, import_id: next.id }, 'pdf import failed');
        const options = next.options as Record<string, unknown>;
        const attempts = Number(options.attempts ?? 0);
        if (attempts < 2) await repos.imports.requeue(next.id, { ...options, attempts: attempts + 1, retry_at: new Date(now().getTime() + (attempts === 0 ? 30_000 : 120_000)).toISOString() }).catch(() => undefined);
        else await fail(next, 'PDF_UNREADABLE', MESSAGES.PDF_UNREADABLE!).catch(() => undefined);
      }
    }
  }

  const kick = () => {
    running ??= drain().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    kick,
    idle: () => running ?? Promise.resolve(),

    async upload(actor: Actor, file: { name: string; bytes: Buffer }, fields: Record<string, string>, force: boolean) {
      const opts = parseOptions(fields);
      if (opts.category_id && !(await repos.categories.findById(opts.category_id))) throw kbErrors.categoryNotFound();
      const sha256 = createHash('sha256').update(file.bytes).digest('hex');
      if (!force) {
        const dup = await repos.imports.duplicateOf(sha256);
        if (dup) throw kbErrors.duplicateDocument(dup);
      }
      const row = await deps.withTransaction((r) =>
        r.imports.insert({ fileName: sanitizeFileName(file.name), sizeBytes: file.bytes.length, sha256, status: 'queued', options: { ...opts, uploader_name: actor.name ?? null }, uploadedBy: actor.sub, createdAt: now() }, file.bytes),
      );
      void kick();
      return importView(row);
    },

    async list(actor: Actor, q: { status?: string; page: { limit: number; offset: number } }) {
      const { rows, total } = await repos.imports.list({ uploadedBy: isEditor(actor.role) ? undefined : actor.sub, status: q.status }, q.page);
      return { items: rows.map(importView), total };
    },

    async get(actor: Actor, id: string) {
      const row = await repos.imports.findById(id);
      if (!row || (!isEditor(actor.role) && row.uploadedBy !== actor.sub)) throw kbErrors.importNotFound();
      return {
        ...importView(row),
        pages: row.pages,
        error_code: row.errorCode,
        error_message: row.errorMessage,
        created_items: await repos.imports.itemTitles(row.createdItemIds),
        started_at: toIsoOrNull(row.startedAt),
        finished_at: toIsoOrNull(row.finishedAt),
      };
    },
  };
}

function parseOptions(fields: Record<string, string>): PdfOptions {
  const errs: Array<{ field: string; reason: string; message: string }> = [];
  const opts: PdfOptions = { split: 'auto' };
  if (fields.title !== undefined) {
    const t = fields.title.trim();
    if (t.length < 3 || t.length > 200) errs.push({ field: 'title', reason: 'length', message: '3–200 caracteres' });
    else opts.title = t;
  }
  if (fields.kind !== undefined) {
    if (!(KINDS as readonly string[]).includes(fields.kind)) errs.push({ field: 'kind', reason: 'enum', message: 'Tipo no válido' });
    else opts.kind = fields.kind as Kind;
  }
  if (fields.category_id !== undefined) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(fields.category_id)) errs.push({ field: 'category_id', reason: 'format', message: 'Debe ser un UUID' });
    else opts.category_id = fields.category_id;
  }
  if (fields.audience !== undefined) {
    const aud = [...new Set(fields.audience.split(',').map((s) => s.trim()).filter(Boolean))];
    if (aud.length === 0 || aud.some((a) => !['all', 'aprendiz', 'instructor', 'administrativo', 'coordinador'].includes(a)) || (aud.includes('all') && aud.length > 1)) errs.push({ field: 'audience', reason: 'enum', message: 'Audiencia no válida' });
    else opts.audience = aud;
  }
  if (fields.tags !== undefined) {
    const { tags, invalid } = normalizeTags(fields.tags.split(',').filter((t) => t.trim()));
    if (invalid.length || tags.length > 15) errs.push({ field: 'tags', reason: 'invalid_tag', message: 'Etiquetas no válidas' });
    else opts.tags = tags;
  }
  if (fields.split !== undefined) {
    if (!['auto', 'single', 'sections'].includes(fields.split)) errs.push({ field: 'split', reason: 'enum', message: 'auto, single o sections' });
    else opts.split = fields.split as PdfOptions['split'];
  }
  if (fields.force !== undefined && !['true', 'false'].includes(fields.force)) errs.push({ field: 'force', reason: 'type', message: 'true o false' });
  if (errs.length) throw kbErrors.validation(errs);
  return opts;
}

export type ImportsService = ReturnType<typeof createImportsService>;
