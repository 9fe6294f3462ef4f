/**
 * Channel decision per recipient (R14–R20): the first status of each delivery and why.
 */
import { priorityAllows, quietWindowEnd } from './rules.ts';
import type { Category, Channel, Priority } from './enums.ts';

export interface Preferences {
  email_enabled: boolean;
  sms_enabled: boolean;
  push_enabled: boolean;
  category_overrides: Record<string, { email?: boolean; sms?: boolean; push?: boolean }>;
  quiet_hours_enabled: boolean;
  quiet_start: string;
  quiet_end: string;
  digest: 'off' | 'hourly' | 'daily';
  digest_hour: number;
  locale: string;
}

export interface DecisionInput {
  channel: Channel;
  priority: Priority;
  category: Category;
  mandatory: boolean;
  inactiveAllowed: boolean;
  recipient: { is_active: boolean; is_deleted: boolean; email: string | null; phone: string | null; devices: number };
  prefs: Preferences;
  configured: boolean;
  template: { active: boolean } | null;
  now: Date;
  zone: string;
}

export interface Decision {
  status: 'queued' | 'pending' | 'skipped';
  reason: string | null;
  destination: string | null;
  notBefore: Date | null;
}

const skip = (reason: string): Decision => ({ status: 'skipped', reason, destination: null, notBefore: null });

export function optedIn(prefs: Preferences, category: string, channel: Channel): boolean {
  if (channel === 'in_app') return true;
  const global = channel === 'email' ? prefs.email_enabled : channel === 'sms' ? prefs.sms_enabled : prefs.push_enabled;
  return global && prefs.category_overrides[category]?.[channel] !== false;
}

export function decide(i: DecisionInput, random: () => number = Math.random): Decision {
  const { channel, recipient } = i;
  if ((!recipient.is_active || recipient.is_deleted) && !i.inactiveAllowed) return skip('recipient_inactive');
  if (!priorityAllows(i.priority, channel)) return skip('priority_too_low_for_channel');
  const bypass = i.mandatory || i.priority === 'critical';
  if (!bypass && !optedIn(i.prefs, i.category, channel)) return skip('opted_out');
  const destination = channel === 'email' ? recipient.email : channel === 'sms' ? recipient.phone : null;
  if ((channel === 'email' || channel === 'sms') && !destination) return skip('no_destination');
  if (channel === 'push' && recipient.devices === 0) return skip('no_destination');
  if (!i.configured) return skip('channel_not_configured');
  if (i.template && !i.template.active) return skip('template_inactive');
  if ((channel === 'sms' || channel === 'push') && i.priority !== 'critical' && i.prefs.quiet_hours_enabled) {
    const end = quietWindowEnd(i.now, i.prefs.quiet_start, i.prefs.quiet_end, i.zone);
    if (end) return { status: 'pending', reason: 'quiet_hours', destination, notBefore: new Date(end.getTime() + Math.floor(random() * 300_000)) };
  }
  return { status: 'queued', reason: null, destination, notBefore: null };
}
