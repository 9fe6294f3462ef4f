/** Feedback and ratings (R19): one row per (item, user), counters in the same transaction. */
import { toIso } from '@sicora/platform/schemas';
import { kbErrors } from '../domain/errors.ts';
import { assertPublishedVisible, assertReadable } from './access.ts';
import type { Actor, Deps } from './context.ts';
import { ratingAvg } from './views.ts';
import { popularityOf } from '../domain/popularity.ts';

export function createFeedbackService(deps: Deps) {
  const { repos, now } = deps;

  async function refreshPopularity(r: Deps['repos'], itemId: string): Promise<void> {
    const item = await r.items.findById(itemId);
    if (!item) return;
    const views = await r.admin.viewsSince(itemId, new Date(now().getTime() - 30 * 86_400_000));
    await r.items.update(itemId, { popularity: popularityOf({ views30d: views, helpful: item.helpfulCount, notHelpful: item.notHelpfulCount, updatedAt: item.updatedAt, now: now() }) });
  }

  return {
    async put(actor: Actor, itemId: string, body: { helpful: boolean; rating?: number | null; comment?: string | null }) {
      assertPublishedVisible(actor, await repos.items.findById(itemId));
      const comment = body.comment?.trim() || null;
      const at = now();
      return deps.withTransaction(async (r) => {
        const previous = await r.feedback.find(itemId, actor.sub);
        if (previous) await r.feedback.adjustCounters(itemId, previous, -1);
        const row = await r.feedback.upsert({ itemId, userId: actor.sub, role: actor.role, helpful: body.helpful, rating: body.rating ?? null, comment, createdAt: at, updatedAt: at });
        await r.feedback.adjustCounters(itemId, row, 1);
        await refreshPopularity(r, itemId);
        const item = (await r.items.findById(itemId))!;
        return {
          created: !previous,
          data: {
            item_id: itemId,
            helpful: row.helpful,
            rating: row.rating,
            comment: row.comment,
            created_at: toIso(row.createdAt),
            updated_at: toIso(row.updatedAt),
            item_counters: { helpful_count: item.helpfulCount, not_helpful_count: item.notHelpfulCount, rating_avg: ratingAvg(item.ratingSum, item.ratingCount), rating_count: item.ratingCount },
          },
        };
      });
    },

    async remove(actor: Actor, itemId: string) {
      assertPublishedVisible(actor, await repos.items.findById(itemId));
      await deps.withTransaction(async (r) => {
        const previous = await r.feedback.find(itemId, actor.sub);
        if (!previous) throw kbErrors.feedbackNotFound();
        await r.feedback.remove(itemId, actor.sub);
        await r.feedback.adjustCounters(itemId, previous, -1);
        await refreshPopularity(r, itemId);
      });
    },

    async list(actor: Actor, itemId: string, q: { helpful?: boolean; has_comment?: boolean; page: { limit: number; offset: number } }) {
      assertReadable(actor, await repos.items.findById(itemId));
      const { rows, total } = await repos.feedback.list(itemId, { helpful: q.helpful, hasComment: q.has_comment }, q.page);
      return { items: rows.map((f) => ({ helpful: f.helpful, rating: f.rating, comment: f.comment, role: f.role, created_at: toIso(f.createdAt) })), total };
    },
  };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;
