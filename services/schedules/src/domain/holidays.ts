/** Colombian national holidays (R25): fixed, moved to the following Monday (Ley Emiliani), Easter-based. */
import { addDays, isoWeekday } from './calendar.ts';

export interface Holiday {
  date: string;
  name: string;
}

/** Easter Sunday, anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function nextMonday(date: string): string {
  const wd = isoWeekday(date);
  return wd === 1 ? date : addDays(date, 8 - wd);
}

const pad = (n: number) => String(n).padStart(2, '0');

export function colombianHolidays(year: number): Holiday[] {
  const d = (m: number, day: number) => `${year}-${pad(m)}-${pad(day)}`;
  const e = easterSunday(year);
  const list: Holiday[] = [
    { date: d(1, 1), name: 'Año Nuevo' },
    { date: d(5, 1), name: 'Día del Trabajo' },
    { date: d(7, 20), name: 'Día de la Independencia' },
    { date: d(8, 7), name: 'Batalla de Boyacá' },
    { date: d(12, 8), name: 'Inmaculada Concepción' },
    { date: d(12, 25), name: 'Navidad' },
    { date: nextMonday(d(1, 6)), name: 'Reyes Magos' },
    { date: nextMonday(d(3, 19)), name: 'San José' },
    { date: nextMonday(d(6, 29)), name: 'San Pedro y San Pablo' },
    { date: nextMonday(d(8, 15)), name: 'Asunción de la Virgen' },
    { date: nextMonday(d(10, 12)), name: 'Día de la Raza' },
    { date: nextMonday(d(11, 1)), name: 'Todos los Santos' },
    { date: nextMonday(d(11, 11)), name: 'Independencia de Cartagena' },
    { date: addDays(e, -3), name: 'Jueves Santo' },
    { date: addDays(e, -2), name: 'Viernes Santo' },
    { date: addDays(e, 43), name: 'Ascensión del Señor' },
    { date: addDays(e, 64), name: 'Corpus Christi' },
    { date: addDays(e, 71), name: 'Sagrado Corazón' },
  ];
  return list.sort((a, b) => a.date.localeCompare(b.date));
}
