import { describe, expect, it } from 'vitest';
import { cleanAnswers, missingRequired } from './answers.ts';
import { parseBool, readQuestionCsv } from './csv.ts';
import { assertTransition, checkDates, derived, editableFields } from './periods.ts';
import { canonicalType, optionsProblem } from './questions.ts';
import { containsBlockedTerm, keyOf, slugOf } from './text.ts';

const H = 3_600_000;

describe('period state machine and dates (§3, R13, R18)', () => {
  it('when an action is not in the §3 table, then INVALID_PERIOD_TRANSITION with from and action', () => {
    expect(() => assertTransition('draft', 'activate')).not.toThrow();
    expect(() => assertTransition('closed', 'extend')).toThrowError(expect.objectContaining({ code: 'INVALID_PERIOD_TRANSITION', details: { from: 'closed', action: 'extend' } }));
    expect(() => assertTransition('published', 'publish-results')).toThrow();
  });
  it('when the duration is 24 h exactly or 365 days exactly, then it is accepted; one second less or more is refused', () => {
    const s = new Date('2026-01-01T05:00:00Z');
    const now = new Date('2025-12-01T00:00:00Z');
    expect(() => checkDates(s, new Date(s.getTime() + 24 * H), now)).not.toThrow();
    expect(() => checkDates(s, new Date(s.getTime() + 24 * H - 1000), now)).toThrowError(expect.objectContaining({ details: { reason: 'too_short' } }));
    expect(() => checkDates(s, new Date(s.getTime() + 365 * 24 * H), now)).not.toThrow();
    expect(() => checkDates(s, new Date(s.getTime() + 365 * 24 * H + 1000), now)).toThrowError(expect.objectContaining({ details: { reason: 'too_long' } }));
  });
  it('when derived fields are computed, then days_remaining rounds up and is_open needs active within dates', () => {
    const p = { status: 'active' as const, startDate: new Date('2026-03-01T00:00:00Z'), endDate: new Date('2026-03-10T00:00:00Z') };
    expect(derived(p, new Date('2026-03-08T12:00:00Z'))).toMatchObject({ is_open: true, days_remaining: 2, duration_days: 9, has_started: true, has_ended: false });
    expect(derived({ ...p, status: 'suspended' }, new Date('2026-03-08T12:00:00Z')).is_open).toBe(false);
    expect(derived(p, new Date('2026-03-11T00:00:00Z'))).toMatchObject({ is_open: false, days_remaining: 0, has_ended: true });
    expect(editableFields('suspended')).toEqual(['name', 'description']);
    expect(editableFields('closed')).toEqual([]);
  });
});

describe('answers (R27, R28)', () => {
  const qs = [
    { id: 'a', questionType: 'likert' as const, options: null, isRequired: true },
    { id: 'b', questionType: 'multiple_choice' as const, options: ['Uno', 'Dos', 'Tres'], isRequired: false },
    { id: 'c', questionType: 'text' as const, options: null, isRequired: false },
  ];
  it('when values are blank they are dropped; multiple choices are stored in option order; long text is refused', () => {
    expect(cleanAnswers([{ question_id: 'a', value: null }, { question_id: 'b', value: ['tres', 'uno'] }, { question_id: 'c', value: '  hola ' }], qs)).toEqual([{ question_id: 'b', value: ['Uno', 'Tres'] }, { question_id: 'c', value: 'hola' }]);
    expect(() => cleanAnswers([{ question_id: 'c', value: 'x'.repeat(1001) }], qs)).toThrowError(expect.objectContaining({ details: [{ index: 0, question_id: 'c', reason: 'too_long' }] }));
    expect(() => cleanAnswers([{ question_id: 'a', value: 4.5 }], qs)).toThrowError(expect.objectContaining({ details: [{ index: 0, question_id: 'a', reason: 'wrong_type' }] }));
    expect(missingRequired([], qs)).toEqual(['a']);
  });
});

describe('text, types and CSV (R1–R3, R38, §6.1)', () => {
  it('when texts differ only in case and spaces, then their keys match; blocked terms match whole words without accents', () => {
    expect(keyOf('  El  Instructor ')).toBe(keyOf('el instructor'));
    expect(containsBlockedTerm('Es un IDIÓTA total', ['idiota'])).toBe(true);
    expect(containsBlockedTerm('idiotez no cuenta', ['idiota'])).toBe(false);
    expect(slugOf('Evaluación de instructores 2026-T1')).toBe('evaluacion-de-instructores-2026-t1');
  });
  it('when types and options come as aliases, then they are canonical; options follow R3', () => {
    expect(canonicalType('Opcion_Multiple')).toBe('multiple_choice');
    expect(canonicalType('rating')).toBe('likert');
    expect(canonicalType('semaforo')).toBeUndefined();
    expect(optionsProblem('text', ['a'])).toBe('not_allowed');
    expect(optionsProblem('single_choice', ['a', '', 'b'])).toBeUndefined();
  });
  it('when a file has a BOM, quoted cells and blank lines, then rows keep spreadsheet numbers', () => {
    const rows = readQuestionCsv(Buffer.from('\ufeffText,Question_Type,category\r\n"Uno, con coma",likert,A\r\n\r\nDos,texto,B\r\n'), 1000);
    expect(rows).toEqual([{ row: 2, values: { text: 'Uno, con coma', question_type: 'likert', category: 'A' } }, { row: 4, values: { text: 'Dos', question_type: 'texto', category: 'B' } }]);
    expect([parseBool('Sí'), parseBool('0'), parseBool(''), parseBool('quizá')]).toEqual([true, false, undefined, null]);
  });
});
