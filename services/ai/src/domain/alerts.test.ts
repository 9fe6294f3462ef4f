/** R32/R33 decisions and §3.3 transitions. */
import { describe, expect, it } from 'vitest';
import { canTransition, decideAlert, isOverdue, type AlertState } from './alerts.ts';

const NOW = new Date('2026-03-09T15:00:00Z');
const DAY = 86_400_000;
const ago = (d: number) => new Date(NOW.getTime() - d * DAY);
const alert = (o: Partial<AlertState>): AlertState => ({ id: 'a', level: 'high', status: 'active', openedAt: ago(1), acknowledgedAt: null, resolvedAt: null, resolvedBy: null, dismissedAt: null, snoozeUntil: null, lastEscalatedAt: null, ...o });

describe('R32 decisions', () => {
  it('a: at or above the minimum level with nothing open → create; below → none', () => {
    expect(decideAlert('high', 'high', null, null, NOW)).toEqual({ action: 'create' });
    expect(decideAlert('medium', 'high', null, null, NOW)).toEqual({ action: 'none' });
    expect(decideAlert('medium', 'medium', null, null, NOW)).toEqual({ action: 'create' });
  });
  it('b: above the open alert’s level → escalate, notifying at most once per 24 h', () => {
    expect(decideAlert('critical', 'high', alert({}), null, NOW)).toEqual({ action: 'escalate', notify: true });
    expect(decideAlert('critical', 'high', alert({ lastEscalatedAt: new Date(NOW.getTime() - 23 * 3_600_000) }), null, NOW)).toEqual({ action: 'escalate', notify: false });
    expect(decideAlert('critical', 'high', alert({ lastEscalatedAt: ago(1) }), null, NOW)).toEqual({ action: 'escalate', notify: true });
  });
  it('c: medium or higher, not above → level_changed (also below the minimum); d: low → auto_resolve', () => {
    expect(decideAlert('high', 'high', alert({}), null, NOW)).toEqual({ action: 'level_changed' });
    expect(decideAlert('medium', 'high', alert({}), null, NOW)).toEqual({ action: 'level_changed' });
    expect(decideAlert('low', 'high', alert({ status: 'acknowledged' }), null, NOW)).toEqual({ action: 'auto_resolve' });
  });
  it('e: while snoozed, only a level above the dismissed one opens an alert; after the snooze, anything at the minimum', () => {
    const dismissed = alert({ status: 'dismissed', dismissedAt: ago(3), snoozeUntil: new Date(NOW.getTime() + 11 * DAY) });
    expect(decideAlert('high', 'high', null, dismissed, NOW)).toEqual({ action: 'none' });
    expect(decideAlert('critical', 'high', null, dismissed, NOW)).toEqual({ action: 'create' });
    expect(decideAlert('high', 'high', null, alert({ status: 'dismissed', snoozeUntil: ago(0.01) }), NOW)).toEqual({ action: 'create' });
  });
  it('f: after a manual resolution, a new alert only ≥ 7 days later or critical; a system resolution does not wait', () => {
    expect(decideAlert('high', 'high', null, alert({ status: 'resolved', resolvedBy: 'u', resolvedAt: ago(6) }), NOW)).toEqual({ action: 'none' });
    expect(decideAlert('high', 'high', null, alert({ status: 'resolved', resolvedBy: 'u', resolvedAt: ago(7) }), NOW)).toEqual({ action: 'create' });
    expect(decideAlert('critical', 'high', null, alert({ status: 'resolved', resolvedBy: 'u', resolvedAt: ago(1) }), NOW)).toEqual({ action: 'create' });
    expect(decideAlert('high', 'high', null, alert({ status: 'resolved', resolvedBy: null, resolvedAt: ago(1) }), NOW)).toEqual({ action: 'create' });
  });
});

describe('§3.3 transitions and R33', () => {
  it('acknowledge only from active; resolve and dismiss from active or acknowledged; closed alerts never move', () => {
    expect(canTransition('active', 'acknowledged')).toBe(true);
    expect(canTransition('acknowledged', 'acknowledged')).toBe(false);
    expect(canTransition('acknowledged', 'resolved')).toBe(true);
    expect(canTransition('active', 'dismissed')).toBe(true);
    for (const from of ['resolved', 'dismissed'] as const) for (const to of ['acknowledged', 'resolved', 'dismissed'] as const) expect(canTransition(from, to)).toBe(false);
  });
  it('an active alert is overdue 7 days after opening; an acknowledged one never', () => {
    expect(isOverdue({ status: 'active', openedAt: ago(6.99) }, NOW)).toBe(false);
    expect(isOverdue({ status: 'active', openedAt: ago(7) }, NOW)).toBe(true);
    expect(isOverdue({ status: 'acknowledged', openedAt: ago(30) }, NOW)).toBe(false);
  });
});
