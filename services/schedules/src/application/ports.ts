/**
 * What the use cases need from the outside, as types: the repositories (every query, in infrastructure/),
 * the unit of work, and the users service, which owns people and ficha membership; this service only asks.
 * Repository types are derived from their factories (one definition); a test fakes one by implementing it.
 */
import type { Repositories } from '../infrastructure/repositories.ts';

export type { Repositories };
export type { AssignmentRow, InstructorSource } from '../infrastructure/assignments.repo.ts';
export type { CampusFilter, CampusRow } from '../infrastructure/campuses.repo.ts';
export type { EntryFilter, EntryRow, EntrySortField, EntryValues, JoinedEntry, SessionKey } from '../infrastructure/entries.repo.ts';
export type { ExceptionRow } from '../infrastructure/exceptions.repo.ts';
export type { GroupFilter, GroupInsert, GroupRow, GroupWithRefs } from '../infrastructure/groups.repo.ts';
export type { NonTeachingDayRow } from '../infrastructure/non-teaching-days.repo.ts';
export type { ProgramFilter, ProgramInsert, ProgramRow } from '../infrastructure/programs.repo.ts';
export type { CampusRef, VenueFilter, VenueInsert, VenueRow, VenueWithCampus } from '../infrastructure/venues.repo.ts';

/** Runs `work` with the repositories bound to one transaction: all of its writes commit or none. */
export type WithTransaction = <T>(work: (tx: Repositories) => Promise<T>) => Promise<T>;

export interface UserRecord {
  id: string;
  first_name: string | null;
  last_name: string | null;
  full_name: string | null;
  role: string;
  is_active: boolean;
  is_deleted: boolean;
  document_type?: string | null;
  document_number?: string | null;
  email?: string | null;
}

/** `token` = the caller's bearer (R30) or undefined for this service's own service token. */
export interface CallAs {
  token?: string;
  requestId?: string;
}

export interface ApprenticeQuery {
  group_id: string;
  is_active?: boolean;
  search?: string;
  page: number;
  page_size: number;
  sort?: string;
}

export interface UsersPort {
  /** U12 lookup by ids and/or document numbers (≤ 500 keys per call; the adapter batches). */
  lookup(keys: { ids?: string[]; document_numbers?: string[] }, as: CallAs): Promise<UserRecord[]>;
  /** U1 filtered to a ficha's apprentices; `total` is the real count. */
  listApprentices(query: ApprenticeQuery, as: CallAs): Promise<{ items: UserRecord[]; total: number }>;
}
