/**
 * R12's apprentice notices (§7), written to the outbox through the transaction's repositories so they
 * commit with the change they announce. The key's discriminator is the record_changes row that caused the
 * notice, so a re-close after RL6 skips absences already announced and a new change gets a new key.
 */
import type { NotificationInput } from '@sicora/platform/notify';
import type { DayEndDeadline } from '../domain/business-days.ts';
import { eventData } from '../domain/event-data.ts';
import { STATUS_LABELS, type RecordStatus } from '../domain/marks.ts';
import { displayDate } from '../domain/time.ts';
import { firstNameOf, nameOf, type PeopleResult } from './people.ts';
import type { RecordRow, RollRow } from './ports.ts';

export function absenceRecorded(record: RecordRow, roll: RollRow, changeId: string, people: PeopleResult, deadline?: DayEndDeadline): NotificationInput {
  return {
    type: 'attendance.absence_recorded',
    key: [changeId],
    target_users: [record.studentId],
    priority: 'normal',
    action_url: `/asistencia/justificar?record_id=${record.id}`,
    entity_type: 'attendance_record',
    entity_id: record.id,
    data: eventData('attendance.absence_recorded', {
      first_name: firstNameOf(people, record.studentId),
      subject: roll.subject,
      group_number: roll.groupNumber,
      session_date: displayDate(roll.sessionDate),
      start_time: roll.startTime,
      end_time: roll.endTime,
      instructor_name: nameOf(people, roll.instructorId),
      // R23's last day (23:59:59 Bogotá), dd/mm/yyyy as every date variable.
      justify_deadline: deadline ? displayDate(deadline.date) : null,
      record_id: record.id,
      justify_url: `/asistencia/justificar?record_id=${record.id}`,
    }),
  };
}

export function recordChanged(
  record: RecordRow,
  roll: RollRow,
  change: { id: string; from: RecordStatus | null; to: RecordStatus; by: string | null; reason: string | null },
  people: PeopleResult,
): NotificationInput {
  return {
    type: 'attendance.record_changed',
    key: [change.id],
    target_users: [record.studentId],
    priority: 'low',
    action_url: `/asistencia/historial?record_id=${record.id}`,
    entity_type: 'attendance_record',
    entity_id: record.id,
    data: eventData('attendance.record_changed', {
      first_name: firstNameOf(people, record.studentId),
      subject: roll.subject,
      session_date: displayDate(roll.sessionDate),
      from_status_label: change.from ? STATUS_LABELS[change.from] : null,
      to_status_label: STATUS_LABELS[change.to],
      changed_by_name: nameOf(people, change.by),
      reason: change.reason,
    }),
  };
}
