/**
 * What the use cases need from the outside, as types: the repositories (in infrastructure/), the unit of
 * work, and the two services attendance reads people and sessions from (§7). Repository types are derived
 * from their factories; a test fakes a port by implementing it.
 */
import type { Repositories } from '../infrastructure/repositories.ts';

export type { Repositories };
export type { RecordChangeRow, RecordFilter, RecordRow, RecordSortField } from '../infrastructure/records.repo.ts';
export type { RollFilter, RollRow, RollSortField, StatusCounts } from '../infrastructure/rolls.repo.ts';
export type { CoveringItem } from '../infrastructure/justifications.repo.ts';

/** Runs `work` with the repositories bound to one transaction: all of its writes commit or none. */
export type WithTransaction = <T>(work: (tx: Repositories) => Promise<T>) => Promise<T>;

/** One occurrence of a schedules entry (schedules W2/W3 SessionView, the fields attendance reads). */
export interface Session {
  schedule_id: string;
  date: string;
  start_time: string;
  end_time: string;
  start_at: string;
  end_at: string;
  subject: string;
  /** Schedules' class blocks of the session (`MLUN1`…), shown by RP5. */
  blocks?: string[];
  status: 'SCHEDULED' | 'CANCELLED';
  group: { id: string; number: string; program: { id: string; code: string; name: string } };
  instructor: { id: string; full_name: string | null };
  venue: { id: string; code: string; name: string; campus: { id: string; code: string; name: string } };
}

/** An active apprentice of a ficha (schedules G7). */
export interface Apprentice {
  id: string;
  first_name: string | null;
  last_name: string | null;
  full_name: string | null;
  document_number: string | null;
}

/** A ficha (schedules G3): the report headers' fields. */
export interface Group {
  id: string;
  number: string;
  program: { id: string; code: string; name: string };
  campus: { id: string; code: string; name: string };
}

export interface SessionQuery {
  date?: string;
  from?: string;
  to?: string;
  instructor_id?: string;
  group_id?: string;
}

export interface SchedulesPort {
  /** W3; undefined when the entry has no occurrence that date (404 there). */
  session(scheduleId: string, date: string): Promise<Session | undefined>;
  /** W2 with `include_cancelled=false`. */
  sessions(query: SessionQuery): Promise<Session[]>;
  /** G7, all pages of the active apprentices. */
  apprentices(groupId: string): Promise<Apprentice[]>;
  /** K3 centre-wide non-teaching days (`campus_id` null) of a year, as local dates (R23). */
  nonTeachingDays(year: number): Promise<string[]>;
  /** G1 ids of the fichas assigned to the instructor on `date` (O2). */
  assignedGroups(instructorId: string, date: string): Promise<string[]>;
  /** G8 ids of the ficha's instructors on `date` (`from` = `to` = date): the alert recipients (R35). */
  groupInstructors(groupId: string, date: string): Promise<string[]>;
  /** G3; undefined when the ficha is unknown (404 there → `GROUP_NOT_FOUND`). */
  group(groupId: string): Promise<Group | undefined>;
}

/** A person from users U12 (card or full view: attendance reads only these fields). */
export interface Person {
  id: string;
  full_name: string | null;
  first_name: string | null;
  last_name: string | null;
  role: string;
  group_id: string | null;
  group_number: string | null;
  avatar_url: string | null;
  document_number?: string | null;
  is_active: boolean;
  is_deleted: boolean;
}

export interface UsersPort {
  /** U12 by ids (the adapter batches by 500). */
  lookup(ids: string[]): Promise<Person[]>;
}
