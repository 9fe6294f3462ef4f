/**
 * The `schedules` schema: every table of this service lives here and nowhere else (00-conventions §5).
 * Local dates and times of day are Postgres `date`/`time` read as strings, never JS Dates.
 */
import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, pgSchema, text, time, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { outboxTable, seedRunsTable } from '@sicora/platform/tables';

export const schedulesSchema = pgSchema('schedules');

export const outbox = outboxTable(schedulesSchema);
export const seedRuns = seedRunsTable(schedulesSchema);

const audit = {
  createdBy: uuid(),
  updatedBy: uuid(),
  createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
  updatedAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
};

export const campuses = schedulesSchema.table('campuses', {
  id: uuid().primaryKey().defaultRandom(),
  code: text().notNull().unique(),
  name: text().notNull(),
  address: text(),
  city: text().notNull().default('Bogotá D.C.'),
  isActive: boolean().notNull().default(true),
  // Accent-free lower-case "code name" kept by the application: unaccent() cannot feed an index.
  searchText: text().notNull(),
  ...audit,
});

export const venues = schedulesSchema.table(
  'venues',
  {
    id: uuid().primaryKey().defaultRandom(),
    campusId: uuid()
      .notNull()
      .references(() => campuses.id, { onDelete: 'restrict' }),
    code: text().notNull().unique(),
    name: text().notNull(),
    type: text({ enum: ['AULA', 'LABORATORIO', 'TALLER', 'AUDITORIO', 'BIBLIOTECA'] }).notNull(),
    capacity: integer().notNull(),
    floor: text(),
    building: text(),
    equipment: text(),
    isActive: boolean().notNull().default(true),
    searchText: text().notNull(),
    ...audit,
  },
  (t) => [index('venues_campus_idx').on(t.campusId)],
);

export const programs = schedulesSchema.table('programs', {
  id: uuid().primaryKey().defaultRandom(),
  code: text().notNull().unique(),
  name: text().notNull(),
  level: text({ enum: ['TECNICO', 'TECNOLOGO', 'ESPECIALIZACION', 'COMPLEMENTARIO', 'CURSO_CORTO'] }).notNull(),
  durationMonths: integer().notNull(),
  quarters: integer(),
  description: text(),
  isActive: boolean().notNull().default(true),
  searchText: text().notNull(),
  ...audit,
});

export const groups = schedulesSchema.table(
  'groups',
  {
    id: uuid().primaryKey().defaultRandom(),
    number: text().notNull().unique(),
    programId: uuid()
      .notNull()
      .references(() => programs.id, { onDelete: 'restrict' }),
    campusId: uuid()
      .notNull()
      .references(() => campuses.id, { onDelete: 'restrict' }),
    shift: text({ enum: ['MANANA', 'TARDE', 'NOCHE'] }).notNull(),
    startDate: date({ mode: 'string' }).notNull(),
    endDate: date({ mode: 'string' }).notNull(),
    currentQuarter: integer().notNull().default(1),
    maxApprentices: integer(),
    notes: text(),
    isActive: boolean().notNull().default(true),
    searchText: text().notNull(),
    ...audit,
  },
  (t) => [index('groups_program_idx').on(t.programId), index('groups_campus_idx').on(t.campusId)],
);

export const groupAssignments = schedulesSchema.table(
  'group_assignments',
  {
    id: uuid().primaryKey().defaultRandom(),
    groupId: uuid()
      .notNull()
      .references(() => groups.id, { onDelete: 'restrict' }),
    instructorId: uuid().notNull(),
    role: text({ enum: ['director', 'instructor'] }).notNull(),
    subject: text(),
    startDate: date({ mode: 'string' }).notNull(),
    endDate: date({ mode: 'string' }),
    notes: text(),
    ...audit,
  },
  (t) => [index('group_assignments_group_idx').on(t.groupId), index('group_assignments_instructor_idx').on(t.instructorId)],
);

export const scheduleEntries = schedulesSchema.table(
  'schedule_entries',
  {
    id: uuid().primaryKey().defaultRandom(),
    groupId: uuid()
      .notNull()
      .references(() => groups.id, { onDelete: 'restrict' }),
    instructorId: uuid().notNull(),
    venueId: uuid()
      .notNull()
      .references(() => venues.id, { onDelete: 'restrict' }),
    subject: text().notNull(),
    dayOfWeek: integer().notNull(),
    startTime: time().notNull(),
    endTime: time().notNull(),
    startDate: date({ mode: 'string' }).notNull(),
    endDate: date({ mode: 'string' }).notNull(),
    status: text({ enum: ['ACTIVE', 'CANCELLED'] }).notNull().default('ACTIVE'),
    cancelledFrom: date({ mode: 'string' }),
    cancelReason: text(),
    replacedById: uuid(),
    notes: text(),
    ...audit,
  },
  (t) => [
    index('schedule_entries_instructor_day_idx').on(t.instructorId, t.dayOfWeek),
    index('schedule_entries_venue_day_idx').on(t.venueId, t.dayOfWeek),
    index('schedule_entries_group_day_idx').on(t.groupId, t.dayOfWeek),
    index('schedule_entries_dates_idx').on(t.startDate, t.endDate),
  ],
);

export const sessionExceptions = schedulesSchema.table(
  'session_exceptions',
  {
    id: uuid().primaryKey().defaultRandom(),
    scheduleId: uuid()
      .notNull()
      .references(() => scheduleEntries.id, { onDelete: 'cascade' }),
    date: date({ mode: 'string' }).notNull(),
    kind: text({ enum: ['CANCELLED', 'CHANGED'] }).notNull(),
    instructorId: uuid(),
    venueId: uuid().references(() => venues.id, { onDelete: 'restrict' }),
    reason: text().notNull(),
    ...audit,
  },
  (t) => [unique('session_exceptions_schedule_date_uq').on(t.scheduleId, t.date), index('session_exceptions_date_idx').on(t.date)],
);

export const nonTeachingDays = schedulesSchema.table(
  'non_teaching_days',
  {
    id: uuid().primaryKey().defaultRandom(),
    date: date({ mode: 'string' }).notNull(),
    name: text().notNull(),
    campusId: uuid().references(() => campuses.id, { onDelete: 'cascade' }),
    source: text({ enum: ['HOLIDAY', 'MANUAL'] }).notNull(),
    ...audit,
  },
  // NULLS NOT DISTINCT: a plain unique index would let a centre-wide (null campus) day repeat.
  (t) => [unique('non_teaching_days_date_campus_uq').on(t.date, t.campusId).nullsNotDistinct()],
);
