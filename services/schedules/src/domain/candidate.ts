/** Validation of one weekly entry against its ficha: slot (R7, R8) and dates (R10). Pure. */
import { daysBetween, firstWeekdayOnOrAfter } from './calendar.ts';
import { scheduleErrors } from './errors.ts';
import { resolveSlot, type Shift } from './shifts.ts';

export interface EntryInput {
  day_of_week?: number;
  start_time?: string;
  end_time?: string;
  blocks?: string;
  start_date: string;
  end_date: string;
}

export interface GroupPeriod {
  shift: Shift;
  startDate: string;
  endDate: string;
}

export function validateEntry(group: GroupPeriod, input: EntryInput) {
  const slot = resolveSlot({ shift: group.shift, day_of_week: input.day_of_week, start_time: input.start_time, end_time: input.end_time, blocks: input.blocks });
  checkDates(group, input.start_date, input.end_date, slot.day_of_week);
  return { ...slot, start_date: input.start_date, end_date: input.end_date };
}

export function checkDates(group: GroupPeriod, start: string, end: string, dayOfWeek: number) {
  if (start > end) throw scheduleErrors.datesOrder();
  if (start < group.startDate || end > group.endDate) throw scheduleErrors.outsideGroupPeriod(group.startDate, group.endDate);
  if (daysBetween(start, end) + 1 > 366) throw scheduleErrors.rangeTooLong(366);
  if (firstWeekdayOnOrAfter(start, dayOfWeek, end) === null) throw scheduleErrors.noOccurrences();
}
