/**
 * What the use cases need from the outside, as types: the repositories (every query, in infrastructure/)
 * and the unit of work. Repository types are derived from their factories (one definition); a test fakes
 * one by implementing it. A client of another service gets its interface here too (schedules' `UsersPort`),
 * with the adapter in `infrastructure/<other>.client.ts`.
 */
import type { Repositories } from '../infrastructure/repositories.ts';

export type { Repositories };
export type { NoteInsert, NoteRow } from '../infrastructure/notes.repo.ts';

/** Runs `work` with the repositories bound to one transaction: all of its writes commit or none. */
export type WithTransaction = <T>(work: (tx: Repositories) => Promise<T>) => Promise<T>;
