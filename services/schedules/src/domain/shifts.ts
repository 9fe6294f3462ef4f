/**
 * The fixed shift and block catalogue of schedules.md §3.5 (R6: not configurable) and block parsing (R7).
 */
import { DAY_CODES, DAY_NAMES } from './calendar.ts';
import { scheduleErrors } from './errors.ts';

export const SHIFTS = ['MANANA', 'TARDE', 'NOCHE'] as const;
export type Shift = (typeof SHIFTS)[number];

interface ShiftDef {
  code: Shift;
  label: string;
  letter: 'M' | 'T' | 'N';
  weekday: [number, number];
  saturday: [number, number];
}

export const SHIFT_CATALOGUE: readonly ShiftDef[] = [
  { code: 'MANANA', label: 'Mañana', letter: 'M', weekday: [6, 12], saturday: [6, 12] },
  { code: 'TARDE', label: 'Tarde', letter: 'T', weekday: [12, 18], saturday: [12, 18] },
  { code: 'NOCHE', label: 'Noche', letter: 'N', weekday: [18, 22], saturday: [6, 18] },
];

export function hh(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

export function hourOf(time: string): number {
  return Number(time.slice(0, 2));
}

function def(shift: Shift): ShiftDef {
  return SHIFT_CATALOGUE.find((s) => s.code === shift)!;
}

/** The [start, end) hours of a shift on an ISO weekday, or null on Sunday. */
export function shiftWindow(shift: Shift, dayOfWeek: number): [number, number] | null {
  if (dayOfWeek < 1 || dayOfWeek > 6) return null;
  const d = def(shift);
  return dayOfWeek === 6 ? d.saturday : d.weekday;
}

export interface Block {
  id: string;
  shift: Shift;
  day_of_week: number;
  ordinal: number;
  start_time: string;
  end_time: string;
}

export function blocksOfDay(shift: Shift, dayOfWeek: number): Block[] {
  const w = shiftWindow(shift, dayOfWeek);
  if (!w) return [];
  const out: Block[] = [];
  for (let h = w[0], n = 1; h < w[1]; h++, n++) {
    out.push({ id: `${def(shift).letter}${DAY_CODES[dayOfWeek - 1]}${n}`, shift, day_of_week: dayOfWeek, ordinal: n, start_time: hh(h), end_time: hh(h + 1) });
  }
  return out;
}

export function allBlocks(): Block[] {
  return SHIFTS.flatMap((s) => [1, 2, 3, 4, 5, 6].flatMap((d) => blocksOfDay(s, d)));
}

export function shiftCatalogue() {
  return SHIFT_CATALOGUE.map((s) => ({
    code: s.code,
    label: s.label,
    letter: s.letter,
    windows: [1, 2, 3, 4, 5, 6].map((d) => {
      const [a, b] = shiftWindow(s.code, d)!;
      return { day_of_week: d, start_time: hh(a), end_time: hh(b) };
    }),
  }));
}

const BLOCK_RE = /^([MTN])(LUN|MAR|MIE|JUE|VIE|SAB)([1-9]|1[0-2])$/;

function parseOne(id: string) {
  const m = BLOCK_RE.exec(id);
  if (!m) return null;
  const shift = SHIFT_CATALOGUE.find((s) => s.letter === m[1])!.code;
  const dayOfWeek = DAY_CODES.indexOf(m[2] as (typeof DAY_CODES)[number]) + 1;
  const ordinal = Number(m[3]);
  const block = blocksOfDay(shift, dayOfWeek)[ordinal - 1];
  return block ?? null;
}

export interface BlockRange {
  shift: Shift;
  day_of_week: number;
  start_time: string;
  end_time: string;
}

/** `MLUN2` or an ascending range of the same letter and day `MLUN1-MLUN3` (R7); else INVALID_BLOCK. */
export function parseBlocks(input: string): BlockRange {
  const parts = input.trim().toUpperCase().split('-').map((p) => p.trim());
  if (parts.length < 1 || parts.length > 2) throw scheduleErrors.invalidBlock(input);
  const first = parseOne(parts[0]);
  const last = parts.length === 2 ? parseOne(parts[1]) : first;
  if (!first || !last) throw scheduleErrors.invalidBlock(input);
  if (first.shift !== last.shift || first.day_of_week !== last.day_of_week || last.ordinal < first.ordinal) {
    throw scheduleErrors.invalidBlock(input);
  }
  return { shift: first.shift, day_of_week: first.day_of_week, start_time: first.start_time, end_time: last.end_time };
}

/** Block ids covering [start, end) of a day in a shift (R9: derived, never stored). */
export function blocksFor(shift: Shift, dayOfWeek: number, startTime: string, endTime: string): string[] {
  const [a, b] = [hourOf(startTime), hourOf(endTime)];
  return blocksOfDay(shift, dayOfWeek)
    .filter((bl) => hourOf(bl.start_time) >= a && hourOf(bl.end_time) <= b)
    .map((bl) => bl.id);
}

export function dayName(dayOfWeek: number): (typeof DAY_NAMES)[number] {
  return DAY_NAMES[dayOfWeek - 1];
}

export interface SlotInput {
  shift: Shift;
  day_of_week?: number;
  start_time?: string;
  end_time?: string;
  blocks?: string;
}

/**
 * Resolves the weekly slot from times and/or blocks (R7) and checks it against the ficha's shift (R8).
 */
export function resolveSlot(input: SlotInput): { day_of_week: number; start_time: string; end_time: string } {
  let day = input.day_of_week;
  let start = input.start_time;
  let end = input.end_time;
  if (input.blocks !== undefined && input.blocks !== '') {
    const range = parseBlocks(input.blocks);
    if (range.shift !== input.shift) throw scheduleErrors.outsideShift(input.shift, range.day_of_week);
    const given = [day, start, end];
    if (given.some((v) => v !== undefined)) {
      const same =
        (day === undefined || day === range.day_of_week) &&
        (start === undefined || normalizeTime(start) === range.start_time) &&
        (end === undefined || normalizeTime(end) === range.end_time);
      if (!same) throw scheduleErrors.blockMismatch(input.blocks);
    }
    day = range.day_of_week;
    start = range.start_time;
    end = range.end_time;
  }
  if (day === undefined || start === undefined || end === undefined) throw scheduleErrors.slotMissing();
  start = normalizeTime(start);
  end = normalizeTime(end);
  if (!/^\d{2}:00$/.test(start) || !/^\d{2}:00$/.test(end) || hourOf(start) > 24 || hourOf(end) > 24) {
    throw scheduleErrors.notWholeHours();
  }
  if (start >= end) throw scheduleErrors.timesOrder();
  const w = shiftWindow(input.shift, day);
  if (!w || hourOf(start) < w[0] || hourOf(end) > w[1]) throw scheduleErrors.outsideShift(input.shift, day);
  return { day_of_week: day, start_time: start, end_time: end };
}

/** `7:00`, `07:00` or `07:00:00` → `07:00`. */
export function normalizeTime(value: string): string {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(value.trim());
  if (!m) return value;
  return `${m[1].padStart(2, '0')}:${m[2]}`;
}
