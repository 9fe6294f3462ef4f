/**
 * The §7 events, built for the outbox (R39, R20–R22, R25–R26, R29, R40–R41). No event ever names who
 * evaluated an instructor. Recipient lists are user ids; an event without recipients is not written.
 */
import type { NotificationInput } from '@sicora/platform/notify';
import { daysRemaining } from '../domain/periods.ts';
import type { PeriodRow } from './ports.ts';

const URL = '/evaluaciones';
const iso = (d: Date) => d.toISOString();

export function periodStarted(p: PeriodRow, group: { groupId: string; groupNumber: string }, studentIds: string[], instructorCount: number, now: Date): NotificationInput | undefined {
  if (studentIds.length === 0) return undefined;
  return {
    type: 'evalin.period_started', key: [p.id, group.groupId], target_users: studentIds, priority: 'high', action_url: URL, entity_type: 'evaluation_period', entity_id: p.id,
    data: { period_id: p.id, period_name: p.name, start_date: iso(p.startDate), end_date: iso(p.endDate), days_remaining: daysRemaining(p.endDate, now), instructor_count: instructorCount, group_number: group.groupNumber },
  };
}

export function periodSuspended(p: PeriodRow, eventId: string, studentIds: string[], reason: string): NotificationInput | undefined {
  if (studentIds.length === 0) return undefined;
  return { type: 'evalin.period_suspended', key: [p.id, eventId], target_users: studentIds, priority: 'normal', action_url: URL, entity_type: 'evaluation_period', entity_id: p.id, data: { period_id: p.id, period_name: p.name, reason } };
}

export function periodResumed(p: PeriodRow, eventId: string, studentIds: string[], now: Date): NotificationInput | undefined {
  if (studentIds.length === 0) return undefined;
  return { type: 'evalin.period_resumed', key: [p.id, eventId], target_users: studentIds, priority: 'normal', action_url: URL, entity_type: 'evaluation_period', entity_id: p.id, data: { period_id: p.id, period_name: p.name, end_date: iso(p.endDate), days_remaining: daysRemaining(p.endDate, now) } };
}

export function periodExtended(p: PeriodRow, eventId: string, studentIds: string[], previousEnd: Date): NotificationInput | undefined {
  if (studentIds.length === 0) return undefined;
  return { type: 'evalin.period_extended', key: [p.id, eventId], target_users: studentIds, priority: 'normal', action_url: URL, entity_type: 'evaluation_period', entity_id: p.id, data: { period_id: p.id, period_name: p.name, previous_end_date: iso(previousEnd), end_date: iso(p.endDate) } };
}

export function periodClosed(p: PeriodRow, submitted: number, rate: number | null, pendingComments: number): NotificationInput {
  return {
    type: 'evalin.period_closed', key: [p.id], target_roles: ['admin', 'coordinador'], priority: 'low', action_url: `${URL}/periodos/${p.id}`, entity_type: 'evaluation_period', entity_id: p.id,
    data: { period_id: p.id, period_name: p.name, submitted, participation_rate: rate, pending_comments: pendingComments },
  };
}

export function resultsPublished(p: PeriodRow, instructorId: string, responseCount: number, shown: boolean): NotificationInput {
  return {
    type: 'evalin.results_published', key: [p.id, instructorId], target_users: [instructorId], priority: 'normal', action_url: `${URL}/resultados/${p.id}`, entity_type: 'evaluation_period', entity_id: p.id,
    data: { period_id: p.id, period_name: p.name, response_count: responseCount, results_shown: shown },
  };
}

export function evaluationSubmitted(p: PeriodRow, evaluationId: string, studentId: string, instructorName: string, submitted: number, total: number): NotificationInput {
  return {
    type: 'evalin.evaluation_submitted', key: [evaluationId], target_users: [studentId], priority: 'low', action_url: URL, entity_type: 'evaluation', entity_id: evaluationId,
    data: { period_id: p.id, period_name: p.name, instructor_name: instructorName, submitted, total },
  };
}

export function periodEnding(p: PeriodRow, groupId: string, localDate: string, studentIds: string[], now: Date): NotificationInput | undefined {
  if (studentIds.length === 0) return undefined;
  return { type: 'evalin.period_ending', key: [p.id, groupId, localDate], target_users: studentIds, priority: 'high', action_url: URL, entity_type: 'evaluation_period', entity_id: p.id, data: { period_id: p.id, period_name: p.name, end_date: iso(p.endDate), days_remaining: daysRemaining(p.endDate, now) } };
}

export function evaluationReminder(p: PeriodRow, reminderId: string, groupNumber: string, studentIds: string[], message: string | null, senderName: string | null, now: Date): NotificationInput | undefined {
  if (studentIds.length === 0) return undefined;
  return {
    type: 'evalin.evaluation_reminder', key: [reminderId], target_users: studentIds, priority: 'normal', action_url: URL, entity_type: 'evaluation_period', entity_id: p.id,
    data: { period_id: p.id, period_name: p.name, end_date: iso(p.endDate), days_remaining: daysRemaining(p.endDate, now), group_number: groupNumber, custom_message: message, sender_name: senderName },
  };
}
