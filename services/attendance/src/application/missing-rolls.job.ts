/**
 * R46's notices about rolls not taken (R43: a session with no record):
 * - every 5 minutes, one `attendance.roll_missing` to the effective instructor of each session of today
 *   that ended `roll_reminder_after_minutes` ago or more, but less than 180 minutes ago, and has no record;
 * - at 23:00, one `attendance.missing_rolls_digest` of today to roles coordinador and admin when at least
 *   one ended session has no record.
 * Each notice is claimed in `notices_sent` in the transaction that queues it, so a second run, or a second
 * replica, queues nothing. Which sessions miss their roll is RP5's answer (reports.missing.ts) as of the
 * job's slot, so the report, the reminder and the digest never disagree.
 */
import type { JobDefinition } from '@sicora/platform/jobs';
import type { AttendanceSettings } from '../domain/settings.ts';
import { displayDate } from '../domain/time.ts';
import { eventData } from '../domain/event-data.ts';
import type { Deps } from './context.ts';
import { firstNameOf, lookupPeople } from './people.ts';
import { createMissingRollsReport, type MissingRollsData } from './reports.missing.ts';

/** After this, a missing roll is the digest's and the coordination's business, not a reminder's. */
const REMINDER_HORIZON_MINUTES = 180;
/** The digest lists at most this many sessions (§7). */
const DIGEST_ITEMS = 20;

type SettingsSource = { current(): Promise<AttendanceSettings> };

/** RP5 of the slot's date as of the slot: the ended sessions without a record (R43). */
async function missingRolls(deps: Deps, at: Date): Promise<MissingRollsData> {
  const answer = await createMissingRollsReport(deps).run({}, 'json', undefined, at);
  if (answer.kind !== 'json') throw new Error('RP5 answered a file to a JSON request');
  return answer.data;
}

export async function sendRollReminders(deps: Deps, settings: SettingsSource, at: Date = deps.now()) {
  const s = await settings.current();
  const { date, items } = await missingRolls(deps, at);
  const due = items.filter((m) => m.minutes_since_end !== null && m.minutes_since_end >= s.roll_reminder_after_minutes && m.minutes_since_end < REMINDER_HORIZON_MINUTES);
  if (due.length === 0) return { sent: 0 };
  const people = await lookupPeople(deps.users, due.map((m) => m.instructor_id));
  let sent = 0;
  for (const m of due) {
    const roll = await deps.repos.rolls.bySession(m.schedule_id, date);
    const queued = await deps.withTransaction(async (tx) => {
      if (!(await tx.notices.claim('roll_missing', `${m.schedule_id}:${date}`, at))) return false;
      await tx.outbox.enqueue({
        type: 'attendance.roll_missing',
        key: [m.schedule_id, date],
        target_users: [m.instructor_id],
        priority: 'normal',
        action_url: `/asistencia/tomas/${m.schedule_id}/${date}`,
        entity_type: 'roll',
        ...(roll ? { entity_id: roll.id } : {}),
        data: eventData('attendance.roll_missing', {
          first_name: firstNameOf(people, m.instructor_id),
          subject: m.subject,
          group_number: m.group_number,
          session_date: displayDate(date),
          start_time: m.start_time,
          end_time: m.end_time,
          venue_code: m.venue_code,
          roll_url: `/asistencia/tomas/${m.schedule_id}/${date}`,
        }),
      });
      return true;
    });
    if (queued) sent += 1;
  }
  return { sent };
}

export async function sendMissingRollsDigest(deps: Deps, at: Date = deps.now()) {
  const report = await missingRolls(deps, at);
  if (report.sessions_missing === 0) return { sent: false, missing: 0 };
  const { date } = report;
  const sent = await deps.withTransaction(async (tx) => {
    if (!(await tx.notices.claim('missing_rolls_digest', date, at))) return false;
    await tx.outbox.enqueue({
      type: 'attendance.missing_rolls_digest',
      key: ['digest', date],
      target_roles: ['coordinador', 'admin'],
      priority: 'normal',
      action_url: `/asistencia/reportes/tomas-pendientes?date=${date}`,
      entity_type: 'roll',
      data: eventData('attendance.missing_rolls_digest', {
        date: displayDate(date),
        sessions_total: report.sessions_total,
        sessions_missing: report.sessions_missing,
        affected_instructors: report.affected_instructors,
        // In start order (RP5 lists them by instructor), the day as it went.
        items: [...report.items].sort((a, b) => a.start_time.localeCompare(b.start_time) || a.schedule_id.localeCompare(b.schedule_id)).slice(0, DIGEST_ITEMS).map((m) => ({ instructor_name: m.instructor_name, group_number: m.group_number, subject: m.subject, start_time: m.start_time, end_time: m.end_time })),
        report_url: `/asistencia/reportes/tomas-pendientes?date=${date}`,
      }),
    });
    return true;
  });
  return { sent, missing: report.sessions_missing };
}

export function rollReminderJob(deps: Deps, settings: SettingsSource): JobDefinition {
  return { name: 'roll-reminder', cron: '*/5 * * * *', timeZone: deps.timeZone, run: ({ slot }) => sendRollReminders(deps, settings, slot) };
}

export function missingRollsDigestJob(deps: Deps): JobDefinition {
  return { name: 'missing-rolls-digest', cron: '0 23 * * *', timeZone: deps.timeZone, run: ({ slot }) => sendMissingRollsDigest(deps, slot) };
}
