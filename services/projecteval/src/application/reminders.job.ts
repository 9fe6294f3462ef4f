/**
 * R48: every hour, `deliverable_due_soon` for deliverables of active projects due within 48 h without a
 * current submission in `submitted` or later, and `session_reminder` for scheduled sessions starting
 * within 48 h. Each reminder's key names the due date or start, so it is written once: the outbox skips
 * a key it already holds.
 */
import type { JobDefinition } from '@sicora/platform/jobs';
import type { Deps } from './context.ts';
import { events } from './events.ts';

const WINDOW_MS = 48 * 3_600_000;

export async function sendReminders(deps: Deps, slot: Date): Promise<{ deliverables: number; sessions: number }> {
  const until = new Date(slot.getTime() + WINDOW_MS);
  const due = await deps.repos.deliverables.dueBetween(slot, until);
  const current = await deps.repos.submissions.currentOf(due.map((d) => d.d.id));
  let deliverables = 0;
  for (const { d, teamId } of due) {
    const s = current.find((x) => x.deliverableId === d.id);
    if (s && s.status !== 'returned') continue;
    const members = (await deps.repos.teams.openMembers(teamId)).map((m) => m.studentId);
    const hoursLeft = Math.floor((d.dueAt.getTime() - slot.getTime()) / 3_600_000);
    await deps.repos.outbox.enqueue(events.dueSoon(d, hoursLeft, members));
    deliverables++;
  }
  const sessions = await deps.repos.sessions.scheduledBetween(slot, until);
  for (const s of sessions) {
    const jurors = (await deps.repos.sessions.jurors([s.id])).filter((j) => j.status === 'invited' || j.status === 'confirmed').map((j) => j.instructorId);
    const agenda = await deps.repos.sessions.agenda([s.id]);
    const members: string[] = [];
    for (const teamId of new Set(agenda.map((a) => a.teamId))) members.push(...(await deps.repos.teams.openMembers(teamId)).map((m) => m.studentId));
    await deps.repos.outbox.enqueue(events.sessionReminder(s, [...jurors, ...members]));
  }
  return { deliverables, sessions: sessions.length };
}

export function remindersJob(deps: Deps): JobDefinition {
  return { name: 'reminders', cron: '0 * * * *', timeZone: deps.timeZone, catchUp: 'latest', run: async ({ slot }) => void (await sendReminders(deps, slot)) };
}
