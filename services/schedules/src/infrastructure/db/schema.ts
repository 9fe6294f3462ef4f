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
  createdBy: uuid('created_by'),
  updatedBy: uuid('updated_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
};

export const campuses = schedulesSchema.table('campuses', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  address: text('address'),
  city: text('city').notNull().default('Bogotá D.C.'),
  isActive: boolean('is_active').notNull().default(true),
  // Accent-free lower-case "code name" kept by the application: unaccent() cannot feed an index.
  searchText: text('search_text').notNull(),
  ...audit,
});

export const venues = schedulesSchema.table(
  'venues',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campusId: uuid('campus_id')
      .notNull()
      .references(() => campuses.id, { onDelete: 'restrict' }),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    type: text('type', { enum: ['AULA', 'LABORATORIO', 'TALLER', 'AUDITORIO', 'BIBLIOTECA'] }).notNull(),
    capacity: integer('capacity').notNull(),
    floor: text('floor'),
    building: text('building'),
    equipment: text('equipment'),
    isActive: boolean('is_active').notNull().default(true),
    searchText: text('search_text').notNull(),
    ...audit,
  },
  (t) => [index('venues_campus_idx').on(t.campusId)],
);

export const programs = schedulesSchema.table('programs', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  level: text('level', { enum: ['TECNICO', 'TECNOLOGO', 'ESPECIALIZACION', 'COMPLEMENTARIO', 'CURSO_CORTO'] }).notNull(),
  durationMonths: integer('duration_months').notNull(),
  quarters: integer('quarters'),
  description: text('description'),
  isActive: boolean('is_active').notNull().default(true),
  searchText: text('search_text').notNull(),
  ...audit,
});

export const groups = schedulesSchema.table(
  'groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull().unique(),
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'restrict' }),
    campusId: uuid('campus_id')
      .notNull()
      .references(() => campuses.id, { onDelete: 'restrict' }),
    shift: text('shift', { enum: ['MANANA', 'TARDE', 'NOCHE'] }).notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    currentQuarter: integer('current_quarter').notNull().default(1),
    maxApprentices: integer('max_apprentices'),
    notes: text('notes'),
    isActive: boolean('is_active').notNull().default(true),
    searchText: text('search_text').notNull(),
    ...audit,
  },
  (t) => [index('groups_program_idx').on(t.programId), index('groups_campus_idx').on(t.campusId)],
);

export const groupAssignments = schedulesSchema.table(
  'group_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    groupId: uuid('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'restrict' }),
    instructorId: uuid('instructor_id').notNull(),
    role: text('role', { enum: ['director', 'instructor'] }).notNull(),
    subject: text('subject'),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    notes: text('notes'),
    ...audit,
  },
  (t) => [index('group_assignments_group_idx').on(t.groupId), index('group_assignments_instructor_idx').on(t.instructorId)],
);

export const scheduleEntries = schedulesSchema.table(
  'schedule_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    groupId: uuid('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'restrict' }),
    instructorId: uuid('instructor_id').notNull(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id, { onDelete: 'restrict' }),
    subject: text('subject').notNull(),
    dayOfWeek: integer('day_of_week').notNull(),
    startTime: time('start_time').notNull(),
    endTime: time('end_time').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    status: text('status', { enum: ['ACTIVE', 'CANCELLED'] }).notNull().default('ACTIVE'),
    cancelledFrom: date('cancelled_from', { mode: 'string' }),
    cancelReason: text('cancel_reason'),
    replacedById: uuid('replaced_by_id'),
    notes: text('notes'),
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
    id: uuid('id').primaryKey().defaultRandom(),
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => scheduleEntries.id, { onDelete: 'cascade' }),
    date: date('date', { mode: 'string' }).notNull(),
    kind: text('kind', { enum: ['CANCELLED', 'CHANGED'] }).notNull(),
    instructorId: uuid('instructor_id'),
    venueId: uuid('venue_id').references(() => venues.id, { onDelete: 'restrict' }),
    reason: text('reason').notNull(),
    ...audit,
  },
  (t) => [unique('session_exceptions_schedule_date_uq').on(t.scheduleId, t.date), index('session_exceptions_date_idx').on(t.date)],
);

export const nonTeachingDays = schedulesSchema.table(
  'non_teaching_days',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    date: date('date', { mode: 'string' }).notNull(),
    name: text('name').notNull(),
    campusId: uuid('campus_id').references(() => campuses.id, { onDelete: 'cascade' }),
    source: text('source', { enum: ['HOLIDAY', 'MANUAL'] }).notNull(),
    ...audit,
  },
  // NULLS NOT DISTINCT: a plain unique index would let a centre-wide (null campus) day repeat.
  (t) => [unique('non_teaching_days_date_campus_uq').on(t.date, t.campusId).nullsNotDistinct()],
);
