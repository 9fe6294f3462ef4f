/** E47–E49: comment moderation of closed and published periods (R38). */
import { toIsoOrNull } from '@sicora/platform/schemas';
import { evalinErrors } from '../domain/errors.ts';
import { RESULT_STATUSES } from '../domain/periods.ts';
import type { ConfigService } from './config.service.ts';
import type { Actor, Deps } from './context.ts';
import { nameIn, namesOf } from './people.ts';
import type { CommentRow, CommentStatus } from './ports.ts';
import { cellPasses, expectedOf, block, loadPeriodData } from './results.ts';
import { periodWorld } from './world.ts';

export function createCommentsService(deps: Deps, config: ConfigService) {
  const { repos } = deps;

  async function closedPeriod(id: string) {
    const p = await repos.periods.get(id);
    if (!p) throw evalinErrors.periodNotFound();
    if (!RESULT_STATUSES.includes(p.status)) throw evalinErrors.periodNotClosed();
    return p;
  }

  async function views(rows: CommentRow[], periodId: string) {
    const p = (await repos.periods.get(periodId))!;
    const groups = await repos.periods.groups([p.id]);
    const d = await loadPeriodData(deps, p, groups, await periodWorld(deps, p, groups), await config.current());
    const texts = new Map(d.questions.map((q) => [q.id, q.text]));
    const numbers = new Map(groups.map((g) => [g.groupId, g.groupNumber]));
    const names = await namesOf(deps.users, rows.map((r) => r.instructorId));
    return rows.map((c) => ({
      id: c.id,
      instructor: { id: c.instructorId, name: nameIn(names, c.instructorId) },
      group_number: cellPasses(d, c.instructorId, c.groupId) ? (numbers.get(c.groupId) ?? null) : null,
      question_id: c.questionId,
      question_text: c.questionId ? (texts.get(c.questionId) ?? null) : 'Comentario general',
      text: c.text,
      flagged: c.flagged,
      status: c.status,
      moderation_note: c.moderationNote,
      moderated_at: toIsoOrNull(c.moderatedAt),
    }));
  }

  async function moderate(ids: string[], status: 'approved' | 'hidden', note: string | null | undefined, actor: Actor) {
    if (status === 'hidden' && !note?.trim()) throw evalinErrors.field('moderation_note', 'required', 'Indique la nota de moderación (5 a 500 caracteres)');
    const unique = [...new Set(ids)];
    const found = await repos.responses.commentsByIds(unique);
    const missing = unique.filter((id) => !found.some((c) => c.id === id));
    if (missing.length) throw evalinErrors.commentNotFound(missing);
    for (const periodId of new Set(found.map((c) => c.periodId))) await closedPeriod(periodId);
    await repos.responses.moderate(unique, { status, moderationNote: note?.trim() || null, moderatedBy: actor.sub, moderatedAt: deps.now() });
    return found;
  }

  return {
    /** E47: moderation lists exclude blocks that fail R33. */
    async list(periodId: string, f: { status?: CommentStatus; instructor_id?: string; flagged?: boolean }, limit: number, offset: number) {
      const p = await closedPeriod(periodId);
      const groups = await repos.periods.groups([p.id]);
      const d = await loadPeriodData(deps, p, groups, await periodWorld(deps, p, groups), await config.current());
      const all = await repos.responses.allComments({ periodId, instructorId: f.instructor_id, statuses: [f.status ?? 'pending'], flagged: f.flagged });
      const passing = new Map<string, boolean>();
      const rows = all.filter((c) => {
        if (!passing.has(c.instructorId)) passing.set(c.instructorId, block(d, { instructorId: c.instructorId }, expectedOf(d.world, c.instructorId)).results_shown);
        return passing.get(c.instructorId);
      });
      return { items: await views(rows.slice(offset, offset + limit), periodId), total: rows.length };
    },
    /** E48. */
    async moderateOne(id: string, status: 'approved' | 'hidden', note: string | null | undefined, actor: Actor) {
      const [c] = await moderate([id], status, note, actor).catch((err) => {
        if ((err as { code?: string }).code === 'COMMENT_NOT_FOUND') throw evalinErrors.commentNotFound();
        throw err;
      });
      const [fresh] = await repos.responses.commentsByIds([c.id]);
      return (await views([fresh], fresh.periodId))[0];
    },
    /** E49: all or nothing. */
    async moderateMany(ids: string[], status: 'approved' | 'hidden', note: string | null | undefined, actor: Actor) {
      await moderate(ids, status, note, actor);
      return { updated: new Set(ids).size };
    },
  };
}

export type CommentsService = ReturnType<typeof createCommentsService>;
