/**
 * Pure delivery rules: priority gate (R15), retry policy and backoff (R29), status derivation (R32),
 * masking of destinations (O5) and quiet hours in Bogotá time (R20).
 */
import { PRIORITY_RANK, type Channel, type DeliveryStatus, type Priority } from './enums.ts';

/** R15: the lowest priority that may use each channel. */
const GATE: Record<Channel, Priority> = { in_app: 'low', email: 'low', push: 'normal', sms: 'high' };

export function priorityAllows(priority: Priority, channel: Channel): boolean {
  return PRIORITY_RANK[priority] >= PRIORITY_RANK[GATE[channel]];
}

export interface RetryPolicy { maxAttempts: number; baseMs: number; capMs: number; timeoutMs: number }

/** R29 per channel: max attempts / base / cap / attempt timeout. */
export const RETRY: Record<Channel, RetryPolicy> = {
  email: { maxAttempts: 6, baseMs: 30_000, capMs: 30 * 60_000, timeoutMs: 30_000 },
  sms: { maxAttempts: 4, baseMs: 20_000, capMs: 10 * 60_000, timeoutMs: 15_000 },
  push: { maxAttempts: 4, baseMs: 10_000, capMs: 10 * 60_000, timeoutMs: 10_000 },
  in_app: { maxAttempts: 3, baseMs: 2_000, capMs: 30_000, timeoutMs: 5_000 },
};

/** min(cap, base·2^(n−1)) × U[0.5, 1], n = attempts made (R11, R29). */
export function backoffMs(attempts: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const raw = Math.min(capMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.5 + random() * 0.5));
}

export const FANOUT_RETRY = { maxAttempts: 8, baseMs: 30_000, capMs: 60 * 60_000 };

const TERMINAL_OK: readonly DeliveryStatus[] = ['sent', 'delivered', 'digested'];
const IN_PROGRESS: readonly DeliveryStatus[] = ['pending', 'queued', 'sending', 'retrying'];

/** R32: the notification's status from its deliveries' statuses; null while any is in progress. */
export function derivedStatus(counts: Partial<Record<DeliveryStatus, number>>): 'completed' | 'partially_failed' | 'failed' | null {
  const n = (s: DeliveryStatus) => counts[s] ?? 0;
  if (IN_PROGRESS.some((s) => n(s) > 0)) return null;
  const dead = n('dead');
  if (dead === 0) return 'completed';
  return TERMINAL_OK.some((s) => n(s) > 0) ? 'partially_failed' : 'failed';
}

/** O5: `l***@demo.sicora.test`, `+57******4567`. */
export function maskDestination(channel: Channel, value: string | null): string | null {
  if (!value) return null;
  if (channel === 'email') {
    const at = value.indexOf('@');
    return at <= 0 ? '***' : `${value[0]}***${value.slice(at)}`;
  }
  if (channel === 'sms') return value.length <= 7 ? '***' : `${value.slice(0, 3)}${'*'.repeat(value.length - 7)}${value.slice(-4)}`;
  return `…${value.slice(-8)}`;
}

/** Local HH:MM and the UTC instant of a local wall time in `zone`, without fixed offsets (00-conventions §5). */
export function localParts(at: Date, zone: string): { date: string; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at).map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** R20: the end of the quiet window `at` falls in, or null when `at` is outside it. Windows may cross midnight. */
export function quietWindowEnd(at: Date, start: string, end: string, zone: string): Date | null {
  const s = toMinutes(start);
  const e = toMinutes(end);
  const { minutes } = localParts(at, zone);
  const inside = s < e ? minutes >= s && minutes < e : minutes >= s || minutes < e;
  if (!inside) return null;
  const wait = (e - minutes + 1440) % 1440;
  // Whole minutes from now to the local end time; seconds of the current minute are dropped.
  const base = new Date(at.getTime() - (at.getUTCSeconds() * 1000 + at.getUTCMilliseconds()));
  return new Date(base.getTime() + wait * 60_000);
}

/** R21: per recipient and channel, [window ms, limit] pairs; in_app is unlimited. */
export const THROTTLE: Partial<Record<Channel, Array<[number, number]>>> = {
  email: [[3_600_000, 10], [86_400_000, 50]],
  push: [[3_600_000, 10], [86_400_000, 30]],
  sms: [[3_600_000, 3], [86_400_000, 10]],
};

/** When the next send is allowed given earlier send times (ms), or null when it is allowed now. */
export function throttleUntil(sentAt: number[], now: number, channel: Channel): number | null {
  let until: number | null = null;
  for (const [window, limit] of THROTTLE[channel] ?? []) {
    const inWindow = sentAt.filter((t) => t > now - window).sort((a, b) => a - b);
    if (inWindow.length >= limit) {
      const free = inWindow[inWindow.length - limit] + window;
      until = until === null ? free : Math.max(until, free);
    }
  }
  return until;
}

/** The UTC instant of local wall time `date` `hour`:00 in `zone` (offset read from Intl, not fixed). */
export function localToUtc(date: string, hour: number, zone: string): Date {
  const guess = Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
  const p = localParts(new Date(guess), zone);
  const shownMinutes = Date.parse(`${p.date}T00:00:00Z`) / 60_000 + p.minutes;
  return new Date(guess - (shownMinutes - guess / 60_000) * 60_000);
}

/** R22: when a digest opened now is flushed: the next full hour, or the next `digest_hour`:00 local. */
export function digestDue(now: Date, frequency: 'hourly' | 'daily', digestHour: number, zone: string): Date {
  if (frequency === 'hourly') return new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 3_600_000);
  const today = localParts(now, zone).date;
  const at = localToUtc(today, digestHour, zone);
  if (at.getTime() > now.getTime()) return at;
  const tomorrow = localParts(new Date(at.getTime() + 36 * 3_600_000), zone).date;
  return localToUtc(tomorrow, digestHour, zone);
}
