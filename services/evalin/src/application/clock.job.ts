/**
 * R17 and R21's period clock: every minute, scheduled periods whose start passed become active and
 * active or suspended periods whose end passed close (closed_reason end_date); every 5 minutes a close
 * that could not read schedules gets its snapshot and its period_closed event. Every step re-reads the
 * period under a row lock, so two replicas or two runs change it once.
 */
import type { JobDefinition } from '@sicora/platform/jobs';
import type { ConfigService } from './config.service.ts';
import type { Deps } from './context.ts';
import { closePeriod, writeSnapshot, type PeriodsService } from './periods.service.ts';
import { liveGroup } from './world.ts';

export async function runClock(deps: Deps, config: ConfigService, periods: PeriodsService, slot: Date, log?: { warn: (o: object, m: string) => void }) {
  const { toStart, toClose, pendingSnapshots } = await deps.repos.periods.due(deps.now());
  const attempt = async (periodId: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      // One period's failure (schedules down while opening) leaves it for the next minute.
      log?.warn({ err, period_id: periodId }, 'period clock step failed');
    }
  };
  for (const p of toStart) await attempt(p.id, () => periods.startDue(p));
  for (const p of toClose) await attempt(p.id, () => closePeriod(deps, config, p.id, 'end_date', null));
  if (slot.getUTCMinutes() % 5 === 0) {
    for (const p of pendingSnapshots) {
      await attempt(p.id, async () => {
        const groups = await deps.repos.periods.groups([p.id]);
        const world = await Promise.all(groups.map((g) => liveGroup(deps, p, g)));
        const settings = await config.current();
        await deps.withTransaction(async (tx) => {
          const cur = await tx.periods.getForUpdate(p.id);
          if (cur?.snapshotPending) await writeSnapshot(tx, settings, cur, world, deps.now());
        });
      });
    }
  }
}

export function clockJob(deps: Deps, config: ConfigService, periods: PeriodsService, log?: { warn: (o: object, m: string) => void }): JobDefinition {
  return { name: 'period-clock', cron: '* * * * *', timeZone: deps.timeZone, runOn: 'one-replica', run: ({ slot }) => runClock(deps, config, periods, slot, log) };
}
