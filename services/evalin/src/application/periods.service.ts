/** E18–E29: periods, their state machine and target fichas (R13–R22, R39). */
import { localToInstant } from '@sicora/platform/local-time';
import type { NotificationInput } from '@sicora/platform/notify';
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import type { EvalinSettings } from '../domain/config.ts';
import { evalinErrors } from '../domain/errors.ts';
import { assertTransition, checkDates, derived, editableFields, type PeriodAction, type PeriodStatus } from '../domain/periods.ts';
import { collapse } from '../domain/text.ts';
import type { ConfigService } from './config.service.ts';
import { isStaff, type Actor, type Deps } from './context.ts';
import * as events from './events.ts';
import type { PeriodGroupRow, PeriodRow, PeriodSortField, Repositories } from './ports.ts';
import { liveGroup, participationOf, pendingStudents, periodWorld, type GroupWorld } from './world.ts';

export interface PeriodInput {
  name: string;
  description?: string | null;
  start_date: string;
  end_date: string;
  questionnaire_id: string;
  group_ids: string[];
}

export interface PeriodListQuery {
  status?: string;
  timing?: 'future' | 'current' | 'past';
  group_id?: string;
  questionnaire_id?: string;
  search?: string;
}

/** R13: a bare date is 00:00:00.000 local for the start and 23:59:59.999 local for the end. */
export function parsePeriodInstant(value: string, edge: 'start' | 'end', timeZone: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
  if (edge === 'start') return localToInstant(value, '00:00', timeZone);
  const [y, m, d] = value.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return new Date(localToInstant(next, '00:00', timeZone).getTime() - 1);
}

/** Writes an event when notifications are on and it has recipients (R44, §7). */
export async function emit(tx: Repositories, settings: EvalinSettings, input: NotificationInput | readonly (NotificationInput | undefined)[] | undefined) {
  if (!settings.notifications_enabled) return;
  const list = (Array.isArray(input) ? input : [input]).filter((x): x is NotificationInput => x !== undefined);
  if (list.length) await tx.outbox.enqueue(list);
}

export function createPeriodsService(deps: Deps, config: ConfigService) {
  const { repos } = deps;

  async function view(p: PeriodRow, actor: Actor | null, o: { groups?: PeriodGroupRow[]; questionnaire?: { id: string; name: string; questionCount: number }; live?: { expected: number; submitted: number; rate: number | null } | null } = {}) {
    const groups = o.groups ?? (await repos.periods.groups([p.id]));
    const q = o.questionnaire ?? (await repos.periods.questionnaires([p.questionnaireId]))[0];
    const showParticipation = actor === null || isStaff(actor);
    let participation: { expected: number; submitted: number; rate: number | null; as_of: string } | null = null;
    if (showParticipation && p.status !== 'draft' && p.status !== 'scheduled') {
      if (o.live) participation = { ...o.live, as_of: toIso(deps.now()) };
      else if (o.live === undefined && p.participationAsOf && p.participationExpected !== null && p.participationSubmitted !== null) {
        const rate = p.participationExpected === 0 ? null : Math.round((p.participationSubmitted / p.participationExpected) * 1000) / 10;
        participation = { expected: p.participationExpected, submitted: p.participationSubmitted, rate, as_of: toIso(p.participationAsOf) };
      }
    }
    return {
      id: p.id,
      name: p.name,
      description: p.description,
      start_date: toIso(p.startDate),
      end_date: toIso(p.endDate),
      questionnaire_id: p.questionnaireId,
      questionnaire: q ? { id: q.id, name: q.name, question_count: q.questionCount } : null,
      status: p.status,
      closed_reason: p.closedReason,
      suspend_reason: p.suspendReason,
      activated_at: toIsoOrNull(p.activatedAt),
      closed_at: toIsoOrNull(p.closedAt),
      results_published_at: toIsoOrNull(p.resultsPublishedAt),
      results_published_by: p.resultsPublishedBy,
      created_by: p.createdBy,
      created_at: toIso(p.createdAt),
      updated_at: toIso(p.updatedAt),
      groups: groups.filter((g) => g.periodId === p.id).map((g) => ({ group_id: g.groupId, group_number: g.groupNumber })),
      ...derived({ status: p.status, startDate: p.startDate, endDate: p.endDate }, deps.now()),
      participation,
    };
  }

  /** O1: what an actor may see of a period; a hidden one is 404. */
  async function visible(id: string, actor: Actor): Promise<{ p: PeriodRow; groups: PeriodGroupRow[] }> {
    const p = await repos.periods.get(id);
    if (!p) throw evalinErrors.periodNotFound();
    const groups = await repos.periods.groups([id]);
    if (actor.role === 'aprendiz' && (p.status === 'draft' || !actor.groupId || !groups.some((g) => g.groupId === actor.groupId))) throw evalinErrors.periodNotFound();
    return { p, groups };
  }

  async function load(id: string) {
    const p = await repos.periods.get(id);
    if (!p) throw evalinErrors.periodNotFound();
    return p;
  }

  async function checkQuestionnaire(id: string) {
    const q = await repos.questionnaires.get(id);
    if (!q) throw evalinErrors.questionnaireNotFound();
    if (!q.q.isActive) throw evalinErrors.questionnaireNotUsable('inactive');
    if (q.questionCount === 0) throw evalinErrors.questionnaireNotUsable('empty');
  }

  /** R14: each ficha exists and is active in schedules; its number is copied now. */
  async function checkGroups(ids: string[]) {
    const unique = [...new Set(ids)];
    if (unique.length !== ids.length) throw evalinErrors.field('group_ids', 'duplicate', 'Las fichas deben ser distintas');
    const found = await Promise.all(unique.map((id) => deps.schedules.group(id)));
    const bad = unique.filter((_, i) => !found[i] || !found[i]!.is_active);
    if (bad.length) throw evalinErrors.unknownGroup(bad);
    return found.map((g) => ({ groupId: g!.id, groupNumber: g!.number }));
  }

  async function checkOverlap(groupIds: string[], start: Date, end: Date, exceptId?: string) {
    const settings = await config.current();
    if (settings.allow_overlapping_periods) return;
    const rows = await repos.periods.overlapping(groupIds, start, end, exceptId);
    if (rows.length) {
      const first = rows[0];
      throw evalinErrors.overlapping({ period_id: first.id, period_name: first.name, group_numbers: rows.filter((r) => r.id === first.id).map((r) => r.groupNumber) });
    }
  }

  /** Live participation of one period (E20), cached for lists (E18); null when schedules is down. */
  async function liveParticipation(p: PeriodRow, groups: PeriodGroupRow[]) {
    try {
      const world = await periodWorld(deps, p, groups);
      const part = participationOf(world, await repos.evaluations.ofPeriod(p.id));
      await repos.periods.cacheParticipation(p.id, part.expected, part.submitted, deps.now());
      return { participation: { expected: part.expected, submitted: part.submitted, rate: part.rate }, warnings: [] as string[] };
    } catch (err) {
      if ((err as { kind?: string }).kind === 'unavailable') return { participation: null, warnings: ['SCHEDULES_UNAVAILABLE'] };
      throw err;
    }
  }

  /** Starts a period (R16/R17): active, activated_at kept, one period_started per ficha (R39). */
  async function startEvents(p: PeriodRow, groups: PeriodGroupRow[]) {
    const worlds = await Promise.all(groups.map((g) => liveGroup(deps, p, g)));
    return (now: Date) => worlds.map((w) => events.periodStarted(p, w, w.studentIds, w.instructorIds.length, now));
  }

  async function transition(id: string, action: PeriodAction, actor: Actor | null, work: (p: PeriodRow, tx: Repositories, settings: EvalinSettings) => Promise<{ patch: Partial<PeriodRow>; reason?: string | null; after?: (p: PeriodRow, eventId: string) => Promise<void> }>) {
    const settings = await config.current();
    const updated = await deps.withTransaction(async (tx) => {
      const p = await tx.periods.getForUpdate(id);
      if (!p) throw evalinErrors.periodNotFound();
      assertTransition(p.status, action);
      const { patch, reason, after } = await work(p, tx, settings);
      const next = await tx.periods.update(id, { ...patch, updatedAt: deps.now() });
      const eventId = await tx.periods.addEvent({ periodId: id, action, fromStatus: p.status, toStatus: next.status, actorId: actor?.sub ?? null, reason: reason ?? null, createdAt: deps.now() });
      if (after) await after(next, eventId);
      return next;
    });
    return view(updated, actor);
  }

  const pendingOf = async (p: PeriodRow) => {
    const groups = await repos.periods.groups([p.id]);
    const world = await Promise.all(groups.map((g) => liveGroup(deps, p, g)));
    return pendingStudents(world, await repos.evaluations.ofPeriod(p.id));
  };

  return {
    view,
    visible,
    liveParticipation,
    async list(q: PeriodListQuery, actor: Actor, sort: { field: PeriodSortField; direction: 'asc' | 'desc' }, limit: number, offset: number) {
      let statuses = q.status ? q.status.split(',').map((s) => s.trim()) : undefined;
      let groupIds: string[] | undefined;
      if (actor.role === 'aprendiz') {
        // O1: own ficha only, never draft.
        groupIds = actor.groupId ? [actor.groupId] : [];
        statuses = (statuses ?? ['scheduled', 'active', 'suspended', 'closed', 'published']).filter((s) => s !== 'draft');
        if (statuses.length === 0) return { items: [], total: 0 };
      }
      const { rows, total } = await repos.periods.list({ statuses, timing: q.timing, groupId: q.group_id, groupIds, questionnaireId: q.questionnaire_id, search: q.search?.trim(), now: deps.now() }, sort, limit, offset);
      const groups = await repos.periods.groups(rows.map((r) => r.id));
      const qs = new Map((await repos.periods.questionnaires([...new Set(rows.map((r) => r.questionnaireId))])).map((x) => [x.id, x]));
      return { items: await Promise.all(rows.map((r) => view(r, actor, { groups, questionnaire: qs.get(r.questionnaireId) }))), total };
    },
    async get(id: string, actor: Actor) {
      const { p, groups } = await visible(id, actor);
      if (!isStaff(actor) || p.status === 'draft' || p.status === 'scheduled') return { data: await view(p, actor, { groups, live: null }), warnings: [] };
      const { participation, warnings } = await liveParticipation(p, groups);
      return { data: await view(p, actor, { groups, live: participation }), warnings };
    },
    async create(input: PeriodInput, actor: Actor) {
      const name = collapse(input.name);
      if (name.length < 3 || name.length > 200) throw evalinErrors.field('name', 'length', 'El nombre debe tener entre 3 y 200 caracteres');
      const start = parsePeriodInstant(input.start_date, 'start', deps.timeZone);
      const end = parsePeriodInstant(input.end_date, 'end', deps.timeZone);
      checkDates(start, end, deps.now());
      await checkQuestionnaire(input.questionnaire_id);
      const groups = await checkGroups(input.group_ids);
      await checkOverlap(groups.map((g) => g.groupId), start, end);
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        const p = await tx.periods.insert({ name, description: input.description ?? null, startDate: start, endDate: end, questionnaireId: input.questionnaire_id, createdBy: actor.sub, createdAt: at, updatedAt: at }, groups);
        await tx.periods.addEvent({ periodId: p.id, action: 'create', fromStatus: null, toStatus: 'draft', actorId: actor.sub, createdAt: at });
        return p;
      });
      return view(row, actor);
    },
    async update(id: string, patch: Partial<PeriodInput>, actor: Actor) {
      const p = await load(id);
      const allowed = editableFields(p.status);
      const asked = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined);
      const refused = asked.filter((k) => !allowed.includes(k));
      if (refused.length) throw evalinErrors.cannotModify(p.status, refused);
      const name = patch.name !== undefined ? collapse(patch.name) : p.name;
      if (name.length < 3 || name.length > 200) throw evalinErrors.field('name', 'length', 'El nombre debe tener entre 3 y 200 caracteres');
      const start = patch.start_date !== undefined ? parsePeriodInstant(patch.start_date, 'start', deps.timeZone) : p.startDate;
      const end = patch.end_date !== undefined ? parsePeriodInstant(patch.end_date, 'end', deps.timeZone) : p.endDate;
      const datesChanged = patch.start_date !== undefined || patch.end_date !== undefined;
      // R18: a scheduled period re-runs R16's checks on every change.
      if (datesChanged || p.status === 'scheduled') checkDates(start, end, deps.now());
      const questionnaireId = patch.questionnaire_id ?? p.questionnaireId;
      if (patch.questionnaire_id !== undefined || p.status === 'scheduled') await checkQuestionnaire(questionnaireId);
      let groups: Array<{ groupId: string; groupNumber: string }> | undefined;
      if (patch.group_ids !== undefined) groups = await checkGroups(patch.group_ids);
      else if (p.status === 'scheduled') groups = await checkGroups((await repos.periods.groups([id])).map((g) => g.groupId));
      if (datesChanged || patch.group_ids !== undefined || p.status === 'scheduled') {
        const ids = groups?.map((g) => g.groupId) ?? (await repos.periods.groups([id])).map((g) => g.groupId);
        if (p.status !== 'draft' || datesChanged || patch.group_ids !== undefined) await checkOverlap(ids, start, end, id);
      }
      const row = await deps.withTransaction(async (tx) => {
        const r = await tx.periods.update(id, { name, ...(patch.description !== undefined ? { description: patch.description } : {}), startDate: start, endDate: end, questionnaireId, updatedAt: deps.now() });
        if (groups && patch.group_ids !== undefined) await tx.periods.setGroups(id, groups);
        return r;
      });
      return view(row, actor);
    },
    async remove(id: string) {
      const p = await load(id);
      if (p.status !== 'draft' && p.status !== 'scheduled') throw evalinErrors.notDeletable();
      await repos.periods.remove(id);
    },
    async activate(id: string, actor: Actor) {
      const p = await load(id);
      assertTransition(p.status, 'activate');
      await checkQuestionnaire(p.questionnaireId);
      checkDates(p.startDate, p.endDate, deps.now(), { checkEndAfterNow: true });
      const groups = await repos.periods.groups([id]);
      await checkGroups(groups.map((g) => g.groupId));
      await checkOverlap(groups.map((g) => g.groupId), p.startDate, p.endDate, id);
      const starting = p.startDate.getTime() <= deps.now().getTime();
      const started = starting ? await startEvents(p, groups) : undefined;
      return transition(id, 'activate', actor, async (_p, tx, settings) => ({
        patch: { status: starting ? 'active' : 'scheduled', activatedAt: deps.now() },
        after: async (next) => {
          if (started) await emit(tx, settings, started(deps.now()).map((e) => e && { ...e, data: { ...e.data, period_name: next.name } }));
        },
      }));
    },
    revert: (id: string, actor: Actor) => transition(id, 'revert-to-draft', actor, async () => ({ patch: { status: 'draft', activatedAt: null } })),
    async suspend(id: string, reason: string, actor: Actor) {
      const p = await load(id);
      assertTransition(p.status, 'suspend');
      const groups = await repos.periods.groups([id]);
      const students = (await Promise.all(groups.map((g) => liveGroup(deps, p, g)))).flatMap((w) => w.studentIds);
      return transition(id, 'suspend', actor, async (_p, tx, settings) => ({
        patch: { status: 'suspended', suspendReason: reason.trim() },
        reason: reason.trim(),
        after: async (next, eventId) => emit(tx, settings, events.periodSuspended(next, eventId, [...new Set(students)], reason.trim())),
      }));
    },
    async resume(id: string, actor: Actor) {
      const p = await load(id);
      assertTransition(p.status, 'resume');
      if (p.endDate.getTime() <= deps.now().getTime()) throw evalinErrors.invalidTransition(p.status, 'resume');
      const pending = await pendingOf(p);
      return transition(id, 'resume', actor, async (_p, tx, settings) => ({
        patch: { status: 'active', suspendReason: null },
        after: async (next, eventId) => emit(tx, settings, events.periodResumed(next, eventId, pending, deps.now())),
      }));
    },
    async extend(id: string, endInput: string, reason: string, actor: Actor) {
      const p = await load(id);
      assertTransition(p.status, 'extend');
      const end = parsePeriodInstant(endInput, 'end', deps.timeZone);
      if (end.getTime() <= p.endDate.getTime()) throw evalinErrors.invalidDates('order');
      checkDates(p.startDate, end, deps.now());
      const groups = await repos.periods.groups([id]);
      await checkOverlap(groups.map((g) => g.groupId), p.startDate, end, id);
      const pending = await pendingOf(p);
      return transition(id, 'extend', actor, async (_p, tx, settings) => ({
        patch: { endDate: end },
        reason: reason.trim(),
        after: async (next, eventId) => emit(tx, settings, events.periodExtended(next, eventId, pending, p.endDate)),
      }));
    },
    close: (id: string, actor: Actor | null) => closePeriod(deps, config, id, 'manual', actor).then((p) => view(p, actor)),
    async publish(id: string, actor: Actor, instructors: (p: PeriodRow) => Promise<Array<{ instructorId: string; responseCount: number; shown: boolean }>>) {
      const p = await load(id);
      assertTransition(p.status, 'publish-results');
      const rows = await instructors(p);
      return transition(id, 'publish-results', actor, async (_p, tx, settings) => ({
        patch: { status: 'published', resultsPublishedAt: deps.now(), resultsPublishedBy: actor.sub },
        after: async (next) => emit(tx, settings, rows.map((r) => events.resultsPublished(next, r.instructorId, r.responseCount, r.shown))),
      }));
    },
    /** R17's opening half: scheduled periods whose start passed become active (+ period_started). */
    async startDue(p: PeriodRow) {
      const groups = await repos.periods.groups([p.id]);
      const started = await startEvents(p, groups);
      const settings = await config.current();
      await deps.withTransaction(async (tx) => {
        const cur = await tx.periods.getForUpdate(p.id);
        if (!cur || cur.status !== 'scheduled' || cur.startDate.getTime() > deps.now().getTime()) return;
        const next = await tx.periods.update(p.id, { status: 'active', updatedAt: deps.now() });
        await tx.periods.addEvent({ periodId: p.id, action: 'clock-start', fromStatus: 'scheduled', toStatus: 'active', actorId: null, createdAt: deps.now() });
        await emit(tx, settings, started(deps.now()).map((e) => e && { ...e, data: { ...e.data, period_name: next.name } }));
      });
    },
  };
}

/**
 * R21: close (manual or clock). Rosters and instructors are read first, outside the transaction; when
 * schedules cannot answer the period still closes and the snapshot and period_closed wait for the clock.
 */
export async function closePeriod(deps: Deps, config: ConfigService, id: string, reason: 'manual' | 'end_date', actor: Actor | null): Promise<PeriodRow> {
  const p = await deps.repos.periods.get(id);
  if (!p) throw evalinErrors.periodNotFound();
  assertTransition(p.status, 'close');
  const groups = await deps.repos.periods.groups([id]);
  let world: GroupWorld[] | undefined;
  try {
    world = await Promise.all(groups.map((g) => liveGroup(deps, p, g)));
  } catch (err) {
    if ((err as { kind?: string }).kind !== 'unavailable') throw err;
  }
  const settings = await config.current();
  return deps.withTransaction(async (tx) => {
    const cur = await tx.periods.getForUpdate(id);
    if (!cur) throw evalinErrors.periodNotFound();
    assertTransition(cur.status, 'close');
    await tx.evaluations.deleteDrafts(id);
    const now = deps.now();
    const next = await tx.periods.update(id, { status: 'closed', closedAt: now, closedReason: reason, snapshotPending: world === undefined, updatedAt: now });
    await tx.periods.addEvent({ periodId: id, action: reason === 'manual' ? 'close' : 'clock-close', fromStatus: cur.status, toStatus: 'closed', actorId: actor?.sub ?? null, createdAt: now });
    if (world) await writeSnapshot(tx, settings, next, world, now);
    return next;
  });
}

/** The snapshot per ficha, the cached participation and the period_closed event, in the caller's transaction. */
export async function writeSnapshot(tx: Repositories, settings: EvalinSettings, p: PeriodRow, world: GroupWorld[], now: Date) {
  await tx.periods.writeSnapshots(world.map((w) => ({ periodId: p.id, groupId: w.groupId, studentIds: w.studentIds, instructorIds: w.instructorIds, takenAt: now })));
  const part = participationOf(world, await tx.evaluations.ofPeriod(p.id));
  await tx.periods.cacheParticipation(p.id, part.expected, part.submitted, now);
  await tx.periods.update(p.id, { snapshotPending: false });
  await emit(tx, settings, events.periodClosed(p, part.submitted, part.rate, await tx.responses.countComments(p.id, 'pending')));
}

export type PeriodsService = ReturnType<typeof createPeriodsService>;
export type { PeriodStatus };
