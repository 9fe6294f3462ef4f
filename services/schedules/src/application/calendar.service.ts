/** Shifts, blocks (K1, K2) and non-teaching days (K3–K5, R25 holidays). */
import { onUniqueViolation } from '@sicora/platform/db-errors';
import { errors } from '@sicora/platform/errors';
import { toLocal } from '../domain/calendar.ts';
import { scheduleErrors } from '../domain/errors.ts';
import { colombianHolidays } from '../domain/holidays.ts';
import { allBlocks, shiftCatalogue, type Shift } from '../domain/shifts.ts';
import { today, type Actor, type Deps } from './context.ts';
import type { Repositories } from './ports.ts';
import { nonTeachingDayView } from './views.ts';

/**
 * R25: the national holidays of `year` and `year + 1`, for each year without a HOLIDAY row yet (a
 * deleted holiday is not re-created; existing days are not duplicated).
 */
export async function seedHolidays(repos: Pick<Repositories, 'nonTeachingDays'>, opts: { now?: () => Date; timeZone?: string } = {}): Promise<number> {
  const repo = repos.nonTeachingDays;
  const year = Number(toLocal((opts.now ?? (() => new Date()))(), opts.timeZone ?? 'America/Bogota').date.slice(0, 4));
  let created = 0;
  for (const y of [year, year + 1]) {
    if (await repo.hasHolidayIn(y)) continue;
    const rows = await repo.insertMany(colombianHolidays(y).map((h) => ({ date: h.date, name: h.name, campusId: null, source: 'HOLIDAY' as const })));
    created += rows.length;
  }
  return created;
}

export function createCalendarService(deps: Pick<Deps, 'repos' | 'now' | 'timeZone'>) {
  const repo = deps.repos.nonTeachingDays;
  const campuses = deps.repos.campuses;
  const exists = () => scheduleErrors.nonTeachingDayExists();
  return {
    shifts: () => shiftCatalogue(),
    blocks: (q: { shift?: Shift; day_of_week?: number }) => allBlocks().filter((b) => (!q.shift || b.shift === q.shift) && (!q.day_of_week || b.day_of_week === q.day_of_week)),
    async list(q: { year?: number; campus_id?: string }) {
      const year = q.year ?? Number(today(deps).slice(0, 4));
      return (await repo.between(`${year}-01-01`, `${year}-12-31`, q.campus_id)).map(nonTeachingDayView);
    },
    async create(input: { date: string; name: string; campus_id?: string | null }, actor: Actor) {
      if (input.campus_id && !(await campuses.get(input.campus_id))) throw scheduleErrors.referenceNotFound('campus_id', input.campus_id);
      const [row] = await onUniqueViolation(
        () => repo.insertMany([{ date: input.date, name: input.name.trim(), campusId: input.campus_id ?? null, source: 'MANUAL', createdBy: actor.sub, updatedBy: actor.sub }]),
        { non_teaching_days_date_campus_uq: exists },
      );
      // insertMany skips a day already registered: nothing inserted means it existed.
      if (!row) throw exists();
      return nonTeachingDayView(row);
    },
    async remove(id: string) {
      if (!(await repo.get(id))) throw errors.notFound('NON_TEACHING_DAY_NOT_FOUND', 'Día no hábil no encontrado');
      await repo.remove(id);
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
