/**
 * Enumerations of §3.4–§3.5 and the category of a type (R3).
 */
export const CHANNELS = ['in_app', 'email', 'sms', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CATEGORIES = ['account', 'schedules', 'attendance', 'evalin', 'projecteval', 'kb', 'ai', 'platform', 'announcements', 'general'] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  account: 'Cuenta y seguridad', schedules: 'Horarios', attendance: 'Asistencia', evalin: 'Evaluación de instructores',
  projecteval: 'Proyectos formativos', kb: 'Base de conocimiento', ai: 'Alertas de riesgo', platform: 'Plataforma',
  announcements: 'Anuncios', general: 'General',
};

/** Push device platforms (§3.3 `device_tokens.platform`). */
export const PLATFORMS = ['android', 'ios', 'web'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const NOTIFICATION_STATUSES = ['scheduled', 'accepted', 'expanding', 'dispatching', 'completed', 'partially_failed', 'failed', 'cancelled'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const DELIVERY_STATUSES = ['pending', 'queued', 'sending', 'retrying', 'sent', 'delivered', 'digested', 'skipped', 'cancelled', 'expired', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const IN_PROGRESS: readonly DeliveryStatus[] = ['pending', 'queued', 'sending', 'retrying'];

const PREFIX_CATEGORY: Record<string, Category> = {
  user: 'account', schedule: 'schedules', group: 'schedules', attendance: 'attendance', evalin: 'evalin',
  projecteval: 'projecteval', kb: 'kb', ai: 'ai', gateway: 'platform', system: 'platform', manual: 'announcements',
};

export function categoryOf(type: string): Category {
  return PREFIX_CATEGORY[type.split('.')[0]] ?? 'general';
}

export const PRIORITY_RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, critical: 3 };

/** `medium` is accepted on input as `normal` (§3.4). */
export function normalizePriority(value: string | undefined): Priority | undefined {
  if (value === undefined) return undefined;
  if (value === 'medium') return 'normal';
  return (PRIORITIES as readonly string[]).includes(value) ? (value as Priority) : undefined;
}

export const TYPE_PATTERN = '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*){1,3}$';
