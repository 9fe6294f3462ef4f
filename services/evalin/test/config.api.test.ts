/** E52–E53 (US-EVI-16): configuration, ranges and optimistic versions. */
import { describe, expect, it } from 'vitest';
import { expectError, expectOk } from './http.ts';
import { ROLES, useHarness } from './harness.ts';

const ref = useHarness();
const URL = '/api/v1/evalin/config';

describe('configuration (E52, E53)', () => {
  it('when read at first start, then the R45 defaults at version 1 and the limits', async () => {
    const c = expectOk(await ref.h.inject('GET', URL, ref.h.fichaA.apprentices[0]));
    expect(c.settings).toMatchObject({ min_responses_for_results: 3, min_participation_percent_for_average: 20, enable_qualitative_comments: true, comments_require_review: true, auto_reminder_days_before_end: [3, 0], manual_reminder_min_interval_hours: 24, allow_overlapping_periods: false, notifications_enabled: true });
    expect(c.settings.blocked_terms.length).toBeGreaterThanOrEqual(20);
    expect(c.limits).toMatchObject({ question_text: [10, 500], period_groups: [1, 50], bulk_upload_max_rows: 1000 });
    expect(c.version).toBe(1);
  });

  it('when min_responses_for_results = 1 or days repeat, then 422 VALIDATION_ERROR', async () => {
    expectError(await ref.h.inject('PATCH', URL, ref.h.admin, { min_responses_for_results: 1, version: 1 }), 422, 'VALIDATION_ERROR');
    expectError(await ref.h.inject('PATCH', URL, ref.h.admin, { auto_reminder_days_before_end: [3, 3], version: 1 }), 422, 'VALIDATION_ERROR');
    expectError(await ref.h.inject('PATCH', URL, ref.h.admin, { min_responses_for_results: 4 }), 422, 'VALIDATION_ERROR');
  });

  it('when two admins read the same version and both patch, then the second gets 409 CONFIG_VERSION_CONFLICT', async () => {
    const h = ref.h;
    const { version } = expectOk(await h.inject('GET', URL, h.admin));
    const first = expectOk(await h.inject('PATCH', URL, h.admin, { min_responses_for_results: 4, version }));
    expect(first).toMatchObject({ version: version + 1, updated_by: h.admin.id, settings: { min_responses_for_results: 4 } });
    const err = expectError(await h.inject('PATCH', URL, h.admin, { notifications_enabled: false, version }), 409, 'CONFIG_VERSION_CONFLICT');
    expect(err.details.current_version).toBe(version + 1);
  });

  it.each(ROLES)('when %s reads and patches, then everyone reads and only admin patches', async (role) => {
    expectOk(await ref.h.inject('GET', URL, role));
    const res = await ref.h.inject('PATCH', URL, role, { manual_reminder_min_interval_hours: 24, version: 999 });
    if (role === 'admin') expectError(res, 409, 'CONFIG_VERSION_CONFLICT');
    else expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
  });
});
