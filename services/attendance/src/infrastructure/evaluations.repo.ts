/** `evaluation_queue` (R34): the students due for their debounced evaluation. */
import { asc, inArray, lte } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { evaluationQueue } from './db/schema.ts';

export function createEvaluationsRepo(db: Db) {
  return {
    /** Removes and returns up to `limit` students due by `at`, earliest first (one replica takes each). */
    async takeDue(at: Date, limit: number): Promise<string[]> {
      const due = db.select({ id: evaluationQueue.studentId }).from(evaluationQueue).where(lte(evaluationQueue.dueAt, at)).orderBy(asc(evaluationQueue.dueAt)).limit(limit).for('update', { skipLocked: true });
      const rows = await db.delete(evaluationQueue).where(inArray(evaluationQueue.studentId, due)).returning({ id: evaluationQueue.studentId });
      return rows.map((r) => r.id);
    },
    /** Puts students back (an evaluation that failed), due at `at`. */
    async requeue(studentIds: string[], at: Date): Promise<void> {
      if (studentIds.length === 0) return;
      await db.insert(evaluationQueue).values(studentIds.map((studentId) => ({ studentId, dueAt: at }))).onConflictDoNothing();
    },
  };
}
