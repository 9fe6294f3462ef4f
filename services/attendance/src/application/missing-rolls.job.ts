/**
 * R46's notices about rolls not taken (R43: a session with no record):
 * - every 5 minutes, one `attendance.roll_missing` to the effective instructor of each session of today
 *   that ended `roll_reminder_after_minutes` ago or more, but less than 180 minutes ago, and has no record;
 * - at 23:00, one `attendance.missing_rolls_digest` of today to roles coordinador and admin when at least
 *   one ended session has no record.
 * Each notice is claimed in `notices_sent` in the transaction that queues it, so a second run, or a second
 * replica, queues nothing. Sessions come from schedules W2 (holidays and cancelled sessions are not in it).
 */
import type { JobDefinition } from '@sicora/platform/jobs';
import type { AttendanceSettings } from '../domain/settings.ts';
import { addMinutes, displayDate, localDateOf } from '../domain/time.ts';
import type { Deps } from './context.ts';
import { firstNameOf, lookupPeople, nameOf } from './people.ts';
import type { Session } from './ports.ts';

/** After this, a missing roll is the digest's and the coordination's business, not a reminder's. */
const REMINDER_HORIZON_MINUTES = 180;
/** The digest lists at most this many sessions (§7). */
const DIGEST_ITEMS = 20;

type SettingsSource = { current(): Promise<AttendanceSettings> };

/** Today's sessions (Bogotá) that ended by `at` and have no record, in start order. */
async function missingOf(deps: Deps, date: string, at: Date): Promise<{ sessions: Session[]; missing: Session[] }> {
  const sessions = (await deps.schedules.sessions({ date })).filter((s) => s.status === 'SCHEDULED');
  const taken = await deps.repos.records.takenOn(date, sessions.map((s) => s.schedule_id));
  const missing = sessions
    .filter((s) => !taken.has(s.schedule_id) && new Date(s.end_at).getTime() <= at.getTime())
    .sort((a, b) => a.start_time.localeCompare(b.start_time) || a.schedule_id.localeCompare(b.schedule_id));
  return { sessions, missing };
}

export async function sendRollReminders(deps: Deps, settings: SettingsSource, at: Date = deps.now()) {
  const s = await settings.current();
  const date = localDateOf(at, deps.timeZone);
  const { missing } = await missingOf(deps, date, addMinutes(at, -s.roll_reminder_after_minutes));
  const due = missing.filter((m) => addMinutes(new Date(m.end_at), REMINDER_HORIZON_MINUTES).getTime() > at.getTime());
  if (due.length === 0) return { sent: 0 };
  const people = await lookupPeople(deps.users, due.map((m) => m.instructor.id));
  let sent = 0;
  for (const m of due) {
    const roll = await deps.repos.rolls.bySession(m.schedule_id, date);
    const queued = await deps.withTransaction(async (tx) => {
      if (!(await tx.notices.claim('roll_missing', `${m.schedule_id}:${date}`, at))) return false;
      await tx.outbox.enqueue({
        type: 'attendance.roll_missing',
        key: [m.schedule_id, date],
        target_users: [m.instructor.id],
        priority: 'normal',
        action_url: `/asistencia/tomas/${m.schedule_id}/${date}`,
        entity_type: 'roll',
        ...(roll ? { entity_id: roll.id } : {}),
        data: {
          first_name: firstNameOf(people, m.instructor.id),
          subject: m.subject,
          group_number: m.group.number,
          session_date: displayDate(date),
          start_time: m.start_time,
          end_time: m.end_time,
          venue_code: m.venue.code,
          roll_url: `/asistencia/tomas/${m.schedule_id}/${date}`,
        },
      });
      return true;
    });
    if (queued) sent += 1;
  }
  return { sent };
}

export async function sendMissingRollsDigest(deps: Deps, at: Date = deps.now()) {
  const date = localDateOf(at, deps.timeZone);
  const { sessions, missing } = await missingOf(deps, date, at);
  if (missing.length === 0) return { sent: false, missing: 0 };
  const people = await lookupPeople(deps.users, missing.map((m) => m.instructor.id));
  const sent = await deps.withTransaction(async (tx) => {
    if (!(await tx.notices.claim('missing_rolls_digest', date, at))) return false;
    await tx.outbox.enqueue({
      type: 'attendance.missing_rolls_digest',
      key: ['digest', date],
      target_roles: ['coordinador', 'admin'],
      priority: 'normal',
      action_url: `/asistencia/reportes/tomas-pendientes?date=${date}`,
      entity_type: 'roll',
      data: {
        date: displayDate(date),
        sessions_total: sessions.length,
        sessions_missing: missing.length,
        affected_instructors: new Set(missing.map((m) => m.instructor.id)).size,
        items: missing.slice(0, DIGEST_ITEMS).map((m) => ({
          instructor_name: m.instructor.full_name ?? nameOf(people, m.instructor.id),
          group_number: m.group.number,
          subject: m.subject,
          start_time: m.start_time,
          end_time: m.end_time,
        })),
        report_url: `/asistencia/reportes/tomas-pendientes?date=${date}`,
      },
    });
    return true;
  });
  return { sent, missing: missing.length };
}

export function rollReminderJob(deps: Deps, settings: SettingsSource): JobDefinition {
  return { name: 'roll-reminder', cron: '*/5 * * * *', timeZone: deps.timeZone, run: ({ slot }) => sendRollReminders(deps, settings, slot) };
}

export function missingRollsDigestJob(deps: Deps): JobDefinition {
  return { name: 'missing-rolls-digest', cron: '0 23 * * *', timeZone: deps.timeZone, run: ({ slot }) => sendMissingRollsDigest(deps, slot) };
}
