/**
 * Ports of the notification service: the users and schedules services (R8, R9, O3), the job queue (R26)
 * and the channel providers (R35). Adapters live in infrastructure/; tests fake users and schedules here.
 */
import type { Channel } from '../domain/enums.ts';

export interface Person {
  id: string;
  first_name: string;
  last_name: string;
  full_name: string;
  role: string;
  email: string | null;
  phone: string | null;
  is_active: boolean;
  is_deleted: boolean;
}

export interface UsersPort {
  /** U12 by ids (the adapter chunks by 500). */
  lookup(ids: string[]): Promise<{ found: Person[]; missing: string[] }>;
  /** U1 `role=<r>&is_active=true`, every page. */
  idsByRole(role: string): Promise<string[]>;
}

export interface SchedulesPort {
  /** G1 `numbers=`: the fichas found. */
  groupsByNumbers(numbers: string[]): Promise<Array<{ id: string; number: string }>>;
  /** G7 active apprentices (every page); null when the ficha does not exist. */
  apprentices(groupId: string): Promise<string[] | null>;
  /** G8 instructors with a source on `date`; null when the ficha does not exist. */
  instructors(groupId: string, date: string): Promise<string[] | null>;
  /** G9: whether the instructor is assigned to the ficha on `date`; null when the ficha does not exist. */
  isAssigned(groupId: string, instructorId: string, date: string): Promise<boolean | null>;
}

export const QUEUES = ['notification-fanout', 'notification-deliver', 'notification-digest'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface QueueDepth { name: string; waiting: number; active: number; delayed: number; failed: number; oldest_waiting_seconds: number | null }

export interface JobQueue {
  readonly backend: 'pg-boss' | 'bullmq';
  /** A duplicate id of a job still waiting is a no-op. `delayMs` only wakes workers; the tables decide. */
  enqueue(queue: QueueName, jobId: string, payload: Record<string, string>, delayMs?: number): Promise<void>;
  /**
   * Many jobs in a few round trips (R65: one awaited enqueue per delivery dominated a fan-out of 20 000),
   * with the same no-op rule for ids still waiting, repeated ids within `jobs` included.
   */
  enqueueMany(queue: QueueName, jobs: Array<{ jobId: string; payload: Record<string, string>; delayMs?: number }>): Promise<void>;
  /** Starts consuming: `handler` gets the payloads of a fetched batch. */
  work(queue: QueueName, concurrency: number, handler: (payloads: Array<Record<string, string>>) => Promise<void>): Promise<void>;
  depth(): Promise<QueueDepth[]>;
  /** Stops consuming and closes connections. */
  close(): Promise<void>;
}

export type ChannelErrorKind = 'transient' | 'permanent' | 'provider_unavailable';

/** A provider's refusal, classified per R36/R37/R39. Messages hold no personal data. */
export class ChannelError extends Error {
  constructor(readonly kind: ChannelErrorKind, readonly code: string, message: string, readonly httpStatus?: number) {
    super(message);
    this.name = 'ChannelError';
  }
}

/** R40: the provider's breaker refused the call; try again at `retryAt` (its half-open time), no attempt counted. */
export class BreakerOpenError extends ChannelError {
  constructor(readonly provider: string, readonly retryAt: Date) {
    super('transient', 'BREAKER_OPEN', `Proveedor ${provider} suspendido temporalmente`);
    this.name = 'BreakerOpenError';
  }
}

export interface OutgoingMessage {
  delivery_id: string;
  notification_id: string;
  user_id: string;
  type: string;
  category: string;
  priority: string;
  mandatory: boolean;
  to: string | null;
  subject: string | null;
  text: string;
  html: string | null;
  action_url: string | null;
  entity_type: string | null;
  entity_id: string | null;
  preferences_url: string;
}

export interface SendResult { provider: string; provider_message_id: string; warnings?: string[]; failover_from?: string; device_results?: Array<{ token_suffix: string; result: string }> }

export interface ChannelProvider {
  readonly name: string;
  readonly channel: Channel;
  send(message: OutgoingMessage): Promise<SendResult>;
  close?(): Promise<void>;
}
