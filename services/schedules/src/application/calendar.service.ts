/** Shifts, blocks (K1, K2) and non-teaching days (K3–K5, R25 holidays). */
import type { Database } from '@sicora/platform/db';
import { errors } from '@sicora/platform/errors';
import { toLocal } from '../domain/calendar.ts';
import { scheduleErrors } from '../domain/errors.ts';
import { colombianHolidays } from '../domain/holidays.ts';
import { allBlocks, shiftCatalogue, type Shift } from '../domain/shifts.ts';
import { createCampusesRepo } from '../infrastructure/campuses.repo.ts';
import { isUniqueViolation } from '../infrastructure/db/helpers.ts';
import { createNonTeachingDaysRepo, nonTeachingDayView } from '../infrastructure/non-teaching-days.repo.ts';
import { today, type Actor, type Deps } from './context.ts';

/**
 * R25: the national holidays of `year` and `year + 1`, for each year without a HOLIDAY row yet (a
 * deleted holiday is not re-created; existing days are not duplicated).
 */
export async function seedHolidays(database: Database, opts: { now?: () => Date; timeZone?: string } = {}): Promise<number> {
  const repo = createNonTeachingDaysRepo(database.db);
  const year = Number(toLocal((opts.now ?? (() => new Date()))(), opts.timeZone ?? 'America/Bogota').date.slice(0, 4));
  let created = 0;
  for (const y of [year, year + 1]) {
    if (await repo.hasHolidayIn(y)) continue;
    const rows = await repo.insertMany(colombianHolidays(y).map((h) => ({ date: h.date, name: h.name, campusId: null, source: 'HOLIDAY' as const })));
    created += rows.length;
  }
  return created;
}

export function createCalendarService(deps: Deps) {
  const repo = createNonTeachingDaysRepo(deps.database.db);
  const campuses = createCampusesRepo(deps.database.db);
  return {
    shifts: () => shiftCatalogue(),
    blocks: (q: { shift?: Shift; day_of_week?: number }) => allBlocks().filter((b) => (!q.shift || b.shift === q.shift) && (!q.day_of_week || b.day_of_week === q.day_of_week)),
    async list(q: { year?: number; campus_id?: string }) {
      const year = q.year ?? Number(today(deps).slice(0, 4));
      return (await repo.between(`${year}-01-01`, `${year}-12-31`, q.campus_id)).map(nonTeachingDayView);
    },
    async create(input: { date: string; name: string; campus_id?: string | null }, actor: Actor) {
      if (input.campus_id && !(await campuses.get(input.campus_id))) throw scheduleErrors.referenceNotFound('campus_id', input.campus_id);
      try {
        const [row] = await repo.insertMany([{ date: input.date, name: input.name.trim(), campusId: input.campus_id ?? null, source: 'MANUAL', createdBy: actor.sub, updatedBy: actor.sub }]);
        if (!row) throw scheduleErrors.nonTeachingDayExists();
        return nonTeachingDayView(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw scheduleErrors.nonTeachingDayExists();
        throw err;
      }
    },
    async remove(id: string) {
      if (!(await repo.get(id))) throw errors.notFound('NON_TEACHING_DAY_NOT_FOUND', 'Día no hábil no encontrado');
      await repo.remove(id);
    },
  };
}

/**
 * The R25 job: at start and on 1 December from 02:00 Bogotá. Checked hourly (a missed run is caught up
 * on the next check or start); idempotent because each year is only seeded while it has no HOLIDAY row.
 */
export function startHolidayJob(deps: Deps, log: (err: unknown) => void): () => void {
  const run = () => seedHolidays(deps.database, { now: deps.now, timeZone: deps.timeZone }).catch(log);
  const timer = setInterval(() => {
    const local = toLocal(deps.now(), deps.timeZone);
    if (local.date.slice(5) === '12-01' && local.time >= '02:00') void run();
  }, 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
