/**
 * Pure rules of manual marks (R5, R6, R9, R10) and of the close (R7): which statuses a person may set,
 * which record states lock a record, when a change needs a reason, and which change source it writes.
 */
export type RecordStatus = 'PRESENT' | 'LATE' | 'ABSENT' | 'JUSTIFIED' | 'EXCUSED';
export type ChangeSource = 'MANUAL' | 'QR_SCAN' | 'ROLL_CLOSE' | 'JUSTIFICATION_APPROVED' | 'CORRECTION' | 'DELETE';

export const STATUS_LABELS: Record<RecordStatus, string> = {
  PRESENT: 'Asistió',
  LATE: 'Llegó tarde',
  ABSENT: 'Inasistencia',
  JUSTIFIED: 'Inasistencia justificada',
  EXCUSED: 'Excusado',
};

export interface MarkInput {
  status: RecordStatus;
  late_minutes?: number | null;
  notes?: string | null;
}

export interface RecordState {
  status: RecordStatus;
  lateMinutes: number | null;
  notes: string | null;
  justificationId: string | null;
}

/** R5: the code and message of a mark that no one may set by hand, or undefined when it is settable. */
export function markProblem(mark: MarkInput): { code: string; message: string } | undefined {
  if (mark.status === 'JUSTIFIED') return { code: 'STATUS_NOT_SETTABLE', message: 'El estado JUSTIFIED solo resulta de una justificación aprobada' };
  if (mark.late_minutes != null && mark.status !== 'LATE') return { code: 'VALIDATION_ERROR', message: 'late_minutes solo aplica al estado LATE' };
  if (mark.status === 'EXCUSED') {
    const n = mark.notes?.trim().length ?? 0;
    if (n < 5 || n > 500) return { code: 'VALIDATION_ERROR', message: 'El estado EXCUSED requiere una nota de 5 a 500 caracteres' };
  }
  return undefined;
}

/** R10: JUSTIFIED, or EXCUSED set by a justification, is final for people. */
export function isLockedByJustification(r: RecordState): boolean {
  return r.status === 'JUSTIFIED' || (r.status === 'EXCUSED' && r.justificationId !== null);
}

/** The fields a mark would leave on the record (late minutes and notes only where they apply). */
export function markedState(current: RecordState | undefined, mark: MarkInput): { status: RecordStatus; lateMinutes: number | null; notes: string | null } {
  const notes = mark.notes !== undefined ? (mark.notes?.trim() || null) : (current?.notes ?? null);
  return { status: mark.status, lateMinutes: mark.status === 'LATE' ? (mark.late_minutes ?? null) : null, notes };
}

export function isUnchanged(current: RecordState, next: { status: RecordStatus; lateMinutes: number | null; notes: string | null }): boolean {
  return current.status === next.status && current.lateMinutes === next.lateMinutes && current.notes === next.notes;
}

/** R9/R10: a change once the roll has been closed needs a reason and is a CORRECTION. */
export function needsReason(roll: { status: 'OPEN' | 'CLOSED'; wasClosed: boolean }): boolean {
  return roll.status === 'CLOSED' || roll.wasClosed;
}

export function validReason(reason: string | undefined | null): boolean {
  const n = reason?.trim().length ?? 0;
  return n >= 5 && n <= 300;
}

/**
 * R12: which notice a status change sends. Only changes to a CLOSED roll notify (open-roll changes are
 * announced at close); ABSENT → absence_recorded, anything else → record_changed.
 */
export function noticeFor(rollStatus: 'OPEN' | 'CLOSED', from: RecordStatus | null, to: RecordStatus): 'absence_recorded' | 'record_changed' | undefined {
  if (rollStatus !== 'CLOSED' || from === to) return undefined;
  return to === 'ABSENT' ? 'absence_recorded' : 'record_changed';
}
