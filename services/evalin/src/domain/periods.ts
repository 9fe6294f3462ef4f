/** The period state machine (§3) and date rules (R13, R15, R20), pure. */
import { evalinErrors } from './errors.ts';

export const PERIOD_STATUSES = ['draft', 'scheduled', 'active', 'suspended', 'closed', 'published'] as const;
export type PeriodStatus = (typeof PERIOD_STATUSES)[number];
export type PeriodAction = 'activate' | 'revert-to-draft' | 'suspend' | 'resume' | 'extend' | 'close' | 'publish-results';

const DAY = 24 * 60 * 60 * 1000;

const ALLOWED: Record<PeriodAction, readonly PeriodStatus[]> = {
  activate: ['draft'],
  'revert-to-draft': ['scheduled'],
  suspend: ['active'],
  resume: ['suspended'],
  extend: ['active', 'suspended'],
  close: ['active', 'suspended'],
  'publish-results': ['closed'],
};

/** Throws 409 INVALID_PERIOD_TRANSITION, details {from, action}, when the action is not allowed. */
export function assertTransition(from: PeriodStatus, action: PeriodAction): void {
  if (!ALLOWED[action].includes(from)) throw evalinErrors.invalidTransition(from, action);
}

/** R13 (and R20's limit): order, 24 h ≤ duration ≤ 365 days (rounded up to the second), end after now. */
export function checkDates(start: Date, end: Date, now: Date, opts: { checkEndAfterNow?: boolean } = {}): void {
  if (!(start.getTime() < end.getTime())) throw evalinErrors.invalidDates('order');
  const seconds = Math.ceil((end.getTime() - start.getTime()) / 1000);
  if (seconds < 24 * 3600) throw evalinErrors.invalidDates('too_short');
  if (seconds > 365 * 24 * 3600) throw evalinErrors.invalidDates('too_long');
  if (opts.checkEndAfterNow !== false && end.getTime() <= now.getTime()) throw evalinErrors.invalidDates('end_in_past');
}

/** R15: half-open intervals overlap (touching periods do not). */
export const overlaps = (a: { start: Date; end: Date }, b: { start: Date; end: Date }) => a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();

/** §3's derived fields. */
export function derived(p: { status: PeriodStatus; startDate: Date; endDate: Date }, now: Date) {
  const t = now.getTime();
  return {
    is_open: p.status === 'active' && p.startDate.getTime() <= t && t < p.endDate.getTime(),
    has_started: p.startDate.getTime() <= t,
    has_ended: p.endDate.getTime() <= t,
    days_remaining: Math.max(0, Math.ceil((p.endDate.getTime() - t) / DAY)),
    duration_days: Math.ceil((p.endDate.getTime() - p.startDate.getTime()) / DAY),
  };
}

export const daysRemaining = (end: Date, now: Date) => Math.max(0, Math.ceil((end.getTime() - now.getTime()) / DAY));

/** R18: the E19 fields a status accepts on E21. */
export function editableFields(status: PeriodStatus): readonly string[] {
  if (status === 'draft' || status === 'scheduled') return ['name', 'description', 'start_date', 'end_date', 'questionnaire_id', 'group_ids'];
  if (status === 'active' || status === 'suspended') return ['name', 'description'];
  return [];
}

/** Statuses that count for R15 overlaps. */
export const LIVE_STATUSES: readonly PeriodStatus[] = ['scheduled', 'active', 'suspended'];
export const RESULT_STATUSES: readonly PeriodStatus[] = ['closed', 'published'];
