import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, mergeSettings, settingsProblems, validateSettings, withDefaults } from './settings.ts';

describe('R47 settings', () => {
  it('when the defaults are checked, then they hold every range and order', () => {
    expect(settingsProblems(DEFAULT_SETTINGS)).toEqual([]);
  });

  it('when a nested key is patched, then its siblings stay', () => {
    const merged = mergeSettings(DEFAULT_SETTINGS, { low_attendance: { critical_below: 50 }, late_after_minutes: 10 });
    expect(merged.low_attendance).toEqual({ min_records: 5, medium_below: 80, high_below: 70, critical_below: 50 });
    expect(merged.late_after_minutes).toBe(10);
    expect(DEFAULT_SETTINGS.low_attendance.critical_below).toBe(60);
  });

  it('when an order or a range breaks, then each problem names its key', () => {
    const doc = mergeSettings(DEFAULT_SETTINGS, { frequent_lateness: { low_at: 8, medium_at: 8 }, qr_ttl_seconds: 5 });
    expect(settingsProblems(doc).map((p) => p.field).sort()).toEqual(['frequent_lateness.medium_at', 'qr_ttl_seconds']);
    expect(() => validateSettings(doc)).toThrow(/frequent_lateness.medium_at/);
    expect(settingsProblems(mergeSettings(DEFAULT_SETTINGS, { open_before_minutes: 1.5 }))[0].field).toBe('open_before_minutes');
  });

  it('when a stored document lacks a key, then the default fills it', () => {
    expect(withDefaults({ late_after_minutes: 5 }).open_before_minutes).toBe(15);
    expect(withDefaults(null)).toEqual(DEFAULT_SETTINGS);
  });
});
