/**
 * Schedule entry queries: the joined rows behind ScheduleView and sessions, and the conflict slots of
 * R13 loaded set-based (one query for entries, one for CHANGED exceptions) for any number of candidates.
 */
import { and, asc, desc, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { SelectedFields } from 'drizzle-orm/pg-core';
import type { Db } from '@sicora/platform/db';
import { countTotal, listPage, withTotal } from '@sicora/platform/list-page';
import type { SortSpec } from '@sicora/platform/pagination';
import type { ConflictKind, Slot } from '../domain/conflicts.ts';
import { campuses, groups, programs, scheduleEntries, sessionExceptions, venues } from './db/schema.ts';
import { chunks, effectiveEnd } from './db/helpers.ts';

export type EntryRow = typeof scheduleEntries.$inferSelect;
export type EntryInsert = typeof scheduleEntries.$inferInsert;
export type EntrySortField = 'day_of_week' | 'start_time' | 'start_date' | 'created_at';

const venueCampus = alias(campuses, 'venue_campus');
const groupCampus = alias(campuses, 'group_campus');

export interface EntryFilter {
  ids?: string[];
  group_ids?: string[];
  group_number?: string;
  instructor_id?: string;
  venue_id?: string;
  campus_id?: string;
  program_id?: string;
  day_of_week?: number;
  shift?: string;
  status?: string;
  /** Effective range overlaps [from, to]. */
  from?: string;
  to?: string;
  subject?: string;
  /** Also entries whose exceptions in [from, to] name this instructor / venue (sessions use effective values). */
  or_exception_instructor?: string;
  or_exception_venue?: string;
}

/** Where a keyset read of one date's entries resumes: the last entry read, in session order. */
export interface SessionKey {
  start_time: string;
  group_number: string;
  id: string;
}

export interface JoinedEntry {
  e: EntryRow;
  group: { id: string; number: string; shift: 'MANANA' | 'TARDE' | 'NOCHE'; startDate: string; endDate: string; isActive: boolean; campusId: string };
  program: { id: string; code: string; name: string };
  groupCampus: { id: string; code: string; name: string };
  venue: { id: string; code: string; name: string; type: (typeof venues.$inferSelect)['type']; capacity: number; campusId: string };
  venueCampus: { id: string; code: string; name: string };
}

function entryWhere(f: EntryFilter): SQL | undefined {
  const c: Array<SQL | undefined> = [];
  if (f.ids) c.push(f.ids.length ? inArray(scheduleEntries.id, f.ids) : sql`false`);
  if (f.group_ids) c.push(f.group_ids.length ? inArray(scheduleEntries.groupId, f.group_ids) : sql`false`);
  if (f.group_number) c.push(eq(groups.number, f.group_number));
  const exWindow = f.from && f.to ? sql`AND x.date BETWEEN ${f.from}::date AND ${f.to}::date` : sql``;
  if (f.instructor_id) {
    c.push(
      f.or_exception_instructor
        ? or(eq(scheduleEntries.instructorId, f.instructor_id), sql`${scheduleEntries.id} IN (SELECT x.schedule_id FROM ${sessionExceptions} x WHERE x.instructor_id = ${f.or_exception_instructor} ${exWindow})`)
        : eq(scheduleEntries.instructorId, f.instructor_id),
    );
  }
  if (f.venue_id) {
    c.push(
      f.or_exception_venue
        ? or(eq(scheduleEntries.venueId, f.venue_id), sql`${scheduleEntries.id} IN (SELECT x.schedule_id FROM ${sessionExceptions} x WHERE x.venue_id = ${f.or_exception_venue} ${exWindow})`)
        : eq(scheduleEntries.venueId, f.venue_id),
    );
  }
  if (f.campus_id) c.push(eq(venues.campusId, f.campus_id));
  if (f.program_id) c.push(eq(groups.programId, f.program_id));
  if (f.day_of_week) c.push(eq(scheduleEntries.dayOfWeek, f.day_of_week));
  if (f.shift) c.push(eq(groups.shift, f.shift as 'MANANA'));
  if (f.status) c.push(eq(scheduleEntries.status, f.status as 'ACTIVE'));
  if (f.from) c.push(sql`${effectiveEnd} >= ${f.from}::date`);
  if (f.to) c.push(lte(scheduleEntries.startDate, f.to));
  if (f.subject) c.push(sql`lower(${scheduleEntries.subject}) LIKE ${`%${f.subject.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`}`);
  return and(...c);
}

/** The default order of entry lists and sessions: weekday, start time, ficha number. */
const BY_SLOT = [asc(scheduleEntries.dayOfWeek), asc(scheduleEntries.startTime), asc(groups.number)];

function sortOrder(sort: SortSpec<EntrySortField>): SQL[] {
  const col = { day_of_week: scheduleEntries.dayOfWeek, start_time: scheduleEntries.startTime, start_date: scheduleEntries.startDate, created_at: scheduleEntries.createdAt }[sort.field];
  return [sort.direction === 'desc' ? desc(col) : asc(col), asc(scheduleEntries.startTime), asc(groups.number)];
}

export function createEntriesRepo(db: Db) {
  const selection = {
    e: scheduleEntries,
    group: { id: groups.id, number: groups.number, shift: groups.shift, startDate: groups.startDate, endDate: groups.endDate, isActive: groups.isActive, campusId: groups.campusId },
    program: { id: programs.id, code: programs.code, name: programs.name },
    groupCampus: { id: groupCampus.id, code: groupCampus.code, name: groupCampus.name },
    venue: { id: venues.id, code: venues.code, name: venues.name, type: venues.type, capacity: venues.capacity, campusId: venues.campusId },
    venueCampus: { id: venueCampus.id, code: venueCampus.code, name: venueCampus.name },
  };
  // Untyped selection: the callers cast rows to JoinedEntry (plus `total` for a page).
  const joinedWith = (fields: SelectedFields) =>
    db
      .select(fields)
      .from(scheduleEntries)
      .innerJoin(groups, eq(groups.id, scheduleEntries.groupId))
      .innerJoin(programs, eq(programs.id, groups.programId))
      .innerJoin(groupCampus, eq(groupCampus.id, groups.campusId))
      .innerJoin(venues, eq(venues.id, scheduleEntries.venueId))
      .innerJoin(venueCampus, eq(venueCampus.id, venues.campusId));
  const joined = () => joinedWith(selection);
  const counted = (f: EntryFilter) =>
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(scheduleEntries)
      .innerJoin(groups, eq(groups.id, scheduleEntries.groupId))
      .innerJoin(venues, eq(venues.id, scheduleEntries.venueId))
      .where(entryWhere(f));
  return {
    /** Joined entries matching `f`, by slot unless `sort` is given; every match without `limit`. */
    async find(f: EntryFilter, sort?: SortSpec<EntrySortField>, limit?: number, offset = 0): Promise<JoinedEntry[]> {
      const q = joined().where(entryWhere(f)).orderBy(...(sort ? sortOrder(sort) : BY_SLOT), asc(scheduleEntries.id));
      return (limit === undefined ? await q : await q.limit(limit).offset(offset)) as unknown as JoinedEntry[];
    },
    /**
     * The entries with an occurrence on `date` (its weekday, inside the effective range) matching `f`, in
     * session order (start time, ficha number, id), the `limit` after `after`: a keyset read (W5 streams
     * with it), never OFFSET, so each row is read once however long the export.
     */
    async occurringOn(date: string, dayOfWeek: number, f: EntryFilter, after: SessionKey | undefined, limit: number): Promise<JoinedEntry[]> {
      const keyset = after
        ? sql`(${scheduleEntries.startTime}, ${groups.number}, ${scheduleEntries.id}) > (${after.start_time}::time, ${after.group_number}, ${after.id}::uuid)`
        : undefined;
      const rows = await joined()
        .where(and(entryWhere({ ...f, day_of_week: dayOfWeek, from: date, to: date }), keyset))
        .orderBy(asc(scheduleEntries.startTime), asc(groups.number), asc(scheduleEntries.id))
        .limit(limit);
      return rows as unknown as JoinedEntry[];
    },
    /** One page of `find` and the number of matches, in one statement (the count as a subquery: the list grows). */
    async findPage(f: EntryFilter, sort: SortSpec<EntrySortField>, limit: number, offset: number): Promise<{ rows: JoinedEntry[]; total: number }> {
      const page = joinedWith(withTotal(selection, countTotal(counted(f))))
        .where(entryWhere(f))
        .orderBy(...sortOrder(sort), asc(scheduleEntries.id))
        .limit(limit)
        .offset(offset);
      const { rows, total } = await listPage(page as unknown as Promise<Array<JoinedEntry & { total: number }>>, offset, async () => (await counted(f))[0].n);
      return { rows, total };
    },
    /**
     * Conflict slots for candidates on `dows` between [from, to] sharing an instructor, venue or ficha.
     * Holidays and CANCELLED exceptions never free a weekly slot, so entries count over their whole range.
     */
    async slots(q: { dows: number[]; from: string; to: string; instructorIds: string[]; venueIds: string[]; groupIds: string[] }): Promise<Slot[]> {
      const who = or(
        q.instructorIds.length ? inArray(scheduleEntries.instructorId, q.instructorIds) : undefined,
        q.venueIds.length ? inArray(scheduleEntries.venueId, q.venueIds) : undefined,
        q.groupIds.length ? inArray(scheduleEntries.groupId, q.groupIds) : undefined,
      );
      const rows = await db
        .select({
          id: scheduleEntries.id,
          group_id: scheduleEntries.groupId,
          group_number: groups.number,
          instructor_id: scheduleEntries.instructorId,
          venue_id: scheduleEntries.venueId,
          venue_code: venues.code,
          day_of_week: scheduleEntries.dayOfWeek,
          start_time: scheduleEntries.startTime,
          end_time: scheduleEntries.endTime,
          start_date: scheduleEntries.startDate,
          end_date: sql<string>`${effectiveEnd}::text`,
        })
        .from(scheduleEntries)
        .innerJoin(groups, eq(groups.id, scheduleEntries.groupId))
        .innerJoin(venues, eq(venues.id, scheduleEntries.venueId))
        .where(and(inArray(scheduleEntries.dayOfWeek, q.dows), lte(scheduleEntries.startDate, q.to), sql`${effectiveEnd} >= ${q.from}::date`, sql`${effectiveEnd} >= ${scheduleEntries.startDate}`, who));
      const all: ConflictKind[] = ['INSTRUCTOR', 'VENUE', 'GROUP'];
      const slots: Slot[] = rows.map((r) => ({ schedule_id: r.id, ...r, start_time: r.start_time.slice(0, 5), end_time: r.end_time.slice(0, 5), kinds: all }));
      const exVenue = alias(venues, 'ex_venue');
      const ex = await db
        .select({
          id: scheduleEntries.id,
          date: sessionExceptions.date,
          group_id: scheduleEntries.groupId,
          group_number: groups.number,
          entry_instructor: scheduleEntries.instructorId,
          entry_venue: scheduleEntries.venueId,
          x_instructor: sessionExceptions.instructorId,
          x_venue: sessionExceptions.venueId,
          x_venue_code: exVenue.code,
          entry_venue_code: venues.code,
          day_of_week: scheduleEntries.dayOfWeek,
          start_time: scheduleEntries.startTime,
          end_time: scheduleEntries.endTime,
        })
        .from(sessionExceptions)
        .innerJoin(scheduleEntries, eq(scheduleEntries.id, sessionExceptions.scheduleId))
        .innerJoin(groups, eq(groups.id, scheduleEntries.groupId))
        .innerJoin(venues, eq(venues.id, scheduleEntries.venueId))
        .leftJoin(exVenue, eq(exVenue.id, sessionExceptions.venueId))
        .where(
          and(
            eq(sessionExceptions.kind, 'CHANGED'),
            inArray(scheduleEntries.dayOfWeek, q.dows),
            gte(sessionExceptions.date, q.from),
            lte(sessionExceptions.date, q.to),
            or(
              q.instructorIds.length ? inArray(sessionExceptions.instructorId, q.instructorIds) : undefined,
              q.venueIds.length ? inArray(sessionExceptions.venueId, q.venueIds) : undefined,
            ),
          ),
        );
      for (const x of ex) {
        const kinds: ConflictKind[] = [];
        if (x.x_instructor && x.x_instructor !== x.entry_instructor) kinds.push('INSTRUCTOR');
        if (x.x_venue && x.x_venue !== x.entry_venue) kinds.push('VENUE');
        if (!kinds.length) continue;
        slots.push({
          schedule_id: x.id,
          exception_date: x.date,
          group_id: x.group_id,
          group_number: x.group_number,
          instructor_id: x.x_instructor ?? x.entry_instructor,
          venue_id: x.x_venue ?? x.entry_venue,
          venue_code: x.x_venue_code ?? x.entry_venue_code,
          day_of_week: x.day_of_week,
          start_time: x.start_time.slice(0, 5),
          end_time: x.end_time.slice(0, 5),
          start_date: x.date,
          end_date: x.date,
          kinds,
        });
      }
      return slots;
    },
    /**
     * Serialises every write that checks conflicts (call it first inside the transaction), so two
     * concurrent writers cannot both pass the check.
     */
    async lockForConflictCheck() {
      await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext('schedules:entries'))`);
    },
    /** ACTIVE entries of these fichas (CSV on_existing). */
    async activeOfGroups(groupIds: string[]): Promise<EntryRow[]> {
      if (groupIds.length === 0) return [];
      return db.select().from(scheduleEntries).where(and(inArray(scheduleEntries.groupId, groupIds), eq(scheduleEntries.status, 'ACTIVE')));
    },
    async insert(v: EntryValues, actorId: string): Promise<string> {
      const [row] = await db.insert(scheduleEntries).values(entryInsert(v, actorId)).returning({ id: scheduleEntries.id });
      return row.id;
    },
    /** Many entries with the ids given, in chunked multi-row inserts. */
    async insertMany(rows: Array<{ id: string; values: EntryValues }>, actorId: string) {
      for (const chunk of chunks(rows, 1000)) await db.insert(scheduleEntries).values(chunk.map((r) => entryInsert(r.values, actorId, r.id)));
    },
    async update(id: string, values: Partial<EntryInsert>) {
      await db.update(scheduleEntries).set(values).where(eq(scheduleEntries.id, id));
    },
    /** S5: the entry goes (its exceptions cascade) and an entry it replaced no longer points at it. */
    async remove(id: string) {
      await db.delete(scheduleEntries).where(eq(scheduleEntries.id, id));
      await db.update(scheduleEntries).set({ replacedById: null }).where(eq(scheduleEntries.replacedById, id));
    },
  };
}

export type EntriesRepo = ReturnType<typeof createEntriesRepo>;

export interface EntryValues {
  group_id: string;
  instructor_id: string;
  venue_id: string;
  day_of_week: number;
  start_time: string;
  end_time: string;
  start_date: string;
  end_date: string;
  subject: string;
  notes: string | null;
}

/** Insert values of one entry from its snake_case candidate. */
function entryInsert(v: EntryValues, actorId: string, id?: string): EntryInsert {
  return {
    ...(id ? { id } : {}),
    groupId: v.group_id,
    instructorId: v.instructor_id,
    venueId: v.venue_id,
    dayOfWeek: v.day_of_week,
    startTime: v.start_time,
    endTime: v.end_time,
    startDate: v.start_date,
    endDate: v.end_date,
    subject: v.subject,
    notes: v.notes,
    createdBy: actorId,
    updatedBy: actorId,
  };
}
