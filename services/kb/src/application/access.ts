/** Object-level rules V2 and V4 for one item already loaded (lists apply V1 in SQL). */
import { kbErrors } from '../domain/errors.ts';
import { audienceAllows, isEditor } from '../domain/items.ts';
import type { ItemRow } from '../infrastructure/items.repo.ts';
import type { Actor } from './context.ts';

export const isAuthor = (actor: Actor, item: Pick<ItemRow, 'authorId'>) => item.authorId !== null && item.authorId === actor.sub;

/** V2: 404 for what the caller may not know exists, 403 for a published item outside their audience. */
export function assertReadable(actor: Actor, item: ItemRow | undefined): ItemRow {
  if (!item || item.deletedAt) throw kbErrors.itemNotFound();
  if (isEditor(actor.role)) return item;
  if (actor.role === 'instructor' && isAuthor(actor, item)) return item;
  if (item.status !== 'published') throw kbErrors.itemNotFound();
  if (!audienceAllows(item.audience, actor.role)) throw kbErrors.audienceNotAllowed();
  return item;
}

/** Feedback and related items: only published items the caller's role may read (no drafts, even own). */
export function assertPublishedVisible(actor: Actor, item: ItemRow | undefined): ItemRow {
  if (!item || item.deletedAt || item.status !== 'published') throw kbErrors.itemNotFound();
  if (!audienceAllows(item.audience, actor.role)) throw kbErrors.audienceNotAllowed();
  return item;
}

/** V4: editors edit anything; an instructor only their own drafts (403 otherwise, once they may know it exists). */
export function assertEditable(actor: Actor, item: ItemRow | undefined): ItemRow {
  const visible = assertReadable(actor, item);
  if (isEditor(actor.role)) return visible;
  if (actor.role === 'instructor' && isAuthor(actor, visible) && visible.status === 'draft') return visible;
  throw kbErrors.forbidden('Solo puede modificar sus propios borradores');
}

/** Version history: editors, and instructors for their own items (read only). */
export function assertHistoryReadable(actor: Actor, item: ItemRow | undefined): ItemRow {
  const visible = assertReadable(actor, item);
  if (isEditor(actor.role) || (actor.role === 'instructor' && isAuthor(actor, visible))) return visible;
  throw kbErrors.forbidden();
}
