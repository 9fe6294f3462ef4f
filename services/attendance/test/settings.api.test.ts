/** ST1/ST2 (R47, US-ATT-21): defaults at first start, merged validation naming the key, admin only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, ROLES, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const URL = '/api/v1/attendance/settings';

describe('settings (ST1, ST2)', () => {
  it('when the service has started, then the settings row holds the R47 defaults at version 1', async () => {
    const data = expectOk(await h.inject('GET', URL, h.coordinador));
    expect(data).toMatchObject({
      open_before_minutes: 15,
      late_after_minutes: 15,
      auto_close_after_minutes: 30,
      instructor_edit_days: 0,
      qr_ttl_seconds: 15,
      consecutive_absences: { high: 3, critical: 5 },
      low_attendance: { min_records: 5, medium_below: 80, high_below: 70, critical_below: 60 },
      frequent_lateness: { low_at: 4, medium_at: 8 },
      version: 1,
    });
    const rows = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attendance.settings');
    expect(rows[0].n).toBe(1);
  });

  it('when ST2 sends consecutive_absences.high=5, critical=4, then 422 naming the key and nothing changes', async () => {
    const err = expectError(await h.inject('PATCH', URL, h.admin, { consecutive_absences: { high: 5, critical: 4 } }), 422, 'VALIDATION_ERROR');
    expect(JSON.stringify(err.details)).toContain('consecutive_absences.critical');
    expect(expectOk(await h.inject('GET', URL, h.admin))).toMatchObject({ consecutive_absences: { high: 3, critical: 5 }, version: 1 });
  });

  it('when a value is out of its range or a key is unknown, then 422 naming it', async () => {
    const err = expectError(await h.inject('PATCH', URL, h.admin, { alert_window_days: 7 }), 422, 'VALIDATION_ERROR');
    expect(JSON.stringify(err.details)).toContain('alert_window_days');
    expectError(await h.inject('PATCH', URL, h.admin, { colour: 'red' }), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('PATCH', URL, h.admin, { low_attendance: { high_below: 85 } }), 422, 'VALIDATION_ERROR');
  });

  it('when ST2 sets late_after_minutes=10 and one nested key, then the merged document is stored at version + 1', async () => {
    const data = expectOk(await h.inject('PATCH', URL, h.admin, { late_after_minutes: 10, frequent_lateness: { medium_at: 9 } }));
    expect(data).toMatchObject({ late_after_minutes: 10, frequent_lateness: { low_at: 4, medium_at: 9 }, open_before_minutes: 15, version: 2 });
    const [row] = await h.db.query<{ version: number; updated_by: string }>('SELECT version, updated_by::text AS updated_by FROM attendance.settings');
    expect(row).toEqual({ version: 2, updated_by: h.admin.id });
  });

  it.each(ROLES)('when %s reads and changes settings, then only admin and coordinador read and only admin changes', async (role) => {
    const read = await h.inject('GET', URL, role);
    if (role === 'admin' || role === 'coordinador') expectOk(read);
    else expectError(read, 403, 'INSUFFICIENT_PERMISSIONS');
    const write = await h.inject('PATCH', URL, role, { dismissal_suppression_days: 7 });
    if (role === 'admin') expectOk(write);
    else expectError(write, 403, 'INSUFFICIENT_PERMISSIONS');
  });
});
