/**
 * Demo data of schedules.md §11, written straight into this service's tables (no call to users: start-up
 * order, 01-architecture §1). Fixed `5eed…` ids, insert-if-absent, completion recorded in seed_runs, so an
 * interrupted first start finishes on the next one. Dates are relative to M, the Monday of the seed week.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '@sicora/platform/db';
import { seedHolidays } from '../application/calendar.service.ts';
import { addDays, mondayOf, toLocal } from '../domain/calendar.ts';
import { searchText } from '../domain/text.ts';
import { campuses, groupAssignments, groups, nonTeachingDays, programs, scheduleEntries, seedRuns, sessionExceptions, venues } from '../infrastructure/db/schema.ts';
import { createNonTeachingDaysRepo } from '../infrastructure/non-teaching-days.repo.ts';

export const DEMO_SEED = 'schedules-demo';

export const demoId = (kk: number, nn: number) => `5eed00${String(kk).padStart(2, '0')}-0000-4000-8000-${String(nn).padStart(12, '0')}`;
const instructor = (nn: number) => `5eed0001-0000-4000-8000-${String(nn).padStart(12, '0')}`;

const CAMPUSES = [
  { nn: 1, code: 'CALLE52', name: 'Sede Calle 52', address: 'Calle 52 # 13-65' },
  { nn: 2, code: 'FONTIBON', name: 'Sede Fontibón', address: null },
];
const VENUES: Array<[number, number, string, string, 'AULA' | 'LABORATORIO' | 'TALLER' | 'AUDITORIO', number, string | null]> = [
  [1, 1, '191', 'Aula 191', 'AULA', 30, '1'],
  [2, 1, '205', 'Laboratorio de software', 'LABORATORIO', 30, '2'],
  [3, 1, '412', 'Aula 412', 'AULA', 35, '4'],
  [4, 1, '413', 'Laboratorio de redes', 'LABORATORIO', 25, '4'],
  [5, 1, '509', 'Auditorio', 'AUDITORIO', 120, '5'],
  [6, 2, 'F101', 'Aula F101', 'AULA', 30, null],
  [7, 2, 'F102', 'Taller de mantenimiento', 'TALLER', 20, null],
  [8, 2, 'F201', 'Laboratorio de programación', 'LABORATORIO', 28, null],
];
const PROGRAMS: Array<[number, string, string, 'TECNICO' | 'TECNOLOGO' | 'ESPECIALIZACION' | 'COMPLEMENTARIO' | 'CURSO_CORTO', number, number | null]> = [
  [1, 'ADSO', 'Análisis y Desarrollo de Software', 'TECNOLOGO', 24, 7],
  [2, 'GRD', 'Gestión de Redes de Datos', 'TECNOLOGO', 24, null],
  [3, 'SIS', 'Sistemas', 'TECNICO', 18, null],
  [4, 'PROGSOFT', 'Programación de Software', 'TECNICO', 18, null],
  [5, 'CIBER', 'Seguridad Informática', 'ESPECIALIZACION', 12, null],
  [6, 'INGTEC', 'Inglés Técnico para TI', 'COMPLEMENTARIO', 6, null],
  [7, 'SCRUM', 'Fundamentos de Scrum', 'CURSO_CORTO', 3, null],
];
// [nn, ficha nn, weekday, start hour, end hour, subject, instructor nn, venue nn]
const ENTRIES: Array<[number, number, number, number, number, string, number, number]> = [
  [1, 1, 1, 6, 9, 'Construcción de software: backend', 12, 2],
  [2, 1, 1, 9, 12, 'Inglés técnico', 13, 3],
  [3, 1, 2, 6, 9, 'Bases de datos: modelado y SQL', 11, 4],
  [4, 1, 2, 9, 12, 'Ética y emprendimiento', 14, 1],
  [5, 1, 3, 6, 9, 'Análisis y diseño de sistemas', 10, 2],
  [6, 1, 3, 9, 12, 'Matemáticas aplicadas', 15, 3],
  [7, 1, 4, 6, 9, 'Construcción de software: frontend', 12, 2],
  [8, 1, 4, 9, 12, 'Bases de datos: modelado y SQL', 11, 4],
  [9, 1, 5, 6, 9, 'Análisis y diseño de sistemas', 10, 2],
  [10, 1, 5, 9, 11, 'Inglés técnico', 13, 3],
  [11, 2, 1, 12, 15, 'Lógica de programación', 10, 8],
  [12, 2, 1, 15, 18, 'Matemáticas básicas', 15, 6],
  [13, 2, 2, 12, 15, 'Programación orientada a objetos', 12, 8],
  [14, 2, 2, 15, 18, 'Inglés técnico', 13, 6],
  [15, 2, 3, 12, 15, 'Bases de datos', 11, 8],
  [16, 2, 3, 15, 18, 'Ética y emprendimiento', 14, 6],
  [17, 2, 4, 12, 15, 'Soporte y mantenimiento de equipos', 15, 7],
  [18, 2, 4, 15, 18, 'Lógica de programación', 10, 8],
  [19, 2, 5, 12, 15, 'Programación orientada a objetos', 12, 8],
  [20, 2, 5, 15, 17, 'Bases de datos', 11, 8],
];
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

export async function seedSchedulesDemo(database: Database, opts: { now?: () => Date; timeZone?: string } = {}): Promise<void> {
  const db = database.db;
  if ((await db.select().from(seedRuns).where(eq(seedRuns.name, DEMO_SEED))).length) return;
  const now = opts.now ?? (() => new Date());
  const timeZone = opts.timeZone ?? 'America/Bogota';
  // The exception's date depends on the holidays, so they come first (idempotent).
  await seedHolidays({ nonTeachingDays: createNonTeachingDaysRepo(db) }, { now, timeZone });
  const M = mondayOf(toLocal(now(), timeZone).date);
  const closed = new Set((await db.select({ date: nonTeachingDays.date }).from(nonTeachingDays)).map((d) => d.date));
  await db.transaction(async (tx) => {
    await tx
      .insert(campuses)
      .values(CAMPUSES.map((c) => ({ id: demoId(2, c.nn), code: c.code, name: c.name, address: c.address, city: 'Bogotá D.C.', searchText: searchText(c.code, c.name) })))
      .onConflictDoNothing();
    await tx
      .insert(venues)
      .values(VENUES.map(([nn, campus, code, name, type, capacity, floor]) => ({ id: demoId(3, nn), campusId: demoId(2, campus), code, name, type, capacity, floor, searchText: searchText(code, name) })))
      .onConflictDoNothing();
    await tx
      .insert(programs)
      .values(PROGRAMS.map(([nn, code, name, level, months, quarters]) => ({ id: demoId(4, nn), code, name, level, durationMonths: months, quarters, searchText: searchText(code, name) })))
      .onConflictDoNothing();
    await tx
      .insert(groups)
      .values([
        { id: demoId(5, 1), number: '2826503', programId: demoId(4, 1), campusId: demoId(2, 1), shift: 'MANANA' as const, startDate: addDays(M, -182), endDate: addDays(M, 546), currentQuarter: 3, maxApprentices: 35, searchText: searchText('2826503') },
        { id: demoId(5, 2), number: '2901817', programId: demoId(4, 4), campusId: demoId(2, 2), shift: 'TARDE' as const, startDate: addDays(M, -28), endDate: addDays(M, 476), currentQuarter: 1, maxApprentices: 30, searchText: searchText('2901817') },
      ])
      .onConflictDoNothing();
    await tx
      .insert(groupAssignments)
      .values([
        { id: demoId(7, 1), groupId: demoId(5, 1), instructorId: instructor(10), role: 'director' as const, startDate: addDays(M, -182), endDate: null },
        { id: demoId(7, 2), groupId: demoId(5, 2), instructorId: instructor(11), role: 'director' as const, startDate: addDays(M, -28), endDate: null },
      ])
      .onConflictDoNothing();
    await tx
      .insert(scheduleEntries)
      .values(
        ENTRIES.map(([nn, ficha, dow, from, to, subject, ins, venue]) => ({
          id: demoId(6, nn),
          groupId: demoId(5, ficha),
          instructorId: instructor(ins),
          venueId: demoId(3, venue),
          subject,
          dayOfWeek: dow,
          startTime: hh(from),
          endTime: hh(to),
          startDate: addDays(M, -14),
          endDate: addDays(M, 69),
        })),
      )
      .onConflictDoNothing();
    let wednesday = addDays(M, 9);
    while (closed.has(wednesday)) wednesday = addDays(wednesday, 7);
    await tx
      .insert(sessionExceptions)
      .values({ id: demoId(8, 1), scheduleId: demoId(6, 5), date: wednesday, kind: 'CHANGED', venueId: demoId(3, 5), reason: 'Charla de arquitectura de software en el auditorio' })
      .onConflictDoNothing();
    await tx.insert(seedRuns).values({ name: DEMO_SEED }).onConflictDoNothing();
  });
}
