import { describe, expect, it } from 'vitest';
import { bandFor, checkActivation, checkBands, DEFAULT_BANDS, evaluationTotal, isValidScore, levelsValid, mean, projectGrade, ratio, submissionResult } from './grading.ts';

const ADSO = [20, 15, 15, 10, 15, 10, 10, 5].map((weight, i) => ({ id: `c${i}`, weight }));
const scores = (values: number[]) => new Map(values.map((v, i) => [`c${i}`, v]));

describe('grading', () => {
  it('when the default software rubric gets 90…55, then the total is 76.0, band C (US-PEV-09)', () => {
    // 18 + 12.75 + 12 + 7.5 + 10.5 + 6.5 + 6 + 2.75 = 76.0
    const total = evaluationTotal(ADSO, scores([90, 85, 80, 75, 70, 65, 60, 55]));
    expect(total).toBe(76);
    expect(bandFor(DEFAULT_BANDS, total).code).toBe('C');
  });

  it('when a weighted total ends in .x5, then it rounds half-up', () => {
    // 50×33.3 + 50×66.6 … use two criteria: (0.1×50 + 0×50)/100 = 0.05 → 0.1
    const two = [{ id: 'c0', weight: 50 }, { id: 'c1', weight: 50 }];
    expect(evaluationTotal(two, scores([0.1, 0]))).toBe(0.1);
    expect(evaluationTotal(two, scores([84.5, 84.4]))).toBe(84.5); // 84.45 → 84.5
    expect(evaluationTotal(two, scores([100, 100]))).toBe(100);
  });

  it('when a criterion is missing, then INCOMPLETE_SCORES names it', () => {
    expect(() => evaluationTotal(ADSO, scores([90, 85]))).toThrowError(expect.objectContaining({ code: 'INCOMPLETE_SCORES', details: { missing_criterion_ids: ['c2', 'c3', 'c4', 'c5', 'c6', 'c7'] } }));
  });

  it('when two jurors total 76.0 and 84.0, then the final score is 80.0, band B, spread 8.0 (US-PEV-10)', () => {
    const two = [{ id: 'c0', weight: 100 }];
    const r = submissionResult(two, DEFAULT_BANDS, [scores([76]), scores([84])]);
    expect(r).toMatchObject({ final_score: 80, score_spread: 8, needs_calibration: false });
    expect(r.band.code).toBe('B');
  });

  it('when jurors disagree by more than 20 points, then the result needs calibration', () => {
    const one = [{ id: 'c0', weight: 100 }];
    expect(submissionResult(one, DEFAULT_BANDS, [scores([60]), scores([80.1])]).needs_calibration).toBe(true);
    expect(submissionResult(one, DEFAULT_BANDS, [scores([60]), scores([80])]).needs_calibration).toBe(false);
  });

  it('when the mean of unrounded totals is x.x5, then it rounds half-up (84.5 and 80.0 → 82.3)', () => {
    const one = [{ id: 'c0', weight: 100 }];
    expect(submissionResult(one, DEFAULT_BANDS, [scores([84.5]), scores([80])]).final_score).toBe(82.3);
    // unrounded totals 70.05 and 70.05 (two criteria 50/50) give 70.1 rather than the rounded totals' mean
    const two = [{ id: 'c0', weight: 50 }, { id: 'c1', weight: 50 }];
    const r = submissionResult(two, DEFAULT_BANDS, [scores([70.1, 70]), scores([70, 70])]);
    expect(r.final_score).toBe(70);
    expect(r.criterion_averages).toEqual([{ criterion_id: 'c0', average: 70.1 }, { criterion_id: 'c1', average: 70 }]);
  });

  it('when three jurors score, then the criterion averages round half-up', () => {
    const one = [{ id: 'c0', weight: 100 }];
    const r = submissionResult(one, DEFAULT_BANDS, [scores([80]), scores([80]), scores([80.1])]);
    expect(r.criterion_averages[0].average).toBe(80);
    expect(r.final_score).toBe(80);
  });

  it('bands: a score falls in the band with the highest min_score at or below it', () => {
    expect(bandFor(DEFAULT_BANDS, 89.9).code).toBe('B');
    expect(bandFor(DEFAULT_BANDS, 90).code).toBe('A');
    expect(bandFor(DEFAULT_BANDS, 59.9).code).toBe('F');
  });

  it('bands: every R17 rule refuses with its reason', () => {
    expect(() => checkBands(DEFAULT_BANDS)).not.toThrow();
    const reason = (b: typeof DEFAULT_BANDS) => {
      try {
        checkBands(b);
        return undefined;
      } catch (e) {
        return (e as { details: { reason: string } }).details.reason;
      }
    };
    expect(reason([DEFAULT_BANDS[0]])).toBe('count');
    expect(reason(DEFAULT_BANDS.slice(0, 4))).toBe('no_zero_band');
    expect(reason([...DEFAULT_BANDS.slice(0, 4), { ...DEFAULT_BANDS[4], code: 'A' }])).toBe('duplicate_code');
    expect(reason([{ code: 'P', label: 'p', min_score: 50, is_passing: true }, { code: 'Q', label: 'q', min_score: 50, is_passing: false }])).toBe('duplicate_min_score');
    expect(reason([{ code: 'P', label: 'p', min_score: 50, is_passing: true }, { code: 'Q', label: 'q', min_score: 0, is_passing: true }])).toBe('passing_mix');
    expect(reason([{ code: 'P', label: 'p', min_score: 0, is_passing: true }, { code: 'Q', label: 'q', min_score: 50, is_passing: false }])).toBe('passing_order');
    expect(reason([{ code: 'P', label: 'p', min_score: 50.55, is_passing: true }, { code: 'Q', label: 'q', min_score: 0, is_passing: false }])).toBe('min_score');
  });

  it('activation: weights must total 100 over 2–20 criteria', () => {
    expect(() => checkActivation([{ id: 'a', weight: 30 }, { id: 'b', weight: 30 }, { id: 'c', weight: 30 }])).toThrowError(expect.objectContaining({ code: 'RUBRIC_WEIGHTS_INVALID', details: { total: 90 } }));
    expect(() => checkActivation([{ id: 'a', weight: 100 }])).toThrowError(expect.objectContaining({ code: 'RUBRIC_CRITERIA_INVALID' }));
    expect(() => checkActivation(ADSO)).not.toThrow();
  });

  it('scores: 0–100 with one decimal', () => {
    expect(isValidScore(87.3)).toBe(true);
    expect(isValidScore(100.5)).toBe(false);
    expect(isValidScore(87.25)).toBe(false);
    expect(isValidScore(-1)).toBe(false);
  });

  it('levels: within 0–100, ordered, not overlapping', () => {
    expect(levelsValid([{ min_score: 0, max_score: 59 }, { min_score: 60, max_score: 100 }])).toBe(true);
    expect(levelsValid([{ min_score: 0, max_score: 60 }, { min_score: 60, max_score: 100 }])).toBe(false);
    expect(levelsValid([{ min_score: 70, max_score: 60 }])).toBe(false);
  });

  it('project grade: weights 1, 2 with 80.0 and 70.0 give 73.3 (US-PEV-14); none gives null', () => {
    expect(projectGrade([{ final_score: 80, weight: 1 }, { final_score: 70, weight: 2 }])).toBe(73.3);
    expect(projectGrade([])).toBeNull();
    expect(ratio(2, 3)).toBe(66.7);
    expect(ratio(0, 0)).toBeNull();
    expect(mean([80, 70, 75.05])).toBe(75);
  });
});
