import { describe, expect, it } from 'vitest';
import { colombianHolidays, easterSunday } from './holidays.ts';

describe('Colombian holidays', () => {
  it('when 2026 is computed, then it is exactly the R25 check list', () => {
    expect(colombianHolidays(2026).map((h) => h.date.slice(5))).toEqual([
      '01-01', '01-12', '03-23', '04-02', '04-03', '05-01', '05-18', '06-08', '06-15',
      '06-29', '07-20', '08-07', '08-17', '10-12', '11-02', '11-16', '12-08', '12-25',
    ]);
    expect(colombianHolidays(2026).find((h) => h.date === '2026-03-23')?.name).toBe('San José');
  });

  it('when Easter is computed, then known years match', () => {
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2024)).toBe('2024-03-31');
  });
});
