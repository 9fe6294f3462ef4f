/**
 * What the use cases need from the outside, as types: the repositories, the unit of work, the schedules
 * and users ports (§7) and the file store (§6). A test fakes a port by implementing it.
 */
import type { Repositories } from '../infrastructure/repositories.ts';

export type { Repositories };
export type { TeamRow, MemberRow } from '../infrastructure/teams.repo.ts';
export type { IdeaRow } from '../infrastructure/ideas.repo.ts';
export type { ProjectRow, ScopeChangeRow } from '../infrastructure/projects.repo.ts';
export type { StakeholderRow } from '../infrastructure/stakeholders.repo.ts';
export type { RubricRow, CriterionRow, BandRow } from '../infrastructure/rubrics.repo.ts';
export type { DeliverableRow } from '../infrastructure/deliverables.repo.ts';
export type { SubmissionRow, StoredFileRow } from '../infrastructure/submissions.repo.ts';
export type { SessionRow, JurorRow } from '../infrastructure/sessions.repo.ts';
export type { EvaluationRow, ScoreRow } from '../infrastructure/evaluations.repo.ts';
export type { ChangeRequestRow } from '../infrastructure/change-requests.repo.ts';
export type { DocumentRow, DocumentVersionRow } from '../infrastructure/documents.repo.ts';

export type WithTransaction = <T>(work: (tx: Repositories) => Promise<T>) => Promise<T>;

/** A ficha (schedules G3). */
export interface Group {
  id: string;
  number: string;
  is_active: boolean;
}

/** An active apprentice of a ficha (schedules G7). */
export interface Apprentice {
  id: string;
  first_name: string | null;
  last_name: string | null;
}

export interface SchedulesPort {
  /** G3; undefined on 404. */
  group(groupId: string): Promise<Group | undefined>;
  /** G7, every page. */
  apprentices(groupId: string): Promise<Apprentice[]>;
  /** G9 `assigned` for the instructor on the local date; undefined when the ficha is unknown. */
  teaches(groupId: string, instructorId: string, date: string): Promise<boolean | undefined>;
}

/** A person from users U12. */
export interface Person {
  id: string;
  first_name: string | null;
  last_name: string | null;
  full_name?: string | null;
  role: string;
  is_active: boolean;
}

export interface UsersPort {
  lookup(ids: string[]): Promise<Person[]>;
}

/** A file streamed to a temporary path beside its destination (§6), checked, not yet in place. */
export interface StagedFile {
  id: string;
  tempPath: string;
  storageKey: string;
  originalName: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
}

export interface FileStore {
  /**
   * Streams one upload to a temporary file beside its destination, hashing and measuring it; `onChunk`
   * sees every chunk's length first and may throw (the request's limits), which removes the part.
   */
  stage(input: AsyncIterable<Buffer> | NodeJS.ReadableStream, onChunk: (bytes: number) => void, checkUtf8?: boolean): Promise<{ staged: Omit<StagedFile, 'mimeType' | 'originalName'>; head: Buffer; utf8Valid: boolean }>;
  /** Moves staged files into place (after their rows committed). */
  commit(files: StagedFile[]): Promise<void>;
  /** Removes staged files of a refused request. */
  discard(files: Array<Pick<StagedFile, 'tempPath'>>): Promise<void>;
  /** Removes stored files by key. */
  remove(keys: string[]): Promise<void>;
  /** A readable stream of a stored file, or undefined when it is gone. */
  open(storageKey: string): NodeJS.ReadableStream | undefined;
}
