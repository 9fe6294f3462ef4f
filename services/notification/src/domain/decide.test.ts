import { describe, expect, it } from 'vitest';
import { decide, optedIn, type DecisionInput, type Preferences } from './decide.ts';

const prefs = (p: Partial<Preferences> = {}): Preferences => ({
  email_enabled: true, sms_enabled: true, push_enabled: true, category_overrides: {}, quiet_hours_enabled: true,
  quiet_start: '21:00', quiet_end: '06:00', digest: 'daily', digest_hour: 7, locale: 'es-CO', ...p,
});
// 10:00 in Bogotá (UTC−5): outside the default quiet window.
const DAY = new Date('2026-03-11T15:00:00Z');
const NIGHT = new Date('2026-03-12T04:00:00Z'); // 23:00 Bogotá

const input = (i: Partial<DecisionInput> = {}): DecisionInput => ({
  channel: 'email', priority: 'normal', category: 'kb', mandatory: false, inactiveAllowed: false,
  recipient: { is_active: true, is_deleted: false, email: 'laura.gomez21@demo.sicora.test', phone: '+573001234567', devices: 1 },
  prefs: prefs(), configured: true, template: { active: true }, now: DAY, zone: 'America/Bogota', ...i,
});

describe('channel decision (R14–R20)', () => {
  it('when everything allows the channel, then queued with the destination', () => {
    expect(decide(input())).toEqual({ status: 'queued', reason: null, destination: 'laura.gomez21@demo.sicora.test', notBefore: null });
    expect(decide(input({ channel: 'sms', priority: 'high' })).destination).toBe('+573001234567');
    expect(decide(input({ channel: 'in_app' })).destination).toBeNull();
  });

  it('when the recipient is inactive or deleted, then skipped unless the type allows inactive recipients (flag I)', () => {
    expect(decide(input({ recipient: { ...input().recipient, is_active: false } }))).toMatchObject({ status: 'skipped', reason: 'recipient_inactive' });
    expect(decide(input({ recipient: { ...input().recipient, is_deleted: true } }))).toMatchObject({ status: 'skipped', reason: 'recipient_inactive' });
    expect(decide(input({ recipient: { ...input().recipient, is_active: false }, inactiveAllowed: true })).status).toBe('queued');
  });

  it('when the priority is below the channel gate (R15), then skipped priority_too_low_for_channel', () => {
    expect(decide(input({ channel: 'push', priority: 'low' }))).toMatchObject({ status: 'skipped', reason: 'priority_too_low_for_channel' });
    expect(decide(input({ channel: 'sms', priority: 'normal' }))).toMatchObject({ status: 'skipped', reason: 'priority_too_low_for_channel' });
    expect(decide(input({ channel: 'sms', priority: 'high' })).status).toBe('queued');
    expect(decide(input({ channel: 'email', priority: 'low' })).status).toBe('queued');
  });

  it('when the user switched the channel or the category off (R16), then opted_out; mandatory types and critical ignore it; in_app is always on', () => {
    expect(decide(input({ prefs: prefs({ email_enabled: false }) }))).toMatchObject({ status: 'skipped', reason: 'opted_out' });
    expect(decide(input({ prefs: prefs({ category_overrides: { kb: { email: false } } }) }))).toMatchObject({ status: 'skipped', reason: 'opted_out' });
    expect(decide(input({ prefs: prefs({ category_overrides: { attendance: { email: false } } }) })).status).toBe('queued');
    expect(decide(input({ prefs: prefs({ email_enabled: false }), mandatory: true })).status).toBe('queued');
    expect(decide(input({ prefs: prefs({ email_enabled: false }), priority: 'critical' })).status).toBe('queued');
    expect(optedIn(prefs({ email_enabled: false, sms_enabled: false, push_enabled: false }), 'kb', 'in_app')).toBe(true);
    expect(optedIn(prefs({ push_enabled: false }), 'kb', 'push')).toBe(false);
  });

  it('when the destination is missing (R17), then skipped no_destination', () => {
    expect(decide(input({ recipient: { ...input().recipient, email: null } }))).toMatchObject({ status: 'skipped', reason: 'no_destination' });
    expect(decide(input({ channel: 'sms', priority: 'high', recipient: { ...input().recipient, phone: null } }))).toMatchObject({ reason: 'no_destination' });
    expect(decide(input({ channel: 'push', recipient: { ...input().recipient, devices: 0 } }))).toMatchObject({ reason: 'no_destination' });
  });

  it('when the channel has no provider (R18) or its template is inactive (R19), then skipped with that reason, in that order', () => {
    expect(decide(input({ configured: false }))).toMatchObject({ status: 'skipped', reason: 'channel_not_configured' });
    expect(decide(input({ template: { active: false } }))).toMatchObject({ status: 'skipped', reason: 'template_inactive' });
    expect(decide(input({ configured: false, template: { active: false } })).reason).toBe('channel_not_configured');
    expect(decide(input({ template: null })).status).toBe('queued');
  });

  it('when a push or SMS falls in quiet hours (R20), then pending until the window end plus up to 300 s; e-mail, in_app and critical are not held', () => {
    const held = decide(input({ channel: 'push', priority: 'high', now: NIGHT }), () => 0.5);
    expect(held.status).toBe('pending');
    expect(held.reason).toBe('quiet_hours');
    // 06:00 Bogotá = 11:00Z, plus 150 s of the random 0–300 s.
    expect(held.notBefore!.toISOString()).toBe('2026-03-12T11:02:30.000Z');
    const latest = decide(input({ channel: 'sms', priority: 'high', now: NIGHT }), () => 0.999999).notBefore!.getTime();
    expect(latest).toBeLessThan(Date.parse('2026-03-12T11:05:00Z'));
    expect(decide(input({ channel: 'push', priority: 'critical', now: NIGHT })).status).toBe('queued');
    expect(decide(input({ channel: 'email', now: NIGHT })).status).toBe('queued');
    expect(decide(input({ channel: 'in_app', now: NIGHT })).status).toBe('queued');
    expect(decide(input({ channel: 'push', now: NIGHT, prefs: prefs({ quiet_hours_enabled: false }) })).status).toBe('queued');
    expect(decide(input({ channel: 'push', now: NIGHT, prefs: prefs({ quiet_start: '23:30', quiet_end: '05:30' }) })).status).toBe('queued');
  });
});
