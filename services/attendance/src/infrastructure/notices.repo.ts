/** `notices_sent` (§3.7): the once-only marks of reminders and digests (R46). */
import type { Db } from '@sicora/platform/db';
import { noticesSent } from './db/schema.ts';

export function createNoticesRepo(db: Db) {
  return {
    /**
     * Claims (kind, key) for a notice about to be queued: true for the first claim only, so a job run
     * twice, or by two replicas, queues it once. Called in the transaction that queues the notice.
     */
    async claim(kind: string, key: string, at: Date): Promise<boolean> {
      const rows = await db.insert(noticesSent).values({ kind, key, sentAt: at }).onConflictDoNothing().returning({ kind: noticesSent.kind });
      return rows.length > 0;
    },
  };
}
