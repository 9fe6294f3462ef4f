/**
 * The risk-alert rules (ai.md R32, R33, §3.3) as pure decisions: what an assessment does to the
 * apprentice's alerts, which manual transitions are allowed, and when an alert is overdue.
 */
import { levelRank } from './risk.ts';

export type AlertStatus = 'active' | 'acknowledged' | 'resolved' | 'dismissed';

export interface AlertState {
  id: string;
  level: string;
  status: AlertStatus;
  openedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  dismissedAt: Date | null;
  snoozeUntil: Date | null;
  lastEscalatedAt: Date | null;
}

export type AlertDecision =
  | { action: 'none' }
  | { action: 'create' }
  | { action: 'escalate'; notify: boolean }
  | { action: 'level_changed' }
  | { action: 'auto_resolve' };

const DAY = 86_400_000;

/**
 * R32 for one `assessed` result. `open` is the active/acknowledged alert; `last` the latest closed one
 * (resolved or dismissed), which drives the snooze (e) and the cool-down after a manual resolution (f).
 */
export function decideAlert(level: string, minLevel: string, open: AlertState | null, last: AlertState | null, now: Date): AlertDecision {
  if (open) {
    if (level === 'low') return { action: 'auto_resolve' };
    if (levelRank(level) > levelRank(open.level)) {
      return { action: 'escalate', notify: !open.lastEscalatedAt || now.getTime() - open.lastEscalatedAt.getTime() >= DAY };
    }
    return { action: 'level_changed' };
  }
  if (levelRank(level) < levelRank(minLevel)) return { action: 'none' };
  if (last?.status === 'dismissed' && last.snoozeUntil && now < last.snoozeUntil && levelRank(level) <= levelRank(last.level)) return { action: 'none' };
  if (last?.status === 'resolved' && last.resolvedBy && last.resolvedAt && now.getTime() - last.resolvedAt.getTime() < 7 * DAY && level !== 'critical') return { action: 'none' };
  return { action: 'create' };
}

export const SNOOZE_DAYS = 14;
export const OVERDUE_DAYS = 7;

/** §3.3: manual transitions from active/acknowledged only; acknowledge only from active. */
export function canTransition(from: AlertStatus, to: 'acknowledged' | 'resolved' | 'dismissed'): boolean {
  if (to === 'acknowledged') return from === 'active';
  return from === 'active' || from === 'acknowledged';
}

/** R33 */
export function isOverdue(a: Pick<AlertState, 'status' | 'openedAt'>, now: Date): boolean {
  return a.status === 'active' && now.getTime() - a.openedAt.getTime() >= OVERDUE_DAYS * DAY;
}

export const daysOpen = (openedAt: Date, now: Date) => Math.floor((now.getTime() - openedAt.getTime()) / DAY);
