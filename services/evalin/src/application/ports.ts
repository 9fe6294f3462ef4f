/**
 * What the use cases need from the outside, as types: the repositories (in infrastructure/), the unit of
 * work, and the two services evalin reads fichas and people from (§7). A test fakes a port by implementing it.
 */
import type { Repositories } from '../infrastructure/repositories.ts';

export type { Repositories };
export type { QuestionRow, QuestionSortField } from '../infrastructure/questions.repo.ts';
export type { QuestionnaireListRow, QuestionnaireSortField } from '../infrastructure/questionnaires.repo.ts';
export type { PeriodRow, PeriodGroupRow, PeriodSortField, SnapshotRow } from '../infrastructure/periods.repo.ts';
export type { EvaluationRow, EvaluationSortField } from '../infrastructure/evaluations.repo.ts';
export type { CommentRow, CommentStatus } from '../infrastructure/responses.repo.ts';
export type { ReminderRow } from '../infrastructure/reminders.repo.ts';

/** Runs `work` with the repositories bound to one transaction: all of its writes commit or none. */
export type WithTransaction = <T>(work: (tx: Repositories) => Promise<T>) => Promise<T>;

/** Schedules G3, the fields evalin reads. */
export interface Group {
  id: string;
  number: string;
  is_active: boolean;
  director_id: string | null;
}

/** Schedules G8 rows whose `via` includes `schedule` (entries overlapping the range). */
export interface GroupInstructor {
  instructor_id: string;
  full_name: string | null;
  subjects: string[];
}

/** Schedules G7: an active apprentice of a ficha. */
export interface Apprentice {
  id: string;
  first_name: string | null;
  last_name: string | null;
  full_name: string | null;
  email: string | null;
}

export interface SchedulesPort {
  /** G3; undefined when schedules answers 404. */
  group(groupId: string): Promise<Group | undefined>;
  /** G8 between two local dates, schedule-entry instructors only. */
  instructors(groupId: string, from: string, to: string): Promise<GroupInstructor[]>;
  /** G7, every page. */
  apprentices(groupId: string): Promise<Apprentice[]>;
}

/** A person from users U12. */
export interface Person {
  id: string;
  full_name: string | null;
  first_name: string | null;
  last_name: string | null;
}

export interface UsersPort {
  lookup(ids: string[]): Promise<Person[]>;
}
