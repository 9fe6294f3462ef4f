/** The API shape of an evaluation session (§3 "Responses add": ends_at, jurors, agenda with slots). */
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import type { Deps } from './context.ts';
import { names } from './people.ts';
import type { SessionRow } from './ports.ts';

/** §3: ends_at = starts_at + minutes_per_team × max(1, agenda items). */
export const endsAt = (s: Pick<SessionRow, 'startsAt' | 'minutesPerTeam'>, agendaCount: number) => new Date(s.startsAt.getTime() + s.minutesPerTeam * Math.max(1, agendaCount) * 60_000);
export const slotAt = (s: Pick<SessionRow, 'startsAt' | 'minutesPerTeam'>, position: number) => new Date(s.startsAt.getTime() + (position - 1) * s.minutesPerTeam * 60_000);

export async function sessionViews(deps: Pick<Deps, 'repos' | 'users'>, rows: SessionRow[]) {
  const ids = rows.map((s) => s.id);
  const [jurors, agenda] = await Promise.all([deps.repos.sessions.jurors(ids), deps.repos.sessions.agenda(ids)]);
  const people = await names(deps, [...jurors.map((j) => j.instructorId), ...rows.map((s) => s.organizerId)]);
  return rows.map((s) => {
    const items = agenda.filter((a) => a.item.sessionId === s.id);
    return {
      id: s.id,
      title: s.title,
      session_type: s.sessionType,
      starts_at: toIso(s.startsAt),
      ends_at: toIso(endsAt(s, items.length)),
      location: s.location,
      virtual_url: s.virtualUrl,
      minutes_per_team: s.minutesPerTeam,
      max_teams: s.maxTeams,
      status: s.status,
      cancel_reason: s.cancelReason,
      organizer_id: s.organizerId,
      organizer_name: people.name(s.organizerId),
      chair_id: s.chairId,
      chair_name: people.name(s.chairId),
      started_at: toIsoOrNull(s.startedAt),
      completed_at: toIsoOrNull(s.completedAt),
      created_at: toIso(s.createdAt),
      updated_at: toIso(s.updatedAt),
      jurors: jurors
        .filter((j) => j.sessionId === s.id)
        .map((j) => ({ instructor_id: j.instructorId, name: people.name(j.instructorId), status: j.status, is_panel: j.isPanel, responded_at: toIsoOrNull(j.respondedAt), decline_reason: j.declineReason })),
      agenda: items.map((a) => ({ position: a.item.position, submission_id: a.item.submissionId, team_id: a.teamId, team_name: a.teamName, deliverable_title: a.deliverableTitle, submission_status: a.status, slot_starts_at: toIso(slotAt(s, a.item.position)) })),
    };
  });
}
