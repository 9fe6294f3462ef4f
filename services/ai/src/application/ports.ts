/**
 * What the use cases need from the outside, as types: the repositories (in infrastructure/), the unit of
 * work, and the services and model server ai calls (§7). A test fakes a port by implementing it.
 */
import type { Repositories } from '../infrastructure/repositories.ts';
import type { ChatMessage, Passage } from '../domain/answers.ts';
import type { Counts } from '../domain/risk.ts';

export type { Repositories };
export type { ConversationRow, MessageRow } from '../infrastructure/conversations.repo.ts';
export type { AlertRow, AssessmentRow, RunRow } from '../infrastructure/risk.repo.ts';

export type WithTransaction = <T>(work: (tx: Repositories) => Promise<T>) => Promise<T>;

/** Who is calling on whose behalf: the kb applies its audience rules to this token (O3). */
export interface CallerCredentials {
  token: string;
  requestId?: string;
}

export class KbUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`kb unavailable: ${reason}`);
  }
}

export interface KbPort {
  /** R5: throws KbUnavailableError on anything R9 lists. */
  searchPassages(as: CallerCredentials, q: { q: string; category?: string }): Promise<{ passages: Passage[]; mode_used: string | null }>;
  /** R11: titles of kb `/suggest` items; failure → []. */
  suggest(as: CallerCredentials, q: string): Promise<string[]>;
  /** R21: titles of the most popular FAQs; failure → []. */
  faqTitles(as: CallerCredentials, category?: string): Promise<string[]>;
  /** R37 probe: kb's readiness and search mode. */
  probe(): Promise<{ ok: boolean; search_mode: string | null }>;
}

export class LlmError extends Error {
  constructor(readonly reason: 'llm_unavailable' | 'llm_timeout' | 'llm_busy', message: string = reason) {
    super(message);
  }
}

export interface LlmUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface LlmPort {
  readonly configured: boolean;
  readonly model: string | null;
  /** R13/R16: the whole answer; throws LlmError. */
  complete(messages: ChatMessage[], signal?: AbortSignal): Promise<{ text: string; usage: LlmUsage | null }>;
  /**
   * R17: chunks of the answer. Throws LlmError before the first chunk (fallback) or any error after it
   * (interrupted); `onUsage` receives the final usage when the server sends it.
   */
  stream(messages: ChatMessage[], signal: AbortSignal, onUsage: (u: LlmUsage) => void): AsyncIterable<string>;
  /** R37 probe (`GET /models`). */
  probe(): Promise<boolean>;
}

/** A ficha (schedules G3), the fields ai reads. */
export interface Group {
  id: string;
  number: string;
}

export interface SchedulesPort {
  /** G3 with the caller's token or the service token; undefined on 404; throws GROUP_NOT_ASSIGNED on 403. */
  group(groupId: string, as?: CallerCredentials): Promise<Group | undefined>;
  /** G1: ids of the fichas assigned to the instructor on `date`. */
  assignedGroups(instructorId: string, date: string, as?: CallerCredentials): Promise<string[]>;
  /** Every active ficha (runs). */
  activeGroups(): Promise<Group[]>;
  /** G8: instructor ids of the ficha on `date`. */
  groupInstructors(groupId: string, date: string): Promise<string[]>;
}

export interface Person {
  id: string;
  first_name: string | null;
  last_name: string | null;
  full_name?: string | null;
  document_number: string | null;
  role: string;
  group_id: string | null;
  group_number?: string | null;
  is_active?: boolean;
}

export interface UsersPort {
  /** Active apprentices of a ficha (all pages). */
  apprentices(groupId: string): Promise<Person[]>;
  /** One user; undefined on 404. */
  user(id: string): Promise<Person | undefined>;
}

/** One apprentice's counts in a window (attendance S1 / RP2 row). */
export type StudentCounts = Counts;

export interface AttendancePort {
  /** S1 for one apprentice and period. */
  summary(studentId: string, start: string, end: string): Promise<StudentCounts>;
  /**
   * RP2 for a whole ficha and period: the counts of every apprentice with records, by id — the batch read
   * of a run (one call per ficha and window, never one per apprentice).
   */
  groupCounts(groupId: string, start: string, end: string): Promise<Map<string, StudentCounts>>;
  probe(): Promise<boolean>;
}

export interface ProjectevalPort {
  /** P40: the latest published submission's score; null when none. Throws when projecteval fails. */
  latestPublished(studentId: string): Promise<{ score: number; published_at: string } | null>;
}

export interface EvalinPort {
  /** The latest closed/published period covering the ficha; null when none. Throws on failure. */
  latestPeriod(groupId: string): Promise<{ id: string } | null>;
  /** Evaluations submitted by the apprentice in the period (`meta.pagination.total`). */
  submittedCount(studentId: string, periodId: string): Promise<number>;
}
