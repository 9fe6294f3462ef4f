/**
 * P45–P55: evaluation sessions, their jury and agenda (R23–R29). The double-booking check (R24) and the
 * per-team limit (R25) run inside the write's transaction under advisory locks on the jurors' and teams'
 * ids, so two concurrent requests cannot both pass.
 */
import type { PageRequest } from '@sicora/platform/pagination';
import { pe } from '../domain/errors.ts';
import { clampInstant, quarterOf, localDate, startOfLocalDay } from '../domain/time.ts';
import type { Access } from './access.ts';
import { isCoordination, isInstructor, type Actor, type Deps } from './context.ts';
import { events } from './events.ts';
import { activeInstructors, names } from './people.ts';
import type { Repositories, SessionRow } from './ports.ts';
import { endsAt, sessionViews, slotAt } from './sessions.views.ts';
import { recheckResult } from './results.ts';

export interface SessionCreate {
  title: string;
  session_type: SessionRow['sessionType'];
  starts_at: string;
  location?: string | null;
  virtual_url?: string | null;
  minutes_per_team?: number;
  max_teams?: number;
  juror_ids: string[];
  chair_id: string;
  submission_ids?: string[];
}

export interface SessionPatch {
  title?: string;
  starts_at?: string;
  location?: string | null;
  virtual_url?: string | null;
  minutes_per_team?: number;
  max_teams?: number;
  chair_id?: string;
}

const LIVE_JUROR = ['invited', 'confirmed'] as const;

export function createSessionsService(deps: Deps, access: Access) {
  const { repos } = deps;
  const view = async (s: SessionRow) => (await sessionViews(deps, [s]))[0];

  async function load(actor: Actor, id: string): Promise<SessionRow> {
    const s = await repos.sessions.byId(id);
    if (!s) throw pe.sessionNotFound();
    const teamIds = await access.scope(actor);
    if (teamIds) {
      const agenda = await repos.sessions.agenda([s.id]);
      if (!agenda.some((a) => teamIds.includes(a.teamId))) throw pe.sessionNotFound();
    }
    return s;
  }

  /** O3: coordination, the organizer or the chair. */
  function requireRunner(actor: Actor, s: SessionRow) {
    if (isCoordination(actor)) return;
    if (isInstructor(actor) && (s.organizerId === actor.sub || s.chairId === actor.sub)) return;
    throw pe.forbidden();
  }

  function checkDate(startsAt: Date) {
    const now = deps.now().getTime();
    if (startsAt.getTime() <= now || startsAt.getTime() > now + 365 * 86_400_000) throw pe.sessionDate();
  }

  /** R24 for `jurorIds` in a session spanning [start, end). */
  async function checkConflicts(tx: Repositories, sessionId: string | undefined, jurorIds: string[], start: Date, end: Date) {
    await tx.outbox.lock(jurorIds.map((id) => `juror:${id}`));
    for (const other of await tx.sessions.jurorSessions(jurorIds, sessionId)) {
      const oEnd = endsAt(other.session, other.agendaCount);
      if (other.session.startsAt < end && start < oEnd) throw pe.jurorConflict({ instructor_id: other.instructorId, session_id: other.session.id });
    }
  }

  /**
   * R25 in `tx`: the new agenda of `session` (ordered ids). Returns the added and removed submission ids.
   */
  async function setAgenda(tx: Repositories, actor: Actor, session: SessionRow, ids: string[]) {
    if (new Set(ids).size !== ids.length) throw pe.field('submission_ids', 'duplicate', 'Una entrega aparece dos veces');
    if (ids.length > session.maxTeams) throw pe.agendaFull({ max_teams: session.maxTeams });
    const before = (await tx.sessions.agenda([session.id])).map((a) => a.item.submissionId);
    const added = ids.filter((id) => !before.includes(id));
    const removed = before.filter((id) => !ids.includes(id));
    const subs = await tx.submissions.byIds(added);
    const teams = await tx.teams.byIds([...new Set(subs.map((s) => s.teamId))]);
    await tx.outbox.lock(teams.map((t) => `team:${t.id}`));
    for (const id of added) {
      const s = subs.find((x) => x.id === id);
      if (!s) throw pe.submissionNotFound();
      const team = teams.find((t) => t.id === s.teamId)!;
      if (isInstructor(actor) && team.advisorId !== actor.sub) throw pe.forbidden();
      if (s.status !== 'submitted' || (await tx.submissions.activeAgendaSessions(s.id)).length) throw pe.notSchedulable({ submission_id: s.id });
      const quarter = quarterOf(localDate(session.startsAt, deps.timeZone));
      const others = (await tx.sessions.teamSessions(s.teamId, session.id)).filter((o) => quarterOf(localDate(o.startsAt, deps.timeZone)) === quarter);
      if (others.length >= 2) throw pe.teamSessionLimit({ team_id: s.teamId, quarter });
    }
    if (removed.length) {
      const evaluated = await tx.evaluations.ofSubmissions(removed);
      if (evaluated.some((e) => e.sessionId === session.id)) throw pe.agendaItemLocked();
    }
    await tx.sessions.replaceAgenda(session.id, ids);
    const at = deps.now();
    if (session.status === 'in_progress') await tx.submissions.setStatus(added, 'in_evaluation', at);
    await tx.submissions.setStatus((await tx.submissions.byIds(removed)).filter((s) => s.status === 'in_evaluation').map((s) => s.id), 'submitted', at);
    return { added, count: ids.length };
  }

  /** R25's notices: each added item's team gets its slot. */
  async function notifyAdded(tx: Repositories, session: SessionRow, ids: string[], added: string[]) {
    const agenda = await tx.sessions.agenda([session.id]);
    for (const a of agenda.filter((x) => added.includes(x.item.submissionId))) {
      const members = (await tx.teams.openMembers(a.teamId)).map((m) => m.studentId);
      await tx.outbox.enqueue(events.scheduled(session, a.item.submissionId, a.deliverableTitle, slotAt(session, a.item.position), members));
    }
    void ids;
  }

  async function audience(tx: Repositories, s: SessionRow): Promise<string[]> {
    const jurors = (await tx.sessions.jurors([s.id])).filter((j) => (LIVE_JUROR as readonly string[]).includes(j.status)).map((j) => j.instructorId);
    const agenda = await tx.sessions.agenda([s.id]);
    const members: string[] = [];
    for (const teamId of new Set(agenda.map((a) => a.teamId))) members.push(...(await tx.teams.openMembers(teamId)).map((m) => m.studentId));
    return [...jurors, ...members];
  }

  return {
    async list(actor: Actor, q: { status?: SessionRow['status']; from?: string; to?: string; juror_id?: string; team_id?: string; group_id?: string; upcoming?: boolean }, dir: 'asc' | 'desc', page: PageRequest) {
      const teamIds = await access.scope(actor);
      const from = q.from ? clampInstant(startOfLocalDay(q.from, deps.timeZone)) : undefined;
      const to = q.to ? clampInstant(new Date(startOfLocalDay(q.to, deps.timeZone).getTime() + 86_400_000)) : undefined;
      const { rows, total } = await repos.sessions.list({ status: q.status, from, to, jurorId: q.juror_id, teamId: q.team_id, groupId: q.group_id, upcomingFrom: q.upcoming ? deps.now() : undefined, teamIds }, dir, page.limit, page.offset);
      return { items: await sessionViews(deps, rows), total };
    },

    async get(actor: Actor, id: string) {
      return view(await load(actor, id));
    },

    async create(actor: Actor, body: SessionCreate) {
      const startsAt = new Date(body.starts_at);
      checkDate(startsAt);
      if (!body.location && !body.virtual_url) throw pe.field('location', 'required', 'Indique el lugar o el enlace virtual');
      const jurorIds = [...new Set(body.juror_ids)];
      if (jurorIds.length < 2 || jurorIds.length > 5 || jurorIds.length !== body.juror_ids.length) throw pe.jurySize({ count: jurorIds.length });
      const instructors = await activeInstructors(deps, jurorIds);
      const notInstructor = jurorIds.find((id) => !instructors.has(id));
      if (notInstructor) throw pe.jurorNotInstructor({ instructor_id: notInstructor });
      if (!jurorIds.includes(body.chair_id)) throw pe.chairNotJuror();
      const chairName = (await names(deps, [body.chair_id])).name(body.chair_id);
      const at = deps.now();
      const ids = body.submission_ids ?? [];
      const row = await deps.withTransaction(async (tx) => {
        const s = await tx.sessions.insert({ title: body.title.trim(), sessionType: body.session_type, startsAt, location: body.location ?? null, virtualUrl: body.virtual_url ?? null, minutesPerTeam: body.minutes_per_team ?? 30, maxTeams: body.max_teams ?? 10, organizerId: actor.sub, chairId: body.chair_id, createdAt: at, updatedAt: at });
        await tx.sessions.addJurors(s.id, jurorIds);
        const { added, count } = await setAgenda(tx, actor, s, ids);
        await checkConflicts(tx, s.id, jurorIds, s.startsAt, endsAt(s, count));
        const end = endsAt(s, count);
        await tx.outbox.enqueue(jurorIds.map((j) => events.invitation(s, end, chairName, count, j)));
        await notifyAdded(tx, s, ids, added);
        return s;
      });
      return view(row);
    },

    async update(actor: Actor, id: string, body: SessionPatch) {
      const s = await load(actor, id);
      requireRunner(actor, s);
      if (s.status !== 'scheduled') throw pe.invalidState('session', s.status, 'update');
      const startsAt = body.starts_at ? new Date(body.starts_at) : s.startsAt;
      if (body.starts_at) checkDate(startsAt);
      const location = body.location !== undefined ? body.location : s.location;
      const virtualUrl = body.virtual_url !== undefined ? body.virtual_url : s.virtualUrl;
      if (!location && !virtualUrl) throw pe.field('location', 'required', 'Indique el lugar o el enlace virtual');
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        const jurors = (await tx.sessions.jurors([s.id])).filter((j) => (LIVE_JUROR as readonly string[]).includes(j.status)).map((j) => j.instructorId);
        if (body.chair_id && !jurors.includes(body.chair_id)) throw pe.chairNotJuror();
        const count = (await tx.sessions.agenda([s.id])).length;
        const maxTeams = body.max_teams ?? s.maxTeams;
        if (count > maxTeams) throw pe.agendaFull({ max_teams: maxTeams });
        const minutes = body.minutes_per_team ?? s.minutesPerTeam;
        await checkConflicts(tx, s.id, jurors, startsAt, endsAt({ startsAt, minutesPerTeam: minutes }, count));
        const r = await tx.sessions.update(s.id, {
          updatedAt: at,
          startsAt,
          location,
          virtualUrl,
          minutesPerTeam: minutes,
          maxTeams,
          ...(body.title !== undefined ? { title: body.title.trim() } : {}),
          ...(body.chair_id !== undefined ? { chairId: body.chair_id } : {}),
        });
        // R26: a change of time or place is announced.
        if (startsAt.getTime() !== s.startsAt.getTime() || location !== s.location || virtualUrl !== s.virtualUrl) await tx.outbox.enqueue(events.sessionChanged(r, 'rescheduled', null, await audience(tx, r)));
        return r;
      });
      return view(row);
    },

    async addJuror(actor: Actor, id: string, instructorId: string) {
      const s = await load(actor, id);
      requireRunner(actor, s);
      if (s.status !== 'scheduled') throw pe.invalidState('session', s.status, 'add_juror');
      if (!(await activeInstructors(deps, [instructorId])).has(instructorId)) throw pe.jurorNotInstructor({ instructor_id: instructorId });
      const chairName = (await names(deps, [s.chairId])).name(s.chairId);
      const row = await deps.withTransaction(async (tx) => {
        const jurors = await tx.sessions.jurors([s.id]);
        const live = jurors.filter((j) => (LIVE_JUROR as readonly string[]).includes(j.status));
        if (live.some((j) => j.instructorId === instructorId)) throw pe.field('instructor_id', 'duplicate', 'El instructor ya es jurado de la sesión');
        if (live.length >= 5) throw pe.jurySize({ count: live.length + 1 });
        const count = (await tx.sessions.agenda([s.id])).length;
        await checkConflicts(tx, s.id, [instructorId], s.startsAt, endsAt(s, count));
        await tx.sessions.addJurors(s.id, [instructorId]);
        await tx.outbox.enqueue(events.invitation(s, endsAt(s, count), chairName, count, instructorId));
        return tx.sessions.update(s.id, { updatedAt: deps.now() });
      });
      return view(row);
    },

    async removeJuror(actor: Actor, id: string, instructorId: string) {
      const s = await load(actor, id);
      if (s.status === 'in_progress') {
        if (!isCoordination(actor)) throw pe.forbidden();
      } else requireRunner(actor, s);
      if (s.status !== 'scheduled' && s.status !== 'in_progress') throw pe.invalidState('session', s.status, 'remove_juror');
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        const jurors = await tx.sessions.jurors([s.id]);
        const juror = jurors.find((j) => j.instructorId === instructorId && j.status !== 'removed');
        if (!juror) throw pe.jurorNotFound();
        if (s.status === 'scheduled') {
          const remaining = jurors.filter((j) => j.instructorId !== instructorId && (LIVE_JUROR as readonly string[]).includes(j.status));
          if (remaining.length < 2) throw pe.jurySize({ count: remaining.length });
          if (s.chairId === instructorId) throw pe.chairNotJuror();
        } else {
          if (!juror.isPanel) throw pe.jurorNotFound();
          const own = (await tx.evaluations.list({ sessionId: s.id, evaluatorId: instructorId }, 1000, 0)).rows;
          if (own.some((e) => e.status !== 'draft')) throw pe.jurorHasCompleted();
          const panel = jurors.filter((j) => j.isPanel && j.status === 'confirmed' && j.instructorId !== instructorId);
          if (panel.length < 2) throw pe.jurySize({ count: panel.length });
          if (s.chairId === instructorId) throw pe.chairNotJuror();
          await tx.evaluations.deleteDrafts(s.id, instructorId);
        }
        await tx.sessions.updateJuror(s.id, instructorId, { status: 'removed', isPanel: false });
        // R26: with one juror fewer, a submission may now have every panel evaluation.
        if (s.status === 'in_progress') for (const a of await tx.sessions.agenda([s.id])) await recheckResult(tx, a.item.submissionId, at);
        return tx.sessions.update(s.id, { updatedAt: at });
      });
      return view(row);
    },

    async respond(actor: Actor, id: string, body: { response: 'confirm' | 'decline'; reason?: string }) {
      const s = await repos.sessions.byId(id);
      if (!s) throw pe.sessionNotFound();
      const juror = (await repos.sessions.jurors([s.id])).find((j) => j.instructorId === actor.sub && j.status === 'invited');
      if (!juror) throw pe.jurorNotFound();
      if (s.status !== 'scheduled') throw pe.invalidState('session', s.status, 'respond');
      if (body.response === 'decline' && !body.reason) throw pe.field('reason', 'required', 'Indique el motivo (5 a 500 caracteres)');
      const jurorName = (await names(deps, [actor.sub])).name(actor.sub);
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        await tx.sessions.updateJuror(s.id, actor.sub, { status: body.response === 'confirm' ? 'confirmed' : 'declined', respondedAt: at, declineReason: body.response === 'decline' ? body.reason! : null });
        if (body.response === 'decline') {
          const confirmed = (await tx.sessions.jurors([s.id])).filter((j) => j.status === 'confirmed').length;
          await tx.outbox.enqueue(events.jurorDeclined(s, actor.sub, jurorName, body.reason!, confirmed));
        }
        return tx.sessions.update(s.id, { updatedAt: at });
      });
      return view(row);
    },

    async agenda(actor: Actor, id: string, submissionIds: string[]) {
      const s = await load(actor, id);
      requireRunner(actor, s);
      if (s.status === 'cancelled') throw pe.invalidState('session', s.status, 'agenda');
      const row = await deps.withTransaction(async (tx) => {
        if (s.status === 'completed') {
          // R25: a completed session only loses items.
          const before = (await tx.sessions.agenda([s.id])).map((a) => a.item.submissionId);
          if (submissionIds.some((x) => !before.includes(x))) throw pe.invalidState('session', s.status, 'agenda_add');
        }
        const { added, count } = await setAgenda(tx, actor, s, submissionIds);
        const jurors = (await tx.sessions.jurors([s.id])).filter((j) => (LIVE_JUROR as readonly string[]).includes(j.status)).map((j) => j.instructorId);
        if (s.status === 'scheduled') await checkConflicts(tx, s.id, jurors, s.startsAt, endsAt(s, count));
        await notifyAdded(tx, s, submissionIds, added);
        return tx.sessions.update(s.id, { updatedAt: deps.now() });
      });
      return view(row);
    },

    async start(actor: Actor, id: string) {
      const s = await load(actor, id);
      requireRunner(actor, s);
      if (s.status !== 'scheduled') throw pe.invalidState('session', s.status, 'start');
      const at = deps.now();
      if (at.getTime() < s.startsAt.getTime() - 15 * 60_000) throw pe.sessionNotReady('too_early');
      const jurors = await repos.sessions.jurors([s.id]);
      const confirmed = jurors.filter((j) => j.status === 'confirmed');
      if (confirmed.length < 2) throw pe.sessionNotReady('jury_not_confirmed');
      if (!confirmed.some((j) => j.instructorId === s.chairId)) throw pe.sessionNotReady('chair_not_confirmed');
      const agenda = await repos.sessions.agenda([s.id]);
      if (agenda.length === 0) throw pe.sessionNotReady('agenda_empty');
      const row = await deps.withTransaction(async (tx) => {
        await tx.sessions.formPanel(s.id, at);
        await tx.submissions.setStatus(agenda.map((a) => a.item.submissionId), 'in_evaluation', at);
        return tx.sessions.update(s.id, { status: 'in_progress', startedAt: at, updatedAt: at });
      });
      return view(row);
    },

    async complete(actor: Actor, id: string) {
      const s = await load(actor, id);
      requireRunner(actor, s);
      if (s.status !== 'in_progress') throw pe.invalidState('session', s.status, 'complete');
      const at = deps.now();
      return view(await repos.sessions.update(s.id, { status: 'completed', completedAt: at, updatedAt: at }));
    },

    async cancel(actor: Actor, id: string, reason: string) {
      const s = await load(actor, id);
      requireRunner(actor, s);
      if (s.status !== 'scheduled') throw pe.invalidState('session', s.status, 'cancel');
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        const r = await tx.sessions.update(s.id, { status: 'cancelled', cancelReason: reason, updatedAt: at });
        await tx.outbox.enqueue(events.sessionChanged(r, 'cancelled', reason, await audience(tx, r)));
        return r;
      });
      return view(row);
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
