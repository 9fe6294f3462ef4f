/** Evidence file content past its keeping time (R28): the bytes go, the metadata and sha256 stay. */
import { and, inArray, isNull, lte } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { evidenceFiles, justifications } from './db/schema.ts';

export function createEvidenceRepo(db: Db) {
  return {
    /** Purges the content of every file whose justification was reviewed at or before `reviewedBefore`. */
    async purgeReviewedBefore(reviewedBefore: Date, at: Date): Promise<number> {
      const reviewed = db.select({ id: justifications.id }).from(justifications).where(lte(justifications.reviewedAt, reviewedBefore));
      const rows = await db
        .update(evidenceFiles)
        .set({ content: null, purgedAt: at })
        .where(and(isNull(evidenceFiles.purgedAt), inArray(evidenceFiles.justificationId, reviewed)))
        .returning({ id: evidenceFiles.id });
      return rows.length;
    },
  };
}
