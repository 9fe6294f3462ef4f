/**
 * R8: every 5 minutes, close (as RL5, `close_method` AUTO) every OPEN roll with at least one record that
 * was never closed and whose end + `auto_close_after_minutes` has passed. Each roll's roster is read before
 * its own short transaction; a roll whose roster schedules cannot give waits for the next run.
 */
import { isAppError } from '@sicora/platform/errors';
import type { JobDefinition } from '@sicora/platform/jobs';
import type { AttendanceSettings } from '../domain/settings.ts';
import { addMinutes } from '../domain/time.ts';
import type { Deps } from './context.ts';
import { createDeadlines } from './deadlines.ts';
import { lookupPeople } from './people.ts';
import { closeRoll } from './rolls.service.ts';

export async function autoCloseRolls(deps: Deps, settings: { current(): Promise<AttendanceSettings> }, at: Date = deps.now()) {
  const deadlines = createDeadlines(deps, settings);
  const s = await settings.current();
  const due = await deps.repos.rolls.dueForAutoClose(addMinutes(at, -s.auto_close_after_minutes));
  let closed = 0;
  let waiting = 0;
  for (const roll of due) {
    let roster;
    try {
      roster = await deps.schedules.apprentices(roll.groupId);
    } catch (err) {
      if (isAppError(err) && err.kind === 'unavailable') {
        waiting += 1;
        continue;
      }
      throw err;
    }
    const people = await lookupPeople(deps.users, [roll.instructorId, ...roster.map((a) => a.id)]);
    const deadline = (await deadlines.forDates([roll.sessionDate])).get(roll.sessionDate);
    await closeRoll(deps, roll.id, roster, people, { actor: null, method: 'AUTO', confirmAllAbsent: true, deadline });
    closed += 1;
  }
  return { closed, waiting };
}

export function autoCloseJob(deps: Deps, settings: { current(): Promise<AttendanceSettings> }): JobDefinition {
  return { name: 'auto-close', cron: '*/5 * * * *', timeZone: deps.timeZone, run: ({ slot }) => autoCloseRolls(deps, settings, slot) };
}
