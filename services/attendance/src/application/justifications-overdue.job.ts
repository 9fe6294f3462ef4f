/**
 * R27 at 23:00 Bogotá (R46): a justification PENDING for more than `justification_overdue_days` gets one
 * `attendance.justification_overdue` to its O4 reviewers (the effective instructors of its sessions) and
 * role coordinador. The notice is claimed on the justification's `overdue_notified_at` in the transaction
 * that queues it, so a second night, a second replica or a decision taken meanwhile queues nothing.
 * Names come from users U12 before the transactions; when users cannot answer they are null (§7).
 */
import type { JobDefinition } from '@sicora/platform/jobs';
import type { AttendanceSettings } from '../domain/settings.ts';
import { displayDate, localDateOf } from '../domain/time.ts';
import { eventData } from '../domain/event-data.ts';
import type { Deps } from './context.ts';
import { lookupPeople } from './people.ts';

const DAY_MS = 86_400_000;

type SettingsSource = { current(): Promise<AttendanceSettings> };

export async function notifyOverdueJustifications(deps: Deps, settings: SettingsSource, at: Date = deps.now()) {
  const s = await settings.current();
  const due = await deps.repos.justifications.overdueToNotify(new Date(at.getTime() - s.justification_overdue_days * DAY_MS));
  if (due.length === 0) return { sent: 0 };
  const items = await deps.repos.justifications.itemsOf(due.map((j) => j.id));
  const people = await lookupPeople(deps.users, due.map((j) => j.studentId));
  let sent = 0;
  for (const j of due) {
    const student = people.byId.get(j.studentId);
    const url = `/asistencia/justificaciones/${j.id}`;
    const queued = await deps.withTransaction(async (tx) => {
      if (!(await tx.justifications.markOverdueNotified(j.id, at))) return false;
      await tx.outbox.enqueue({
        type: 'attendance.justification_overdue',
        key: [j.id, 1],
        target_users: [...new Set(items.filter((i) => i.justificationId === j.id).map((i) => i.instructorId))],
        target_roles: ['coordinador'],
        priority: 'normal',
        action_url: url,
        entity_type: 'justification',
        entity_id: j.id,
        data: eventData('attendance.justification_overdue', {
          student_name: student?.full_name ?? null,
          group_number: student?.group_number ?? null,
          submitted_at: displayDate(localDateOf(j.submittedAt, deps.timeZone)),
          days_pending: Math.floor((at.getTime() - j.submittedAt.getTime()) / DAY_MS),
          review_url: url,
        }),
      });
      return true;
    });
    if (queued) sent += 1;
  }
  return { sent };
}

export function justificationsOverdueJob(deps: Deps, settings: SettingsSource): JobDefinition {
  return { name: 'justifications-overdue', cron: '0 23 * * *', timeZone: deps.timeZone, run: ({ slot }) => notifyOverdueJustifications(deps, settings, slot) };
}
