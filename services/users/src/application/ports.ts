/**
 * Ports to other services and the dependencies every use case receives. The repositories come in as one
 * unit of work (`repos`): reads call them directly, writes run in `repos.transaction((tx) => …)` with the
 * same repositories bound to that transaction.
 */
import type { KeyStore } from '../infrastructure/keys.store.ts';
import type { PasswordHasher } from '../infrastructure/password.hasher.ts';
import type { UnitOfWork } from '../infrastructure/repos.ts';

export type { Repos, UnitOfWork } from '../infrastructure/repos.ts';
export type { ExportCursor, ExportRow, UserFilter, UserPatch, UserRow, UserSort, UserWithLock } from '../infrastructure/users.repo.ts';
export type { RefreshTokenRow } from '../infrastructure/sessions.repo.ts';
export type { ThrottleRow } from '../infrastructure/auth-state.repo.ts';
export type { NotificationType } from '../infrastructure/notifications.repo.ts';
export type { KeyStore, PasswordHasher };

export interface Group {
  id: string;
  number: string;
  is_active: boolean;
  max_apprentices: number | null;
}

/** Fichas live in the schedules service (R3, §7). Calls forward the caller's bearer token. */
export interface GroupsPort {
  /** Groups by number (≤ 100 per call inside the adapter); unknown numbers are simply absent. */
  byNumbers(numbers: string[], token: string): Promise<Group[]>;
  /** undefined when the group does not exist. */
  byId(id: string, token: string): Promise<Group | undefined>;
}

export interface UsersDeps {
  repos: UnitOfWork;
  now: () => Date;
  keys: KeyStore;
  hasher: PasswordHasher;
  groups: GroupsPort;
  publicAppUrl: string;
  timezone: string;
  /** Rows per keyset read of B5's export; the default unless a test crosses batch boundaries with fewer rows. */
  exportBatchSize?: number;
}

/** Who acts and from where, for events (R34) and sessions (§3.4). */
export interface RequestContext {
  ipMasked: string;
  userAgent: string;
  actorId: string | null;
}
