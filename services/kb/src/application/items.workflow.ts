/** §3.4 status machine with its events (§7), and R6 version history and restore. */
import { toIso } from '@sicora/platform/schemas';
import { kbErrors } from '../domain/errors.ts';
import { allowedTransitions, audienceRoles, isEditor, type Kind, type Status } from '../domain/items.ts';
import type { ItemRow } from '../infrastructure/items.repo.ts';
import { assertEditable, assertHistoryReadable, assertReadable, isAuthor } from './access.ts';
import type { Actor, Deps, Repositories } from './context.ts';
import { snapshot, type ItemsService } from './items.service.ts';
import { categoryPath } from './items.service.ts';

const itemPath = (id: string) => `/api/v1/kb/items/${id}`;

/** The events a status change sends, in the transaction that records it. */
export async function publishEffects(r: Repositories, item: ItemRow, from: Status, to: Status, actor: Actor, o: { notify: boolean; changeId: string; comment: string | null }): Promise<void> {
  const base = { entity_type: 'kb_item', entity_id: item.id, action_url: `/ayuda/${item.slug}` };
  if (to === 'in_review') {
    await r.notify({ ...base, type: 'kb.item.review_requested', key: [item.id, o.changeId], target_roles: ['coordinador', 'admin'], data: { item_id: item.id, item_title: item.title, author_name: item.authorName ?? '', item_path: itemPath(item.id) } });
  }
  if (to === 'published' && o.notify) {
    const path = await categoryPath(r, item.categoryId);
    await r.notify({
      ...base,
      type: 'kb.item.published',
      key: [item.id, o.changeId],
      target_roles: audienceRoles(item.audience) as Array<'aprendiz'>,
      data: { item_id: item.id, item_slug: item.slug, item_title: item.title, item_kind: item.kind, category_name: path[path.length - 1]?.name ?? '', summary: item.summary ?? '', item_path: itemPath(item.id) },
    });
  }
  const decided = from === 'in_review' && (to === 'published' || to === 'draft') && isEditor(actor.role) && item.authorId && item.authorId !== actor.sub;
  if (decided) {
    await r.notify({
      ...base,
      type: 'kb.item.review_decided',
      key: [item.id, o.changeId],
      target_users: [item.authorId!],
      data: { item_id: item.id, item_title: item.title, decision: to === 'published' ? 'publicado' : 'devuelto', comment: o.comment ?? '', item_path: itemPath(item.id) },
    });
  }
}

export function createWorkflowService(deps: Deps, items: ItemsService) {
  const { repos, now } = deps;
  return {
    async transition(actor: Actor, id: string, body: { to: Status; comment?: string; notify?: boolean }) {
      const item = assertReadable(actor, await repos.items.findById(id));
      if (!isEditor(actor.role) && !isAuthor(actor, item)) throw kbErrors.forbidden();
      const allowed = allowedTransitions(item.status, { role: actor.role, isAuthor: isAuthor(actor, item) });
      if (!allowed.includes(body.to)) throw kbErrors.invalidTransition(item.status, body.to, allowed);
      const comment = body.comment?.trim() ?? null;
      if (body.notify && body.to !== 'published') throw kbErrors.validation([{ field: 'notify', reason: 'only_with_published', message: 'notify solo aplica al publicar' }]);
      const returning = item.status === 'in_review' && body.to === 'draft' && isEditor(actor.role) && !isAuthor(actor, item);
      if (returning && (!comment || comment.length < 5)) throw kbErrors.validation([{ field: 'comment', reason: 'required', message: 'Indique al autor qué debe cambiar (mínimo 5 caracteres)' }]);
      if (comment && comment.length > 1000) throw kbErrors.validation([{ field: 'comment', reason: 'too_long' }]);
      if (body.to === 'published') await items.checkCategory(repos, item.categoryId);
      const at = now();
      const row = await deps.withTransaction(async (r) => {
        const current = await r.items.findById(id);
        if (!current || current.status !== item.status) throw kbErrors.invalidTransition(current?.status ?? item.status, body.to, []);
        const patch: Record<string, unknown> = { status: body.to, updatedAt: at };
        if (body.to === 'published') Object.assign(patch, { publishedAt: at, publishedBy: actor.sub, archivedAt: null });
        if (body.to === 'archived') patch.archivedAt = at;
        if (body.to === 'draft') patch.archivedAt = null;
        const updated = await r.items.update(id, patch);
        const changeId = await r.items.insertStatusChange({ itemId: id, fromStatus: item.status, toStatus: body.to, actorId: actor.sub, comment, createdAt: at });
        await publishEffects(r, updated, item.status, body.to, actor, { notify: body.notify === true, changeId, comment });
        return updated;
      });
      return items.detail(actor, row);
    },

    async versions(actor: Actor, id: string) {
      const item = assertHistoryReadable(actor, await repos.items.findById(id));
      const past = await repos.items.versions(id);
      return [
        { version_number: item.version, title: item.title, changed_by: null as string | null, change_note: null as string | null, created_at: toIso(item.updatedAt), is_current: true },
        ...past.map((v) => ({ version_number: v.versionNumber, title: v.title, changed_by: v.changedBy, change_note: v.changeNote, created_at: toIso(v.createdAt), is_current: false })),
      ];
    },

    async version(actor: Actor, id: string, n: number) {
      const item = assertHistoryReadable(actor, await repos.items.findById(id));
      if (n === item.version) return versionView(n, item, null, null, item.updatedAt, true);
      const v = await repos.items.version(id, n);
      if (!v) throw kbErrors.versionNotFound();
      return versionView(n, v, v.changedBy, v.changeNote, v.createdAt, false);
    },

    async restore(actor: Actor, id: string, n: number, note?: string) {
      const item = assertEditable(actor, await repos.items.findById(id));
      if (n === item.version) throw kbErrors.versionConflict(item.version);
      const v = await repos.items.version(id, n);
      if (!v) throw kbErrors.versionNotFound();
      await items.checkCategory(repos, v.categoryId);
      const at = now();
      const row = await deps.withTransaction(async (r) => {
        await r.items.insertVersion(snapshot(item, actor.sub, note ?? `Restaurada la versión ${n}`, at));
        const updated = await r.items.update(id, { kind: v.kind, title: v.title, summary: v.summary, content: v.content, sourceReference: v.sourceReference, categoryId: v.categoryId, tags: v.tags, audience: v.audience, version: item.version + 1, updatedAt: at });
        await r.items.writeSearchData(updated);
        return updated;
      });
      deps.onContentChanged?.(row.id);
      return items.detail(actor, row);
    },
  };
}

function versionView(n: number, v: { kind: Kind; title: string; summary: string | null; content: string; sourceReference: string | null; categoryId: string; tags: string[]; audience: string[] }, changedBy: string | null, note: string | null, at: Date, current: boolean) {
  return { version_number: n, kind: v.kind, title: v.title, summary: v.summary, content: v.content, source_reference: v.sourceReference, category_id: v.categoryId, tags: v.tags, audience: v.audience, changed_by: changedBy, change_note: note, created_at: toIso(at), is_current: current };
}

export type WorkflowService = ReturnType<typeof createWorkflowService>;
