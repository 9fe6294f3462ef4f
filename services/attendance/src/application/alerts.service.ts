/**
 * Alerts AL1–AL9 (R33–R38, O1/O2/O6): scoped lists and stats, the staff and apprentice views, custom
 * alerts, acknowledge/resolve/notes, the apprentice's "seen" and the on-demand evaluation.
 */
import { errors } from '@sicora/platform/errors';
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import { ALERT_LEVELS, appendLevelHistory, daysOpen, isAlertOverdue, recommendedActions, type AlertLevel, type LevelHistoryEntry } from '../domain/alert-rules.ts';
import { attendanceErrors } from '../domain/errors.ts';
import type { AttendanceSettings } from '../domain/settings.ts';
import type { Access } from './access.ts';
import type { AlertEvaluation } from './alerts.evaluation.ts';
import type { Actor, Deps } from './context.ts';
import { lookupPeople, nameOf, type PeopleResult } from './people.ts';
import type { AlertFilter, AlertNoteRow, AlertRow, AlertSortField } from '../infrastructure/alerts.repo.ts';

export const alertErrors = {
  notFound: () => errors.notFound('ALERT_NOT_FOUND', 'Alerta no encontrada'),
  notOpen: () => errors.conflict('ALERT_NOT_OPEN', 'Solo una alerta abierta puede marcarse como atendida'),
  resolved: () => errors.conflict('ALERT_RESOLVED', 'La alerta ya está resuelta'),
};

export interface AlertListQuery {
  state?: string;
  type?: string;
  level?: string;
  student_id?: string;
  group_id?: string;
  overdue?: boolean;
}

const STATES = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] as const;
const TYPES = ['CONSECUTIVE_ABSENCES', 'LOW_ATTENDANCE', 'FREQUENT_LATENESS', 'CUSTOM'] as const;
const DAY_MS = 86_400_000;

function commaList<T extends string>(value: string | undefined, allowed: readonly T[], field: string): T[] | undefined {
  if (!value) return undefined;
  const items = value.split(',').map((x) => x.trim().toUpperCase());
  if (items.some((x) => !allowed.includes(x as T))) throw attendanceErrors.field(field, 'enum', `${field} admite: ${allowed.join(', ')}`);
  return [...new Set(items)] as T[];
}

const isStaff = (actor: Actor) => actor.role !== 'aprendiz';

export function createAlertsService(deps: Deps, access: Access, settings: { current(): Promise<AttendanceSettings> }, evaluation: AlertEvaluation) {
  const { repos } = deps;

  function noteView(n: AlertNoteRow, people: PeopleResult) {
    return { id: n.id, alert_id: n.alertId, author_id: n.authorId, author_name: nameOf(people, n.authorId), author_role: n.authorRole, body: n.body, created_at: toIso(n.createdAt) };
  }

  /** AlertView (§4.6); the apprentice's view drops notes, actions, data and staff (O6). */
  function view(a: AlertRow, people: PeopleResult, s: AttendanceSettings, staff: boolean) {
    const now = deps.now();
    const base = {
      id: a.id,
      student_id: a.studentId,
      group_id: a.groupId,
      group_number: a.groupNumber,
      type: a.type,
      level: a.level,
      state: a.state,
      source: a.source,
      title: a.title,
      message: a.message,
      level_history: a.levelHistory as LevelHistoryEntry[],
      escalated_at: toIsoOrNull(a.escalatedAt),
      acknowledged_at: toIsoOrNull(a.acknowledgedAt),
      resolved_at: toIsoOrNull(a.resolvedAt),
      resolution: a.resolution,
      student_seen_at: toIsoOrNull(a.studentSeenAt),
      created_at: toIso(a.createdAt),
      updated_at: toIso(a.updatedAt),
      student_name: nameOf(people, a.studentId),
      days_open: daysOpen(a.createdAt, a.resolvedAt ?? now),
      overdue: isAlertOverdue(a, now, s.alert_overdue_days),
    };
    if (!staff) return base;
    return {
      ...base,
      data: a.data as Record<string, unknown>,
      created_by: a.createdBy,
      acknowledged_by: a.acknowledgedBy,
      resolved_by: a.resolvedBy,
      resolution_note: a.resolutionNote,
      overdue_notified_at: toIsoOrNull(a.overdueNotifiedAt),
      recommended_actions: recommendedActions(a.type, a.level, s.late_after_minutes),
      acknowledged_by_name: nameOf(people, a.acknowledgedBy),
      resolved_by_name: nameOf(people, a.resolvedBy),
    };
  }

  async function views(actor: Actor, rows: AlertRow[]) {
    const staff = isStaff(actor);
    const people = await lookupPeople(deps.users, rows.flatMap((a) => (staff ? [a.studentId, a.acknowledgedBy, a.resolvedBy] : [a.studentId])));
    const s = await settings.current();
    return { items: rows.map((a) => view(a, people, s, staff)), warnings: people.warnings, people, s };
  }

  /** The alert if the actor may see it (O1, O2), else 404 so existence is never revealed. */
  async function visible(actor: Actor, id: string): Promise<AlertRow> {
    const alert = await repos.alerts.get(id);
    if (!alert) throw alertErrors.notFound();
    if (actor.role === 'aprendiz' && alert.studentId !== actor.sub) throw alertErrors.notFound();
    if (actor.role === 'instructor' && !(await repos.alerts.inReach(id, (await access.reach(actor))!))) throw alertErrors.notFound();
    return alert;
  }

  async function staffView(actor: Actor, alert: AlertRow) {
    const { items, warnings } = await views(actor, [alert]);
    const notes = await repos.alerts.notesOf(alert.id);
    const people = await lookupPeople(deps.users, notes.map((n) => n.authorId));
    return { data: { ...items[0], notes: notes.map((n) => noteView(n, people)) }, warnings: [...new Set([...warnings, ...people.warnings])] };
  }

  /** AL1/AL2 filters with O1/O2 applied. */
  async function filterOf(actor: Actor, q: AlertListQuery): Promise<AlertFilter> {
    const s = await settings.current();
    const f: AlertFilter = {
      states: commaList(q.state, STATES, 'state') ?? ['OPEN', 'ACKNOWLEDGED'],
      types: commaList(q.type, TYPES, 'type'),
      levels: commaList(q.level, ALERT_LEVELS, 'level'),
      student_id: q.student_id,
      group_id: q.group_id,
      overdue: q.overdue,
      overdueBefore: new Date(deps.now().getTime() - s.alert_overdue_days * DAY_MS),
    };
    if (actor.role === 'aprendiz') {
      if (q.student_id && q.student_id !== actor.sub) throw attendanceErrors.outOfScope('student_id');
      if (q.group_id && q.group_id !== actor.groupId) throw attendanceErrors.outOfScope('group_id');
      f.student_id = actor.sub;
    }
    if (actor.role === 'instructor') {
      const reach = (await access.reach(actor))!;
      if (q.group_id && !reach.groupIds.includes(q.group_id) && !(await repos.records.taughtBy(actor.sub, { groupId: q.group_id }))) throw attendanceErrors.outOfScope('group_id');
      if (q.student_id && !(await access.studentInReach(q.student_id, reach))) throw attendanceErrors.outOfScope('student_id');
      if (!q.group_id && !q.student_id) f.reach = reach;
    }
    return f;
  }

  /** AL5–AL7 on an alert that is not RESOLVED, inside a transaction holding its row. */
  async function change<T>(actor: Actor, id: string, work: (tx: Parameters<Parameters<Deps['withTransaction']>[0]>[0], alert: AlertRow) => Promise<T>): Promise<T> {
    await visible(actor, id);
    return deps.withTransaction(async (tx) => {
      const alert = (await tx.alerts.getForUpdate(id))!;
      return work(tx, alert);
    });
  }

  return {
    evaluation,

    /** AL1: default OPEN and ACKNOWLEDGED, most severe first (the enum's order), newest first. */
    async list(actor: Actor, q: AlertListQuery, sort: Array<{ field: AlertSortField; direction: 'asc' | 'desc' }>, page: { limit: number; offset: number }) {
      const { rows, total } = await repos.alerts.list(await filterOf(actor, q), sort, page.limit, page.offset);
      const { items, warnings } = await views(actor, rows);
      return { items, total, warnings };
    },

    /** AL2 */
    async stats(actor: Actor, q: AlertListQuery) {
      const rows = await repos.alerts.stats(await filterOf(actor, q));
      const zero = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
      const out = { total: 0, by_state: zero(STATES), by_level: zero(ALERT_LEVELS), by_type: zero(TYPES), overdue: 0, unseen_by_student: 0 };
      for (const r of rows) {
        out.total += r.n;
        out.by_state[r.state] += r.n;
        out.by_level[r.level] += r.n;
        out.by_type[r.type] += r.n;
        out.overdue += r.overdue;
        out.unseen_by_student += r.unseen;
      }
      return out;
    },

    /** AL3: staff get the notes; the apprentice their own alert in the O6 view. */
    async get(actor: Actor, id: string) {
      const alert = await visible(actor, id);
      if (!isStaff(actor)) {
        const { items, warnings } = await views(actor, [alert]);
        return { data: items[0], warnings };
      }
      return staffView(actor, alert);
    },

    /** AL4: a CUSTOM alert (source MANUAL) for an apprentice in reach; it notifies no one (R35). */
    async create(actor: Actor, body: { student_id: string; level: AlertLevel; title: string; message: string }) {
      const title = body.title.trim();
      const message = body.message.trim();
      if (title.length < 5) throw attendanceErrors.field('title', 'length', 'El título debe tener de 5 a 200 caracteres');
      if (message.length < 10) throw attendanceErrors.field('message', 'length', 'El mensaje debe tener de 10 a 1000 caracteres');
      const people = await lookupPeople(deps.users, [body.student_id]);
      // The ficha comes from users: without it the alert cannot be filed (R45: 503 for what needs it).
      if (people.warnings.length > 0) throw errors.unavailable({ service: 'users' }, 'El servicio de usuarios no pudo responder; intente más tarde');
      const student = people.byId.get(body.student_id);
      if (!student || student.role !== 'aprendiz' || student.is_deleted || !student.group_id) throw attendanceErrors.studentNotFound();
      if (actor.role === 'instructor' && !(await access.studentInReach(student.id, (await access.reach(actor))!))) throw attendanceErrors.outOfScope('student_id');
      const now = deps.now();
      const row = await repos.alerts.insert({
        studentId: student.id,
        groupId: student.group_id,
        groupNumber: student.group_number ?? '',
        type: 'CUSTOM',
        level: body.level,
        state: 'OPEN',
        source: 'MANUAL',
        title,
        message,
        data: {},
        levelHistory: appendLevelHistory([], body.level, now),
        createdBy: actor.sub,
        createdAt: now,
        updatedAt: now,
      });
      return staffView(actor, row);
    },

    /** AL5 (R38): only from OPEN; the optional note joins the follow-up log. */
    async acknowledge(actor: Actor, id: string, note?: string) {
      const body = note?.trim();
      if (body !== undefined && body.length < 3) throw attendanceErrors.field('note', 'length', 'La nota debe tener de 3 a 1000 caracteres');
      const row = await change(actor, id, async (tx, alert) => {
        if (alert.state !== 'OPEN') throw alertErrors.notOpen();
        const now = deps.now();
        if (body) await tx.alerts.insertNote({ alertId: id, authorId: actor.sub, authorRole: actor.role, body, createdAt: now });
        return tx.alerts.update(id, { state: 'ACKNOWLEDGED', acknowledgedAt: now, acknowledgedBy: actor.sub, updatedAt: now });
      });
      return staffView(actor, row);
    },

    /** AL6 (R38): HANDLED or DISMISSED with a note, from OPEN or ACKNOWLEDGED. */
    async resolve(actor: Actor, id: string, body: { resolution: 'HANDLED' | 'DISMISSED'; note: string }) {
      const note = body.note.trim();
      if (note.length < 5) throw attendanceErrors.field('note', 'length', 'La nota debe tener de 5 a 500 caracteres');
      const row = await change(actor, id, async (tx, alert) => {
        if (alert.state === 'RESOLVED') throw alertErrors.resolved();
        const now = deps.now();
        return tx.alerts.update(id, { state: 'RESOLVED', resolution: body.resolution, resolutionNote: note, resolvedAt: now, resolvedBy: actor.sub, updatedAt: now });
      });
      return staffView(actor, row);
    },

    /** AL7 (R38): append-only follow-up notes on an unresolved alert. */
    async addNote(actor: Actor, id: string, text: string) {
      const body = text.trim();
      if (body.length < 3) throw attendanceErrors.field('body', 'length', 'La nota debe tener de 3 a 1000 caracteres');
      const note = await change(actor, id, async (tx, alert) => {
        if (alert.state === 'RESOLVED') throw alertErrors.resolved();
        const now = deps.now();
        await tx.alerts.update(id, { updatedAt: now });
        return tx.alerts.insertNote({ alertId: id, authorId: actor.sub, authorRole: actor.role, body, createdAt: now });
      });
      const people = await lookupPeople(deps.users, [actor.sub]);
      return { data: noteView(note, people), warnings: people.warnings };
    },

    /** AL8 (R38): the owner's first reading, set once; idempotent. */
    async seen(actor: Actor, id: string) {
      const alert = await visible(actor, id);
      const row = alert.studentSeenAt ? alert : await repos.alerts.update(id, { studentSeenAt: deps.now() });
      const { items, warnings } = await views(actor, [row]);
      return { data: items[0], warnings };
    },

    /** AL9 */
    evaluate(q: { student_id?: string; group_id?: string }) {
      return evaluation.run({ studentId: q.student_id, groupId: q.group_id });
    },
  };
}

export type AlertsService = ReturnType<typeof createAlertsService>;
