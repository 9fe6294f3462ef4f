/**
 * The notification producer (00-conventions §9): a service asks the notification service to notify people
 * by writing one notification.md §4.1 request to its own outbox, inside the transaction of the change the
 * request describes, so the two commit or roll back together. The relay that delivers it is started by
 * createServiceApp (service.ts, option `outbox`).
 *
 * The idempotency key is `<service>:<type>:<discriminators…>`. It must never repeat with other data
 * (notification.md R2 answers 422 IDEMPOTENCY_KEY_MISMATCH and the event is lost), so the discriminators
 * name the change itself: an event row id, the entity id and the instant of the change, …
 */
import type { Db } from './db.ts';
import { enqueueMany, type OutboxEntry } from './outbox.ts';
import type { PersonRole } from './roles.ts';
import type { OutboxTable } from './tables.ts';

export const NOTIFICATION_SERVICE = 'notification';
export const NOTIFICATIONS_PATH = '/api/v1/notifications';

export type NotificationPriority = 'low' | 'normal' | 'high' | 'critical';
export type NotificationChannel = 'in_app' | 'email' | 'sms' | 'push';

/** The send request of notification.md §4.1, as it travels (snake_case). */
export interface NotificationRequest {
  type: string;
  target_users?: string[];
  target_roles?: PersonRole[];
  target_groups?: string[];
  target_group_numbers?: string[];
  include_group_instructors?: boolean;
  exclude_users?: string[];
  channels?: NotificationChannel[];
  /** Omitted: the catalogue's default for the type. */
  priority?: NotificationPriority;
  title?: string;
  message?: string;
  /** The web app's path for the subject (00-conventions §9), e.g. `/asistencia/justificaciones/<id>`. */
  action_url?: string;
  data?: Record<string, unknown>;
  sensitive_keys?: string[];
  entity_type?: string;
  entity_id?: string;
  idempotency_key: string;
  scheduled_at?: string;
  expires_at?: string;
  locale?: string;
}

type Id = string | null | undefined;
type KeyPart = string | number;

/** What a producer gives: the request without its key, plus the key's discriminators. */
export interface NotificationInput
  extends Omit<NotificationRequest, 'idempotency_key' | 'target_users' | 'target_groups' | 'exclude_users' | 'scheduled_at' | 'expires_at'> {
  /** Discriminators of this event for its type: `[userId, eventId]` → `users:user.welcome:<userId>:<eventId>`. */
  key: KeyPart | readonly KeyPart[];
  /** Duplicates and null/undefined entries (an optional person) are dropped; an empty list is omitted. */
  target_users?: readonly Id[];
  target_groups?: readonly Id[];
  exclude_users?: readonly Id[];
  scheduled_at?: Date | string;
  expires_at?: Date | string;
}

/** notification.md R2's key syntax. */
const KEY = /^[A-Za-z0-9._:-]{1,200}$/;

export function notificationKey(service: string, type: string, parts: KeyPart | readonly KeyPart[]): string {
  const key = [service, type, ...(Array.isArray(parts) ? parts : [parts])].join(':');
  // A key the notification service would refuse is a producer bug: fail where it is written, in its tests.
  if (!KEY.test(key)) throw new Error(`invalid notification idempotency key: ${JSON.stringify(key)}`);
  return key;
}

function ids(list: readonly Id[] | undefined): string[] | undefined {
  const out = [...new Set((list ?? []).filter((v): v is string => typeof v === 'string' && v.length > 0))];
  return out.length ? out : undefined;
}

function distinct<T>(list: readonly T[] | undefined): T[] | undefined {
  return list && list.length ? [...new Set(list)] : undefined;
}

const instant = (v: Date | string | undefined) => (v instanceof Date ? v.toISOString() : v);

/** The §4.1 body for `input`, with its idempotency key; fields left undefined are omitted. */
export function buildNotificationRequest(service: string, input: NotificationInput): NotificationRequest {
  const { key, target_users, target_groups, exclude_users, target_roles, target_group_numbers, channels, scheduled_at, expires_at, ...rest } = input;
  const body: Record<string, unknown> = {
    ...rest,
    target_users: ids(target_users),
    target_roles: distinct(target_roles),
    target_groups: ids(target_groups),
    target_group_numbers: distinct(target_group_numbers),
    exclude_users: ids(exclude_users),
    channels: distinct(channels),
    scheduled_at: instant(scheduled_at),
    expires_at: instant(expires_at),
    idempotency_key: notificationKey(service, input.type, key),
  };
  for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
  return body as unknown as NotificationRequest;
}

/** The outbox row that carries `request` to the notification service. */
export function notificationEntry(request: NotificationRequest): OutboxEntry {
  return { target: NOTIFICATION_SERVICE, path: NOTIFICATIONS_PATH, method: 'POST', body: request, idempotencyKey: request.idempotency_key };
}

export interface NotificationProducer {
  readonly service: string;
  /** Builds the request without writing it (for tests and logs of what would be sent). */
  request(input: NotificationInput): NotificationRequest;
  /**
   * Writes the request(s) to the outbox. Pass the transaction of the change as `db`; many inputs go in
   * chunked multi-row inserts. A key already in the outbox is ignored (the same event written twice).
   */
  enqueue(db: Pick<Db, 'insert'>, input: NotificationInput | readonly NotificationInput[]): Promise<void>;
}

/**
 * One per service, beside its db schema:
 *   export const notifications = createNotificationProducer({ service: 'users', table: outbox });
 *   await notifications.enqueue(tx, { type: 'user.welcome', key: [user.id, eventId], target_users: [user.id], data });
 */
export function createNotificationProducer(opts: { service: string; table: OutboxTable }): NotificationProducer {
  const request = (input: NotificationInput) => buildNotificationRequest(opts.service, input);
  return {
    service: opts.service,
    request,
    async enqueue(db, input) {
      const inputs = Array.isArray(input) ? (input as readonly NotificationInput[]) : [input as NotificationInput];
      await enqueueMany(db, opts.table, inputs.map((i) => notificationEntry(request(i))));
    },
  };
}
