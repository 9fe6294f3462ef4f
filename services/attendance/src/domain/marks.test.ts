import { describe, expect, it } from 'vitest';
import { isLockedByJustification, isUnchanged, markedState, markProblem, needsReason, noticeFor, validReason } from './marks.ts';

describe('R5/R10/R12 mark rules', () => {
  it('when a mark is JUSTIFIED, EXCUSED without a 5–500 note or carries late_minutes off LATE, then it is refused', () => {
    expect(markProblem({ status: 'JUSTIFIED' })?.code).toBe('STATUS_NOT_SETTABLE');
    expect(markProblem({ status: 'EXCUSED', notes: 'corta' })).toBeUndefined();
    expect(markProblem({ status: 'EXCUSED', notes: ' ab ' })?.code).toBe('VALIDATION_ERROR');
    expect(markProblem({ status: 'PRESENT', late_minutes: 3 })?.code).toBe('VALIDATION_ERROR');
    expect(markProblem({ status: 'LATE', late_minutes: 3 })).toBeUndefined();
  });

  it('when a record is JUSTIFIED or EXCUSED by a justification, then it is locked; EXCUSED by hand is not', () => {
    expect(isLockedByJustification({ status: 'JUSTIFIED', lateMinutes: null, notes: null, justificationId: 'j' })).toBe(true);
    expect(isLockedByJustification({ status: 'EXCUSED', lateMinutes: null, notes: 'x', justificationId: 'j' })).toBe(true);
    expect(isLockedByJustification({ status: 'EXCUSED', lateMinutes: null, notes: 'x', justificationId: null })).toBe(false);
  });

  it('when the mark equals the record, then it is unchanged; notes are kept unless sent', () => {
    const current = { status: 'LATE' as const, lateMinutes: 5, notes: 'n', justificationId: null };
    expect(isUnchanged(current, markedState(current, { status: 'LATE', late_minutes: 5 }))).toBe(true);
    expect(markedState(current, { status: 'PRESENT', notes: null })).toEqual({ status: 'PRESENT', lateMinutes: null, notes: null });
  });

  it('when a roll was ever closed, then changes need a 5–300 reason; only CLOSED rolls notify', () => {
    expect(needsReason({ status: 'OPEN', wasClosed: true })).toBe(true);
    expect(needsReason({ status: 'OPEN', wasClosed: false })).toBe(false);
    expect(validReason('    ')).toBe(false);
    expect(validReason('motivo')).toBe(true);
    expect(noticeFor('OPEN', 'PRESENT', 'ABSENT')).toBeUndefined();
    expect(noticeFor('CLOSED', 'PRESENT', 'ABSENT')).toBe('absence_recorded');
    expect(noticeFor('CLOSED', 'ABSENT', 'LATE')).toBe('record_changed');
    expect(noticeFor('CLOSED', 'LATE', 'LATE')).toBeUndefined();
  });
});
