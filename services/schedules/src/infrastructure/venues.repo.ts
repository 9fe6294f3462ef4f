/** Venue queries: plain rows out, each venue with its campus reference where a reader shows it. */
import { and, eq, gte, inArray, isNotNull, like, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { listPage, withTotal } from '@sicora/platform/list-page';
import type { SortSpec } from '@sicora/platform/pagination';
import { likePattern } from '../domain/text.ts';
import { campuses, scheduleEntries, sessionExceptions, venues } from './db/schema.ts';
import { chunks, countStar, effectiveEnd, order } from './db/helpers.ts';

export type VenueRow = typeof venues.$inferSelect;
export type VenueInsert = typeof venues.$inferInsert;
export interface CampusRef {
  id: string;
  code: string;
  name: string;
}
export interface VenueWithCampus {
  v: VenueRow;
  campus: CampusRef;
}

export interface VenueFilter {
  campus_id?: string;
  type?: string;
  min_capacity?: number;
  is_active?: boolean;
  search?: string;
  ids?: string[];
}

const campusRef = { id: campuses.id, code: campuses.code, name: campuses.name };

export function createVenuesRepo(db: Db) {
  const where = (f: VenueFilter) => {
    const c: SQL[] = [];
    if (f.campus_id) c.push(eq(venues.campusId, f.campus_id));
    if (f.type) c.push(eq(venues.type, f.type as VenueRow['type']));
    if (f.min_capacity !== undefined) c.push(gte(venues.capacity, f.min_capacity));
    if (f.is_active !== undefined) c.push(eq(venues.isActive, f.is_active));
    if (f.search) c.push(like(venues.searchText, likePattern(f.search)));
    if (f.ids) c.push(f.ids.length ? inArray(venues.id, f.ids) : sql`false`);
    return and(...c);
  };
  return {
    /** Without `limit`: every match (`total` is still the count). */
    async list(f: VenueFilter, sort: SortSpec<'code' | 'name' | 'capacity'>, limit?: number, offset = 0): Promise<{ rows: VenueWithCampus[]; total: number }> {
      // Hundreds of venues at most, and a NOT NULL foreign key (one row per venue): the window counts venues.
      const q = db
        .select(withTotal({ v: venues, campus: campusRef }))
        .from(venues)
        .innerJoin(campuses, eq(campuses.id, venues.campusId))
        .where(where(f))
        .orderBy(...order(sort, { code: venues.code, name: venues.name, capacity: venues.capacity }, sql`${venues.code}`));
      const page = limit === undefined ? q : q.limit(limit).offset(offset);
      return listPage(page, limit === undefined ? 0 : offset, async () => (await db.select({ total: countStar }).from(venues).where(where(f)))[0].total);
    },
    async get(id: string): Promise<VenueWithCampus | undefined> {
      const [row] = await db.select({ v: venues, campus: campusRef }).from(venues).innerJoin(campuses, eq(campuses.id, venues.campusId)).where(eq(venues.id, id));
      return row;
    },
    async byCodes(codes: string[]): Promise<VenueRow[]> {
      if (codes.length === 0) return [];
      return db.select().from(venues).where(inArray(venues.code, codes));
    },
    /** Which of `codes` are taken. */
    async existingCodes(codes: string[]): Promise<string[]> {
      return (await this.byCodes(codes)).map((v) => v.code);
    },
    /** ACTIVE entries still running on or after `today` (R3). */
    async activeEntriesFrom(id: string, today: string) {
      return db
        .select({ id: scheduleEntries.id, subject: scheduleEntries.subject, day_of_week: scheduleEntries.dayOfWeek, end_date: scheduleEntries.endDate })
        .from(scheduleEntries)
        .where(and(eq(scheduleEntries.venueId, id), eq(scheduleEntries.status, 'ACTIVE'), gte(scheduleEntries.endDate, today)));
    },
    async usage(id: string) {
      const [e] = await db.select({ total: countStar }).from(scheduleEntries).where(eq(scheduleEntries.venueId, id));
      const [x] = await db.select({ total: countStar }).from(sessionExceptions).where(eq(sessionExceptions.venueId, id));
      return { entries: e.total, exceptions: x.total };
    },
    /** Venues with a VENUE conflict for a weekly slot between dates (R13 a–c over entries and CHANGED exceptions). */
    async busyIds(dayOfWeek: number, start: string, end: string, from: string, to: string): Promise<Set<string>> {
      const rows = await db
        .select({ id: scheduleEntries.venueId })
        .from(scheduleEntries)
        .where(
          and(
            eq(scheduleEntries.dayOfWeek, dayOfWeek),
            sql`${scheduleEntries.startTime} < ${end}::time AND ${scheduleEntries.endTime} > ${start}::time`,
            sql`${scheduleEntries.startDate} <= ${to}::date`,
            sql`${effectiveEnd} >= ${from}::date`,
            // Some date with that weekday lies in both ranges (ISO weekday in SQL is isodow).
            sql`EXISTS (SELECT 1 FROM generate_series(GREATEST(${scheduleEntries.startDate}, ${from}::date), LEAST(${effectiveEnd}, ${to}::date), interval '1 day') g(d) WHERE extract(isodow from g.d) = ${dayOfWeek})`,
          ),
        );
      const ex = await db
        .select({ id: sessionExceptions.venueId })
        .from(sessionExceptions)
        .innerJoin(scheduleEntries, eq(scheduleEntries.id, sessionExceptions.scheduleId))
        .where(
          and(
            eq(sessionExceptions.kind, 'CHANGED'),
            isNotNull(sessionExceptions.venueId),
            sql`${sessionExceptions.date} BETWEEN ${from}::date AND ${to}::date`,
            eq(scheduleEntries.dayOfWeek, dayOfWeek),
            sql`${scheduleEntries.startTime} < ${end}::time AND ${scheduleEntries.endTime} > ${start}::time`,
          ),
        );
      return new Set([...rows, ...ex].map((r) => r.id).filter((v): v is string => v !== null));
    },
    async insert(values: VenueInsert): Promise<VenueRow> {
      const [row] = await db.insert(venues).values(values).returning();
      return row;
    },
    async insertMany(values: VenueInsert[]) {
      for (const chunk of chunks(values)) await db.insert(venues).values(chunk);
    },
    async update(id: string, values: Partial<VenueInsert>) {
      await db.update(venues).set(values).where(eq(venues.id, id));
    },
    async remove(id: string) {
      await db.delete(venues).where(eq(venues.id, id));
    },
  };
}

export type VenuesRepo = ReturnType<typeof createVenuesRepo>;
