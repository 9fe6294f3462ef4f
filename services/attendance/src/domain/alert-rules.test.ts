import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alertEventDiscriminator,
  alertWindow,
  appendLevelHistory,
  computeAlertMetrics,
  consecutiveAbsencesLevel,
  daysOpen,
  decideAlertTransition,
  evaluateAlertConditions,
  formatPercentEs,
  frequentLatenessLevel,
  isAlertOverdue,
  isHigherLevel,
  lowAttendanceLevel,
  recommendedActions,
  type AlertLevel,
  type AlertRecord,
  type AlertTransitionInput,
  type ResolvedAlert,
} from './alert-rules.ts';
import type { RecordStatus } from './marks.ts';
import { DEFAULT_SETTINGS as S } from './settings.ts';
import { addDays, localToInstant } from './time.ts';

const LETTER: Record<string, RecordStatus> = { P: 'PRESENT', T: 'LATE', A: 'ABSENT', J: 'JUSTIFIED', E: 'EXCUSED' };
const TZ = 'America/Bogota';
const NOW = localToInstant('2026-03-31', '23:00', TZ);
const DAY = 86_400_000;

/** One record per letter, one day apart ending on 2026-03-31 (newest last), subject by index. */
function pattern(letters: string): AlertRecord[] {
  const first = addDays('2026-03-31', -(letters.length - 1));
  return [...letters].map((l, i) => ({ status: LETTER[l], sessionDate: addDays(first, i), startTime: '06:00', subject: `Competencia ${i + 1}` }));
}

const conditions = (letters: string) => evaluateAlertConditions(pattern(letters), S);
const decide = (over: Partial<AlertTransitionInput>) =>
  decideAlertTransition({ wanted: null, unresolved: null, lastResolved: null, now: NOW, dismissalSuppressionDays: 7, ...over });

describe('window and metrics (R29)', () => {
  it('when the window is 30 days, then it ends today (Bogotá) and starts 29 days before', () => {
    expect(alertWindow(localToInstant('2026-03-31', '23:30', TZ), 30, TZ)).toEqual({ startDate: '2026-03-02', endDate: '2026-03-31' });
  });

  it('when records are given, then runs, scheduled (not EXCUSED), pct and lateness per weekday are counted', () => {
    const m = computeAlertMetrics(pattern('TAAPAAAEJT'));
    expect(m).toMatchObject({ max_run: 3, scheduled: 9, attended: 4, absent: 5, pct: 44.4, late_count: 2 });
    expect(m.max_run_sessions.map((s) => s.subject)).toEqual(['Competencia 5', 'Competencia 6', 'Competencia 7']);
    // 2026-03-22 is a Sunday, 2026-03-31 a Tuesday.
    expect(m.late_by_weekday).toEqual({ Domingo: 1, Martes: 1 });
  });
});

describe('consecutive absences (R30, US-ATT-13)', () => {
  it('when 2 prior absences and a third is written, then HIGH; at 5, CRITICAL; 2 → none', () => {
    expect(conditions('PPAA').CONSECUTIVE_ABSENCES).toBeNull();
    const high = conditions('PPAAA').CONSECUTIVE_ABSENCES;
    expect(high).toMatchObject({ type: 'CONSECUTIVE_ABSENCES', level: 'HIGH', title: '3 inasistencias consecutivas sin justificar' });
    expect(high?.data).toMatchObject({ max_run: 3, window_days: 30 });
    expect((high?.data.sessions as unknown[]).length).toBe(3);
    expect(conditions('PAAAA').CONSECUTIVE_ABSENCES?.level).toBe('HIGH');
    expect(conditions('PAAAAA').CONSECUTIVE_ABSENCES).toMatchObject({ level: 'CRITICAL', title: '5 inasistencias consecutivas sin justificar' });
  });

  it('US-ATT-13: given the run reaches 5, then the existing HIGH alert escalates (no second alert)', () => {
    expect(decide({ wanted: 'CRITICAL', unresolved: { level: 'HIGH', state: 'OPEN' } })).toEqual({ action: 'ESCALATE', from: 'HIGH', to: 'CRITICAL', reopen: false });
  });

  it('US-ATT-13: given a run of exactly 3, when its middle absence is justified, then the next evaluation auto-clears', () => {
    expect(conditions('PAJA').CONSECUTIVE_ABSENCES).toBeNull();
    expect(decide({ wanted: null, unresolved: { level: 'HIGH', state: 'OPEN' } })).toEqual({ action: 'RESOLVE', resolution: 'AUTO_CLEARED' });
  });

  it('when settings change the thresholds, then levels follow them', () => {
    expect(consecutiveAbsencesLevel(2, { high: 2, critical: 4 })).toBe('HIGH');
    expect(consecutiveAbsencesLevel(4, { high: 2, critical: 4 })).toBe('CRITICAL');
  });
});

describe('low attendance (R31, US-ATT-14)', () => {
  it('US-ATT-14: given 20 records in 30 days with 13 attended, then LOW_ATTENDANCE HIGH (65 %); with 4 records only, none', () => {
    const c = conditions('AAAPAPAPAPAPPPPPPPPP').LOW_ATTENDANCE;
    expect(c).toMatchObject({ level: 'HIGH', title: 'Asistencia del 65 % en los últimos 30 días' });
    expect(c?.data).toMatchObject({ pct: 65, attended: 13, scheduled: 20 });
    expect(conditions('AAAP').LOW_ATTENDANCE).toBeNull();
  });

  it('when thresholds are crossed, then MEDIUM below 80, HIGH below 70, CRITICAL below 60; exactly 80 is fine', () => {
    const l = S.low_attendance;
    expect(lowAttendanceLevel(16, 20, l)).toBeNull(); // 80 %
    expect(lowAttendanceLevel(15, 20, l)).toBe('MEDIUM'); // 75 %
    expect(lowAttendanceLevel(14, 20, l)).toBe('MEDIUM'); // 70 %
    expect(lowAttendanceLevel(13, 20, l)).toBe('HIGH'); // 65 %
    expect(lowAttendanceLevel(12, 20, l)).toBe('HIGH'); // 60 %
    expect(lowAttendanceLevel(11, 20, l)).toBe('CRITICAL'); // 55 %
    // 79.96 % shows as 80 % but is below 80: the comparison uses the exact ratio.
    expect(lowAttendanceLevel(1999, 2500, l)).toBe('MEDIUM');
  });

  it('when the seed pattern of NN 26 is evaluated, then CRITICAL "55 %" and a CRITICAL run of 5', () => {
    const c = conditions('PPAPPAPPAPPPAPPAAAAA');
    expect(c.LOW_ATTENDANCE).toMatchObject({ level: 'CRITICAL', title: 'Asistencia del 55 % en los últimos 30 días' });
    expect(c.CONSECUTIVE_ABSENCES?.level).toBe('CRITICAL');
  });

  it('when EXCUSED records are present, then they leave the base (5 scheduled needed)', () => {
    expect(conditions('AAPPEEEE').LOW_ATTENDANCE).toBeNull(); // 4 scheduled
    expect(conditions('AAPPPEEE').LOW_ATTENDANCE?.level).toBe('HIGH'); // 3 of 5 = 60 %
  });

  it('when the percentage has decimals, then the title uses a decimal comma; whole numbers have no ",0"', () => {
    expect(formatPercentEs(72.5)).toBe('72,5');
    expect(formatPercentEs(55)).toBe('55');
    // 29 of 40 = 72.5 %
    expect(conditions(`${'P'.repeat(29)}${'A'.repeat(11)}`).LOW_ATTENDANCE).toMatchObject({ level: 'MEDIUM', title: 'Asistencia del 72,5 % en los últimos 30 días' });
  });
});

describe('frequent lateness (R32, US-ATT-14)', () => {
  it('US-ATT-14: given 4 LATE in 30 days, then LOW; at 8, MEDIUM; 3 → none', () => {
    expect(conditions('TTT').FREQUENT_LATENESS).toBeNull();
    expect(conditions('TTTT').FREQUENT_LATENESS).toMatchObject({ level: 'LOW', title: '4 llegadas tarde en los últimos 30 días' });
    expect(conditions('TTTTTTTT').FREQUENT_LATENESS?.level).toBe('MEDIUM');
    expect(frequentLatenessLevel(7, S.frequent_lateness)).toBe('LOW');
  });

  it('the seed lateness pattern (NN 24, 6 late) gives LOW with late counts per weekday', () => {
    const c = conditions('TPPPTPPPTPPPTPPPTPTP').FREQUENT_LATENESS;
    expect(c?.level).toBe('LOW');
    expect(Object.values(c?.data.by_weekday as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(6);
  });
});

describe('lifecycle (R33)', () => {
  const dismissed = (level: AlertLevel, daysAgo: number): ResolvedAlert => ({ level, resolution: 'DISMISSED', resolvedAt: new Date(NOW.getTime() - daysAgo * DAY) });
  const handled = (level: AlertLevel, conditionClearedSince = false): ResolvedAlert => ({ level, resolution: 'HANDLED', resolvedAt: new Date(NOW.getTime() - 30 * DAY), conditionClearedSince });

  it('when the condition holds and nothing exists, then CREATE', () => {
    expect(decide({ wanted: 'HIGH' })).toEqual({ action: 'CREATE', level: 'HIGH' });
  });

  it('when the condition holds at the same level, then nothing changes; at a lower level it is lowered silently', () => {
    expect(decide({ wanted: 'HIGH', unresolved: { level: 'HIGH', state: 'ACKNOWLEDGED' } })).toEqual({ action: 'NONE' });
    expect(decide({ wanted: 'MEDIUM', unresolved: { level: 'CRITICAL', state: 'ACKNOWLEDGED' } })).toEqual({ action: 'LOWER', from: 'CRITICAL', to: 'MEDIUM' });
  });

  it('when an ACKNOWLEDGED alert escalates, then it goes back to OPEN', () => {
    expect(decide({ wanted: 'CRITICAL', unresolved: { level: 'HIGH', state: 'ACKNOWLEDGED' } })).toEqual({ action: 'ESCALATE', from: 'HIGH', to: 'CRITICAL', reopen: true });
  });

  it('when nothing holds and nothing exists, then NONE', () => {
    expect(decide({})).toEqual({ action: 'NONE' });
    expect(decide({ lastResolved: dismissed('HIGH', 1) })).toEqual({ action: 'NONE' });
  });

  it('US-ATT-14: given a DISMISSED LOW_ATTENDANCE alert, then no new one for 7 days unless the level would be higher', () => {
    expect(decide({ wanted: 'HIGH', lastResolved: dismissed('HIGH', 1) })).toEqual({ action: 'SUPPRESS', level: 'HIGH', because: 'DISMISSED' });
    expect(decide({ wanted: 'MEDIUM', lastResolved: dismissed('HIGH', 6.9) })).toEqual({ action: 'SUPPRESS', level: 'MEDIUM', because: 'DISMISSED' });
    expect(decide({ wanted: 'CRITICAL', lastResolved: dismissed('HIGH', 1) })).toEqual({ action: 'CREATE', level: 'CRITICAL' });
    expect(decide({ wanted: 'HIGH', lastResolved: dismissed('HIGH', 7) })).toEqual({ action: 'CREATE', level: 'HIGH' });
    expect(decide({ wanted: 'HIGH', lastResolved: dismissed('HIGH', 1), dismissalSuppressionDays: 0 })).toEqual({ action: 'CREATE', level: 'HIGH' });
  });

  it('when a HANDLED alert\'s condition keeps holding at its level or lower, then no new alert, however long ago', () => {
    expect(decide({ wanted: 'HIGH', lastResolved: handled('HIGH') })).toEqual({ action: 'SUPPRESS', level: 'HIGH', because: 'HANDLED' });
    expect(decide({ wanted: 'MEDIUM', lastResolved: handled('HIGH') })).toEqual({ action: 'SUPPRESS', level: 'MEDIUM', because: 'HANDLED' });
  });

  it('when a HANDLED alert\'s condition rises above the handled level, then a new alert is created at once', () => {
    expect(decide({ wanted: 'CRITICAL', lastResolved: handled('HIGH') })).toEqual({ action: 'CREATE', level: 'CRITICAL' });
  });

  it('when the condition stops holding after HANDLED, then the mark is asked for once and the next occurrence is new', () => {
    expect(decide({ wanted: null, lastResolved: handled('HIGH') })).toEqual({ action: 'CLEAR_HANDLED_SUPPRESSION' });
    expect(decide({ wanted: null, lastResolved: handled('HIGH', true) })).toEqual({ action: 'NONE' });
    expect(decide({ wanted: 'HIGH', lastResolved: handled('HIGH', true) })).toEqual({ action: 'CREATE', level: 'HIGH' });
  });

  it('when the last resolution was AUTO_CLEARED or STUDENT_INACTIVE, then nothing is suppressed', () => {
    for (const resolution of ['AUTO_CLEARED', 'STUDENT_INACTIVE'] as const) {
      expect(decide({ wanted: 'HIGH', lastResolved: { level: 'CRITICAL', resolution, resolvedAt: NOW } })).toEqual({ action: 'CREATE', level: 'HIGH' });
    }
  });

  it('property: with an unresolved alert the decision never creates or suppresses, and always lands on the wanted level', () => {
    const level = fc.constantFrom<AlertLevel>('LOW', 'MEDIUM', 'HIGH', 'CRITICAL');
    fc.assert(
      fc.property(fc.option(level, { nil: null }), level, fc.constantFrom<'OPEN' | 'ACKNOWLEDGED'>('OPEN', 'ACKNOWLEDGED'), (wanted, current, state) => {
        const d = decide({ wanted, unresolved: { level: current, state } });
        if (wanted === null) expect(d).toEqual({ action: 'RESOLVE', resolution: 'AUTO_CLEARED' });
        else if (wanted === current) expect(d).toEqual({ action: 'NONE' });
        else if (isHigherLevel(wanted, current)) expect(d).toMatchObject({ action: 'ESCALATE', to: wanted, reopen: state === 'ACKNOWLEDGED' });
        else expect(d).toMatchObject({ action: 'LOWER', to: wanted });
      }),
    );
  });
});

describe('history, events, overdue and actions (§7, R36, R37)', () => {
  it('when levels change, then history grows and event keys differ even for a level seen before', () => {
    const h1 = appendLevelHistory([], 'HIGH', NOW);
    const h2 = appendLevelHistory(h1, 'CRITICAL', new Date(NOW.getTime() + DAY));
    const h3 = appendLevelHistory(h2, 'HIGH', new Date(NOW.getTime() + 2 * DAY));
    expect(h1).toEqual([{ level: 'HIGH', at: NOW.toISOString() }]);
    expect([alertEventDiscriminator('HIGH', h1.length), alertEventDiscriminator('CRITICAL', h2.length), alertEventDiscriminator('HIGH', h3.length)]).toEqual(['HIGH-1', 'CRITICAL-2', 'HIGH-3']);
  });

  it('US-ATT-15: an OPEN alert 8 days old is overdue; acknowledged or re-escalated recently is not', () => {
    const createdAt = new Date(NOW.getTime() - 8 * DAY);
    expect(isAlertOverdue({ state: 'OPEN', createdAt, escalatedAt: null }, NOW, 7)).toBe(true);
    expect(isAlertOverdue({ state: 'ACKNOWLEDGED', createdAt, escalatedAt: null }, NOW, 7)).toBe(false);
    expect(isAlertOverdue({ state: 'OPEN', createdAt, escalatedAt: new Date(NOW.getTime() - DAY) }, NOW, 7)).toBe(false);
    expect(daysOpen(createdAt, NOW)).toBe(8);
  });

  it('R37: actions by type and level, lateness naming the current tolerance, CUSTOM none', () => {
    expect(recommendedActions('CONSECUTIVE_ABSENCES', 'HIGH', 15)[0]).toBe('Llamar al aprendiz para conocer la causa');
    expect(recommendedActions('CONSECUTIVE_ABSENCES', 'CRITICAL', 15)).toHaveLength(4);
    expect(recommendedActions('LOW_ATTENDANCE', 'MEDIUM', 15)).toHaveLength(3);
    expect(recommendedActions('LOW_ATTENDANCE', 'CRITICAL', 15)).toHaveLength(5);
    expect(recommendedActions('FREQUENT_LATENESS', 'LOW', 10)).toContain('Recordar la tolerancia de 10 minutos');
    expect(recommendedActions('CUSTOM', 'LOW', 15)).toEqual([]);
  });

  it('titles and messages stay within the §3.6 lengths', () => {
    const all = conditions('TTTTTTTTPAAAAAAAAAAAAAAAAAAAAA');
    for (const c of Object.values(all)) {
      expect(c).not.toBeNull();
      expect(c!.title.length).toBeGreaterThanOrEqual(5);
      expect(c!.title.length).toBeLessThanOrEqual(200);
      expect(c!.message.length).toBeGreaterThanOrEqual(10);
      expect(c!.message.length).toBeLessThanOrEqual(1000);
    }
  });
});
