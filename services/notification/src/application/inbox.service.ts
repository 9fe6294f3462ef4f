/**
 * Inbox use cases (I1–I9, R50): every operation is scoped to the caller; others' items are not found.
 */
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import { notificationErrors as E } from '../domain/notification.errors.ts';
import type { InboxFilter, InboxItemRow, InboxRepo } from '../infrastructure/inbox.repo.ts';

export function inboxView(r: InboxItemRow) {
  return {
    id: r.id, notification_id: r.notificationId, type: r.type, category: r.category, priority: r.priority, title: r.title, body: r.body,
    action_url: r.actionUrl, entity_type: r.entityType, entity_id: r.entityId, created_at: toIso(r.createdAt),
    read_at: toIsoOrNull(r.readAt), is_read: r.readAt !== null, archived_at: toIsoOrNull(r.archivedAt),
  };
}

export function createInboxService(d: { inbox: InboxRepo; now: () => Date; onRead?: (n: number) => void }) {
  const get = async (userId: string, id: string) => {
    const row = await d.inbox.get(userId, id);
    if (!row) throw E.inboxItemNotFound();
    return row;
  };
  return {
    list: async (userId: string, f: InboxFilter, sort: { field: string; direction: 'asc' | 'desc' }, page: { offset: number; limit: number }) => {
      const { rows, total } = await d.inbox.list(userId, f, sort, page);
      return { items: rows.map(inboxView), total };
    },
    unread: (userId: string) => d.inbox.unread(userId),
    /** I3: the caller's items created after `since` (ISO), oldest first, as the API shows them. */
    since: async (userId: string, since: string) => (await d.inbox.since(userId, since)).map(inboxView),
    get: async (userId: string, id: string) => inboxView(await get(userId, id)),
    read: async (userId: string, id: string) => {
      const before = await get(userId, id);
      await d.inbox.markRead(userId, [id], d.now());
      if (!before.readAt) d.onRead?.(1);
      return inboxView(await get(userId, id));
    },
    unreadOne: async (userId: string, id: string) => {
      await get(userId, id);
      await d.inbox.markUnread(userId, id);
      return inboxView(await get(userId, id));
    },
    readMany: async (userId: string, ids: string[]) => {
      const unique = [...new Set(ids)];
      const updated = await d.inbox.markRead(userId, unique, d.now());
      return { updated, not_found: unique.length - updated };
    },
    readAll: async (userId: string, category?: string, before?: string) => ({ updated: await d.inbox.readAll(userId, d.now(), category, before) }),
    archive: async (userId: string, id: string) => {
      await get(userId, id);
      await d.inbox.archive(userId, id, d.now());
    },
  };
}

export type InboxService = ReturnType<typeof createInboxService>;
