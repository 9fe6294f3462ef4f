/** The R25/R26 formula against hand-computed cases at every threshold (settings version 1). */
import { describe, expect, it } from 'vitest';
import { assess, confidenceOf, DEFAULT_SETTINGS, levelOf, riskWindows, settingsProblems, type Counts, type RiskInputs } from './risk.ts';

const TODAY = '2026-03-09';
const counts = (o: Partial<Counts>): Counts => ({ scheduled: 20, present: 20, late: 0, absent: 0, justified: 0, consecutive_absent: 0, ...o });
const inputs = (w: Partial<Counts>, r: Partial<Counts> = {}, extra: Partial<RiskInputs> = {}): RiskInputs => ({
  window: counts(w),
  recent: counts({ scheduled: 0, present: 0, ...r }),
  project: { state: 'no_data', value: null },
  evalin: { state: 'no_data', value: null },
  ...extra,
});
const run = (i: RiskInputs) => assess(i, DEFAULT_SETTINGS, TODAY);
const points = (i: RiskInputs, code: string) => {
  const a = run(i);
  return a.factors.find((f) => f.code === code)?.points;
};

describe('windows (R22)', () => {
  it('when today is D, then W = [D−28, D−1] and Wr = [D−14, D−1]', () => {
    expect(riskWindows(TODAY)).toEqual({ start: '2026-02-09', end: '2026-03-08', recentStart: '2026-02-23', previousEnd: '2026-02-22' });
  });
});

describe('US-AI-11 the documented case', () => {
  it('when 20 sessions, 13 attended (6 + 7 per half), 7 unjustified, longest run 3, then 35 + 15 + 10 = 60 high with high confidence', () => {
    const a = run(inputs({ present: 13, absent: 7, consecutive_absent: 3 }, { scheduled: 10, present: 7, absent: 3 }));
    expect(a.status).toBe('assessed');
    expect(a.score).toBe(60);
    expect(a.level).toBe('high');
    expect(a.confidence).toBe('high');
    const applied = a.factors.filter((f) => f.status === 'applied');
    expect(applied.map((f) => [f.code, f.value, f.points])).toEqual([
      ['LOW_ATTENDANCE', 65, 35],
      ['CONSECUTIVE_ABSENCES', 3, 15],
      ['UNJUSTIFIED_ABSENCES', 7, 10],
    ]);
    expect(applied[0].label).toBe('Asistencia de 65 % en las últimas 4 semanas');
  });

  it('§11 demo cases: 11/20 run 5 → 70 critical; 17/20 run 2 → 18 low', () => {
    expect(run(inputs({ present: 11, absent: 9, consecutive_absent: 5 })).score).toBe(70);
    expect(run(inputs({ present: 11, absent: 9, consecutive_absent: 5 })).level).toBe('critical');
    const low = run(inputs({ present: 17, absent: 3, consecutive_absent: 2 }));
    expect([low.score, low.level]).toEqual([18, 'low']);
  });
});

describe('insufficient data and confidence (R24)', () => {
  it('when 4 sessions, then insufficient_data without score; 5 gives low confidence', () => {
    expect(run(inputs({ scheduled: 4, present: 0, absent: 4 }))).toMatchObject({ status: 'insufficient_data', score: null, level: null });
    expect(run(inputs({ scheduled: 5, present: 5 })).confidence).toBe('low');
    expect([confidenceOf(9), confidenceOf(10), confidenceOf(19), confidenceOf(20)]).toEqual(['low', 'medium', 'medium', 'high']);
  });
});

describe('LOW_ATTENDANCE bands: < 70 → 35, < 80 → 20, < 90 → 8', () => {
  // 100 sessions make each percentage exact.
  const at = (present: number) => points(inputs({ scheduled: 100, present, absent: 0 }), 'LOW_ATTENDANCE');
  it.each([
    [69, 35],
    [70, 20],
    [79, 20],
    [80, 8],
    [89, 8],
    [90, 0],
  ])('when the rate is %i %%, then %i points', (rate, pts) => expect(at(rate)).toBe(pts));
  it('when late and justified count as attended, then (present + late + justified) / scheduled', () => {
    expect(points(inputs({ scheduled: 10, present: 5, late: 2, justified: 2, absent: 1 }), 'LOW_ATTENDANCE')).toBe(0);
  });
});

describe('CONSECUTIVE_ABSENCES bands: ≥ 5 → 25, ≥ 3 → 15, ≥ 2 → 5', () => {
  it.each([
    [1, 0],
    [2, 5],
    [3, 15],
    [4, 15],
    [5, 25],
    [9, 25],
  ])('when the longest run is %i, then %i points', (n, pts) => expect(points(inputs({ consecutive_absent: n }), 'CONSECUTIVE_ABSENCES')).toBe(pts));
});

describe('UNJUSTIFIED_ABSENCES bands: ≥ 6 → 10, ≥ 3 → 5', () => {
  it.each([
    [2, 0],
    [3, 5],
    [5, 5],
    [6, 10],
  ])('when %i absences, then %i points', (n, pts) => expect(points(inputs({ present: 20 - n, absent: n }), 'UNJUSTIFIED_ABSENCES')).toBe(pts));
});

describe('DECLINING_TREND: drop ≥ 20 → 10, ≥ 10 → 5, each half ≥ 3 sessions', () => {
  // Wp 10 sessions all attended (100 %); Wr 10 sessions with `a` attended.
  const trend = (recentAttended: number) => points(inputs({ present: 10 + recentAttended, absent: 10 - recentAttended }, { scheduled: 10, present: recentAttended, absent: 10 - recentAttended }), 'DECLINING_TREND');
  it.each([
    [10, 0],
    [9, 5],
    [8, 10],
    [7, 10],
  ])('when the recent half has %i of 10 after 10 of 10, then %i points', (a, pts) => expect(trend(a)).toBe(pts));
  it('when the halves are 100 % and 90 %, 80 %, 70 %, then 5, 10, 10', () => {
    const at = (a: number) => run(inputs({ present: 10 + a, absent: 10 - a }, { scheduled: 10, present: a, absent: 10 - a })).factors.find((f) => f.code === 'DECLINING_TREND')!;
    expect(at(9).points).toBe(5);
    expect(at(9).value).toBe(10);
    expect(at(8).points).toBe(10);
    expect(at(7).points).toBe(10);
    expect(at(10).points).toBe(0);
  });
  it('when a half has fewer than 3 sessions, then not applied', () => {
    const a = run(inputs({ scheduled: 12, present: 2, absent: 10 }, { scheduled: 10, present: 0, absent: 10 }));
    expect(a.factors.find((f) => f.code === 'DECLINING_TREND')).toMatchObject({ status: 'not_met', points: 0 });
  });
});

describe('FREQUENT_LATENESS: late / attended ≥ 30 % with ≥ 5 attended → 5', () => {
  it('when 3 of 10 attended were late (30 %), then 5; 2 of 10, then 0; 2 of 4 attended, then 0 (fewer than 5)', () => {
    expect(points(inputs({ scheduled: 10, present: 7, late: 3, absent: 0 }), 'FREQUENT_LATENESS')).toBe(5);
    expect(points(inputs({ scheduled: 10, present: 8, late: 2, absent: 0 }), 'FREQUENT_LATENESS')).toBe(0);
    expect(points(inputs({ scheduled: 10, present: 2, late: 2, absent: 6 }), 'FREQUENT_LATENESS')).toBe(0);
  });
});

describe('LOW_PROJECT_GRADE: < 60 → 15, < 70 → 5, within 180 days; unavailable → 0', () => {
  const grade = (score: number, published_at = '2026-03-01T00:00:00Z') => points(inputs({}, {}, { project: { state: 'ok', value: { score, published_at } } }), 'LOW_PROJECT_GRADE');
  it.each([
    [59, 15],
    [60, 5],
    [69, 5],
    [70, 0],
  ])('when the score is %i, then %i points', (s, pts) => expect(grade(s)).toBe(pts));
  it('when the result is older than 180 days, then not applied', () => {
    expect(grade(40, '2025-09-09T23:00:00Z')).toBe(0);
    expect(grade(40, '2025-09-10T00:00:00Z')).toBe(15);
  });
  it('when projecteval does not answer, then unavailable with 0 points', () => {
    const a = run(inputs({}, {}, { project: { state: 'unavailable', value: null } }));
    expect(a.factors.find((f) => f.code === 'LOW_PROJECT_GRADE')).toMatchObject({ status: 'unavailable', points: 0 });
  });
});

describe('EVALIN_NOT_SUBMITTED: 0 submitted in the latest period → 5', () => {
  it('when none submitted, then 5; one submitted, 0; no period, 0; unavailable, 0', () => {
    const ev = (evalin: RiskInputs['evalin']) => points(inputs({}, {}, { evalin }), 'EVALIN_NOT_SUBMITTED');
    expect(ev({ state: 'ok', value: { assigned: null, submitted: 0, period_id: 'p' } })).toBe(5);
    expect(ev({ state: 'ok', value: { assigned: null, submitted: 1, period_id: 'p' } })).toBe(0);
    expect(ev({ state: 'no_data', value: null })).toBe(0);
    expect(run(inputs({}, {}, { evalin: { state: 'unavailable', value: null } })).factors.find((f) => f.code === 'EVALIN_NOT_SUBMITTED')?.status).toBe('unavailable');
  });
  it('§11: adding 5 changes no level of the demo cases (65, 75, 23)', () => {
    const evalin: RiskInputs['evalin'] = { state: 'ok', value: { assigned: null, submitted: 0, period_id: 'p' } };
    expect(run(inputs({ present: 13, absent: 7, consecutive_absent: 3 }, {}, { evalin }))).toMatchObject({ score: 65, level: 'high' });
    expect(run(inputs({ present: 11, absent: 9, consecutive_absent: 5 }, {}, { evalin }))).toMatchObject({ score: 75, level: 'critical' });
    expect(run(inputs({ present: 17, absent: 3, consecutive_absent: 2 }, {}, { evalin }))).toMatchObject({ score: 23, level: 'low' });
  });
});

describe('score and level (R26)', () => {
  it.each([
    [0, 'low'],
    [29, 'low'],
    [30, 'medium'],
    [49, 'medium'],
    [50, 'high'],
    [69, 'high'],
    [70, 'critical'],
    [100, 'critical'],
  ])('when the score is %i, then %s', (score, level) => expect(levelOf(score, DEFAULT_SETTINGS.level_cutoffs)).toBe(level));
  it('when every factor applies at its top band, then the score caps at 100', () => {
    const a = run(
      inputs(
        { scheduled: 20, present: 1, late: 4, absent: 15, consecutive_absent: 9 },
        { scheduled: 10, present: 0, late: 0, absent: 10 },
        { project: { state: 'ok', value: { score: 10, published_at: '2026-03-01T00:00:00Z' } }, evalin: { state: 'ok', value: { assigned: null, submitted: 0, period_id: 'p' } } },
      ),
    );
    expect(a.factors.reduce((s, f) => s + f.points, 0)).toBe(105);
    expect(a.score).toBe(100);
  });
});

describe('settings rules (R29)', () => {
  it('when cut-offs are medium 40, high 30, then refused; bands out of order refused; the default passes', () => {
    expect(settingsProblems(DEFAULT_SETTINGS)).toEqual([]);
    expect(settingsProblems({ ...DEFAULT_SETTINGS, level_cutoffs: { medium: 40, high: 30, critical: 70 } })[0].field).toBe('level_cutoffs');
    const bad = structuredClone(DEFAULT_SETTINGS);
    bad.values.low_attendance.bands = [80, 70, 90];
    bad.values.consecutive_absences.bands = [2, 3, 5];
    bad.values.unjustified_absences.points = [10];
    expect(settingsProblems(bad).map((p) => p.field)).toEqual(['values.low_attendance.bands', 'values.consecutive_absences.bands', 'values.unjustified_absences.points']);
  });
});
