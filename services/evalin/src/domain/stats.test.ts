import { describe, expect, it } from 'vitest';
import { likertStats, median, roundHalfUp, strengthsAndAreas, thresholds } from './stats.ts';

describe('R35 formulas', () => {
  it('when the values are 5, 4, 4, 3, then average 4.00, median 4.00, population std dev 0.71, min 3, max 5', () => {
    expect(likertStats([5, 4, 4, 3])).toMatchObject({ average: 4, median: 4, std_dev: 0.71, min: 3, max: 5, distribution: { 1: 0, 2: 0, 3: 1, 4: 2, 5: 1 }, percentages: { 3: 25, 4: 50, 5: 25 } });
  });
  it('when the count is even, then the median is the mean of the two middle values', () => {
    expect(median([1, 2, 4, 5])).toBe(3);
    expect(median([3, 5, 4])).toBe(4);
  });
  it('when a value ends in 5 at the cut, then it rounds half up', () => {
    expect(roundHalfUp(13.35, 1)).toBe(13.4);
    expect(roundHalfUp(2.675, 2)).toBe(2.68);
    expect(roundHalfUp(4 / 30 * 100, 1)).toBe(13.3);
  });
  it('when categories average 4.5, 4.0, 3.9, 3.4 and 2, then strengths and improvement areas follow the cut-offs', () => {
    const r = strengthsAndAreas([{ category: 'A', average: 4.5 }, { category: 'B', average: 4 }, { category: 'C', average: 3.9 }, { category: 'D', average: 3.4 }, { category: 'E', average: 2 }, { category: 'F', average: null }]);
    expect(r).toEqual({ strengths: ['A', 'B'], improvement_areas: ['E', 'D'] });
  });
  it('when n is at, below and above the thresholds, then R33–R34 decide', () => {
    expect(thresholds(2, 10, 3, 20)).toMatchObject({ shown: false, reason: 'insufficient_responses' });
    expect(thresholds(3, 10, 3, 20)).toMatchObject({ shown: true, averages: true, reason: null });
    expect(thresholds(3, 15, 3, 20)).toMatchObject({ shown: true, averages: true, reason: null });
    expect(thresholds(3, 16, 3, 20)).toMatchObject({ shown: true, averages: false, reason: 'low_participation' });
    expect(thresholds(4, 0, 3, 20)).toMatchObject({ shown: true, averages: true, rate: null });
  });
});
