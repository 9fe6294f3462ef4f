/** R16's refused device requests, read for the roster flags of students without a record. */
import { and, eq } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { deviceConflicts } from './db/schema.ts';

export function createDevicesRepo(db: Db) {
  return {
    /** Students involved in a shared-device attempt for the session. */
    async sharedAttempts(scheduleId: string, sessionDate: string): Promise<Set<string>> {
      const rows = await db
        .select({ a: deviceConflicts.firstStudentId, b: deviceConflicts.secondStudentId })
        .from(deviceConflicts)
        .where(and(eq(deviceConflicts.scheduleId, scheduleId), eq(deviceConflicts.sessionDate, sessionDate)));
      return new Set(rows.flatMap((r) => [r.a, r.b]));
    },
  };
}

export type DevicesRepo = ReturnType<typeof createDevicesRepo>;
