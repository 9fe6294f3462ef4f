/**
 * R23's justification deadline of a session date (the Nth business day after it, Monday–Friday minus the
 * centre-wide non-teaching days of K3), shown as `justify_deadline` in C1, RecordView and the absence
 * notice. A read never fails for it: without schedules the deadline is null.
 */
import { isAppError } from '@sicora/platform/errors';
import { justificationDeadline, nonTeachingYearsFor, type DayEndDeadline } from '../domain/business-days.ts';
import type { AttendanceSettings } from '../domain/settings.ts';
import type { Deps } from './context.ts';

export type Deadlines = ReturnType<typeof createDeadlines>;

export function createDeadlines(deps: Pick<Deps, 'schedules' | 'timeZone' | 'now'>, settings: { current(): Promise<AttendanceSettings> }) {
  return {
    async forDates(dates: string[]): Promise<Map<string, DayEndDeadline>> {
      const out = new Map<string, DayEndDeadline>();
      const unique = [...new Set(dates)];
      if (unique.length === 0) return out;
      const s = await settings.current();
      const years = [...new Set(unique.flatMap((d) => nonTeachingYearsFor(d)))];
      const days = new Set<string>();
      try {
        for (const y of years) for (const d of await deps.schedules.nonTeachingDays(y)) days.add(d);
      } catch (err) {
        if (isAppError(err) && err.kind === 'unavailable') return out;
        throw err;
      }
      for (const date of unique) out.set(date, justificationDeadline({ sessionDate: date, businessDays: s.justification_deadline_business_days, nonTeachingDays: days, timeZone: deps.timeZone }));
      return out;
    },
    /**
     * The deadline a record offers: an ABSENT record not already covered by a pending or approved
     * justification, while the deadline has not passed; otherwise null ("cannot be justified").
     */
    offered(record: { status: string; sessionDate: string }, justification: { status: string } | undefined, deadlines: Map<string, DayEndDeadline>): Date | null {
      if (record.status !== 'ABSENT') return null;
      if (justification && justification.status !== 'REJECTED') return null;
      const d = deadlines.get(record.sessionDate);
      return d && deps.now() < d.closesAt ? d.shownAt : null;
    },
  };
}
