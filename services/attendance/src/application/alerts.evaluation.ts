/**
 * The alert evaluation (R29–R35): reads the records of the window W for the students in scope in one
 * set-based query, asks domain/alert-rules.ts which AUTO alerts should exist, and writes each student in
 * its own short transaction (serialised per student by an advisory transaction lock, so the debounced
 * run and AL9 never create two alerts of one type). New and escalated alerts notify the student and the
 * ficha's staff through the outbox, in the same transaction.
 *
 * Entry points: `evaluateStudents(ids)` — the debounced job after record or justification writes (R34);
 * `run(scope)` — AL9; a run without filters is a full run, one at a time across replicas (409
 * EVALUATION_RUNNING).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '@sicora/platform/db';
import { advisoryKey } from '@sicora/platform/db';
import { AppError, isAppError } from '@sicora/platform/errors';
import type { JobDefinition } from '@sicora/platform/jobs';
import type { NotificationInput } from '@sicora/platform/notify';
import {
  alertEventDiscriminator,
  alertWindow,
  AUTO_ALERT_TYPES,
  appendLevelHistory,
  daysOpen,
  decideAlertTransition,
  evaluateAlertConditions,
  recommendedActions,
  type AlertCandidate,
  type AlertLevel,
  type AlertType,
  type AutoAlertType,
  type LevelHistoryEntry,
} from '../domain/alert-rules.ts';
import type { AttendanceSettings } from '../domain/settings.ts';
import { eventData } from '../domain/event-data.ts';
import type { Deps } from './context.ts';
import { today } from './context.ts';
import { firstNameOf, lookupPeople, nameOf, type PeopleResult } from './people.ts';
import type { Repositories, SchedulesPort } from './ports.ts';
import type { AlertRow, WindowRecord } from '../infrastructure/alerts.repo.ts';

/** G8 as the evaluation uses it (the schedules port's `groupInstructors`). */
export type GroupInstructorsPort = Pick<SchedulesPort, 'groupInstructors'>;

export const TYPE_LABELS: Record<AlertType, string> = {
  CONSECUTIVE_ABSENCES: 'Inasistencias consecutivas',
  LOW_ATTENDANCE: 'Baja asistencia',
  FREQUENT_LATENESS: 'Llegadas tarde frecuentes',
  CUSTOM: 'Seguimiento',
};
export const LEVEL_LABELS: Record<AlertLevel, string> = { LOW: 'Baja', MEDIUM: 'Media', HIGH: 'Alta', CRITICAL: 'Crítica' };

export interface EvaluationResult {
  evaluated: number;
  created: number;
  escalated: number;
  lowered: number;
  resolved: number;
}

const DAY_MS = 86_400_000;
/** Student transactions a full run keeps in flight on PostgreSQL (the pool has 10 connections by default). */
const WRITE_LANES = 4;
/** `createFirst`'s rollback when another run wrote one of the student's alerts first. */
const RACED = new Error('alert written meanwhile');

/** JSON equality whatever the key order (jsonb gives its keys back in its own order). */
function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function groupByStudent(rows: AlertRow[]): Map<string, AlertRow[]> {
  const out = new Map<string, AlertRow[]>();
  for (const r of rows) {
    const list = out.get(r.studentId);
    if (list) list.push(r);
    else out.set(r.studentId, [r]);
  }
  return out;
}

export const evaluationRunning = () => new AppError('EVALUATION_RUNNING', 'conflict', 'Ya hay una evaluación completa de alertas en curso');

/**
 * One full run at a time (R34). In this process a flag; across replicas a session advisory lock taken
 * with pg_try_advisory_lock on a dedicated pooled connection, so a second run is refused instead of
 * queued. PGlite has one session (advisory locks are re-entrant there) and one process: the flag is it.
 */
export function fullRunLock(database?: Pick<Database, 'pool'>) {
  let running = false;
  const key = advisoryKey('attendance.alerts.full-evaluation').toString();
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (running) throw evaluationRunning();
    running = true;
    try {
      const pool = database?.pool;
      if (!pool) return await fn();
      const client = await pool.connect();
      try {
        const res = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
        if (!res.rows[0].ok) throw evaluationRunning();
        try {
          return await fn();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
        }
      } finally {
        client.release();
      }
    } finally {
      running = false;
    }
  };
}

interface StudentWork {
  studentId: string;
  groupId: string | null;
  groupNumber: string | null;
  candidates: Record<AutoAlertType, AlertCandidate | null>;
}

export function createAlertEvaluation(
  deps: Deps,
  settings: { current(): Promise<AttendanceSettings> },
  opts: { database?: Pick<Database, 'pool'>; log?: Pick<FastifyBaseLogger, 'warn'> } = {},
) {
  const { repos } = deps;
  const exclusive = fullRunLock(opts.database);

  /** G8 once per ficha; null when schedules cannot say (the staff event then goes to coordinación only). */
  async function instructorsOf(groupIds: string[]): Promise<Map<string, string[] | null>> {
    const out = new Map<string, string[] | null>();
    const date = today(deps);
    await Promise.all(
      groupIds.map(async (g) => {
        try {
          out.set(g, await deps.schedules.groupInstructors(g, date));
        } catch (err) {
          if (!isAppError(err) || err.kind !== 'unavailable') throw err;
          opts.log?.warn({ group_id: g }, 'G8 unavailable: alert_for_staff goes to role coordinador only');
          out.set(g, null);
        }
      }),
    );
    return out;
  }

  function events(alert: AlertRow, escalated: boolean, people: PeopleResult, instructors: string[] | null, s: AttendanceSettings): NotificationInput[] {
    const history = alert.levelHistory as LevelHistoryEntry[];
    const key = [alert.id, alertEventDiscriminator(alert.level, history.length)];
    const priority = alert.level === 'HIGH' || alert.level === 'CRITICAL' ? 'high' : 'normal';
    const url = `/asistencia/alertas/${alert.id}`;
    const common = { priority, action_url: url, entity_type: 'alert', entity_id: alert.id, key } as const;
    const texts = { alert_type_label: TYPE_LABELS[alert.type], level_label: LEVEL_LABELS[alert.level], title: alert.title, message: alert.message, escalated, alert_url: url };
    const out: NotificationInput[] = [
      { ...common, type: 'attendance.alert_for_student', target_users: [alert.studentId], data: eventData('attendance.alert_for_student', { first_name: firstNameOf(people, alert.studentId), ...texts }) },
    ];
    const roles = priority === 'high' ? (['coordinador'] as const) : undefined;
    // A request without recipients would be refused (NO_TARGETS): a LOW alert with no instructor today is not sent.
    if ((instructors?.length ?? 0) > 0 || roles) {
      out.push({
        ...common,
        type: 'attendance.alert_for_staff',
        target_users: instructors ?? [],
        target_roles: roles ? [...roles] : undefined,
        data: eventData('attendance.alert_for_staff', {
          student_name: nameOf(people, alert.studentId),
          student_id: alert.studentId,
          group_number: alert.groupNumber,
          ...texts,
          metrics: alert.data,
          recommended_actions: recommendedActions(alert.type, alert.level, s.late_after_minutes),
        }),
      });
    }
    return out;
  }

  /** R33's transition of one type for a student, from their unresolved and last resolved AUTO alerts. */
  function transitionOf(type: AutoAlertType, w: StudentWork, unresolved: AlertRow[], resolved: AlertRow[], s: AttendanceSettings, now: Date) {
    const candidate = w.candidates[type];
    const open = unresolved.find((a) => a.type === type);
    const last = resolved.find((a) => a.type === type);
    const t = decideAlertTransition({
      wanted: candidate?.level ?? null,
      unresolved: open ? { level: open.level, state: open.state as 'OPEN' | 'ACKNOWLEDGED' } : null,
      lastResolved: last ? { level: last.level, resolution: last.resolution!, resolvedAt: last.resolvedAt!, conditionClearedSince: (last.data as { condition_cleared?: boolean }).condition_cleared === true } : null,
      now,
      dismissalSuppressionDays: s.dismissal_suppression_days,
    });
    // Same level: the figures are kept current (e.g. a run of 3 that became 4) without history or notice.
    const refresh = t.action === 'NONE' && open !== undefined && candidate !== null && (open.title !== candidate.title || !sameJson(open.data, candidate.data));
    return { t, candidate, open, last, refresh };
  }

  /** Whether any type of the student changes: a student with nothing to write gets no transaction. */
  function needsWrite(w: StudentWork, unresolved: AlertRow[], resolved: AlertRow[], s: AttendanceSettings, now: Date): boolean {
    return AUTO_ALERT_TYPES.some((type) => {
      const x = transitionOf(type, w, unresolved, resolved, s, now);
      return x.refresh || (x.t.action !== 'NONE' && x.t.action !== 'SUPPRESS');
    });
  }

  /** One student's R33 lifecycle in its own transaction. */
  async function applyStudent(tx: Repositories, w: StudentWork, s: AttendanceSettings, people: PeopleResult, instructors: Map<string, string[] | null>, result: EvaluationResult) {
    await tx.alerts.lockStudent(w.studentId);
    const now = deps.now();
    const { unresolved, lastResolved: resolved } = await tx.alerts.currentAuto(w.studentId);
    const notices: NotificationInput[] = [];
    for (const type of AUTO_ALERT_TYPES) {
      const { t, candidate, open, last, refresh } = transitionOf(type, w, unresolved, resolved, s, now);
      const texts = candidate ? { title: candidate.title, message: candidate.message, data: candidate.data } : {};
      switch (t.action) {
        case 'CREATE': {
          const groupId = w.groupId ?? open?.groupId;
          if (!groupId) break;
          const row = await tx.alerts.insert({ studentId: w.studentId, groupId, groupNumber: w.groupNumber ?? '', type, level: t.level, state: 'OPEN', source: 'AUTO', title: candidate!.title, message: candidate!.message, data: candidate!.data, levelHistory: appendLevelHistory([], t.level, now), createdAt: now, updatedAt: now });
          result.created++;
          notices.push(...events(row, false, people, instructors.get(groupId) ?? null, s));
          break;
        }
        case 'ESCALATE': {
          const history = appendLevelHistory(open!.levelHistory as LevelHistoryEntry[], t.to, now);
          const row = await tx.alerts.update(open!.id, { ...texts, level: t.to, state: 'OPEN', escalatedAt: now, levelHistory: history, updatedAt: now });
          result.escalated++;
          notices.push(...events(row, true, people, instructors.get(row.groupId) ?? null, s));
          break;
        }
        case 'LOWER':
          // R33: lowered silently.
          await tx.alerts.update(open!.id, { ...texts, level: t.to, levelHistory: appendLevelHistory(open!.levelHistory as LevelHistoryEntry[], t.to, now), updatedAt: now });
          result.lowered++;
          break;
        case 'RESOLVE':
          await tx.alerts.update(open!.id, { state: 'RESOLVED', resolution: 'AUTO_CLEARED', resolvedAt: now, updatedAt: now });
          result.resolved++;
          break;
        case 'CLEAR_HANDLED_SUPPRESSION':
          // R33: once the condition stops holding after HANDLED, the next occurrence is a new alert.
          await tx.alerts.update(last!.id, { data: { ...(last!.data as object), condition_cleared: true }, updatedAt: now });
          break;
        case 'NONE':
          if (refresh) await tx.alerts.update(open!.id, { ...texts, updatedAt: now });
          break;
        case 'SUPPRESS':
          break;
      }
    }
    if (notices.length > 0) await tx.outbox.enqueue(notices);
  }

  /**
   * A student the run's read found without any AUTO alert (none open, none resolved: no R33 suppression
   * either) who now needs alerts created: their first alerts in one guarded multi-row insert and the
   * notices in one outbox insert, in the student's own transaction, without the lock and the re-read.
   * The insert's guard re-checks, at write time, that the student still has no AUTO alert of each type;
   * when another run got there first (a row not inserted) the transaction is rolled back and the student
   * is done again by `applyStudent` under the lock. Answers false in that case.
   */
  async function createFirst(w: StudentWork, s: AttendanceSettings, people: PeopleResult, instructors: Map<string, string[] | null>, result: EvaluationResult): Promise<boolean> {
    const now = deps.now();
    const groupId = w.groupId!;
    const rows: AlertRow[] = [];
    for (const type of AUTO_ALERT_TYPES) {
      const c = w.candidates[type];
      if (!c) continue;
      rows.push({
        id: randomUUID(), studentId: w.studentId, groupId, groupNumber: w.groupNumber ?? '', type, level: c.level, state: 'OPEN', source: 'AUTO', title: c.title, message: c.message, data: c.data,
        levelHistory: appendLevelHistory([], c.level, now), createdBy: null, escalatedAt: null, acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, resolvedBy: null, resolution: null,
        resolutionNote: null, studentSeenAt: null, overdueNotifiedAt: null, createdAt: now, updatedAt: now,
      });
    }
    try {
      await deps.withTransaction(async (tx) => {
        const inserted = await tx.alerts.insertFirstAuto(rows);
        if (inserted.size !== rows.length) throw RACED;
        await tx.outbox.enqueue(rows.flatMap((row) => events(row, false, people, instructors.get(groupId) ?? null, s)));
      });
    } catch (err) {
      if (err === RACED) return false;
      throw err;
    }
    result.created += rows.length;
    return true;
  }

  /** Whether every type of the student is a CREATE from no AUTO alert at all (`createFirst`'s case). */
  function firstAlertsOnly(w: StudentWork, unresolved: AlertRow[], resolved: AlertRow[], s: AttendanceSettings, now: Date): boolean {
    if (unresolved.length > 0 || resolved.length > 0 || !w.groupId) return false;
    return AUTO_ALERT_TYPES.every((type) => {
      const x = transitionOf(type, w, unresolved, resolved, s, now);
      return x.t.action === 'CREATE' || (x.t.action === 'NONE' && !x.refresh && x.candidate === null);
    });
  }

  async function evaluate(scope: { studentIds?: string[]; groupId?: string }, nightly = false): Promise<EvaluationResult> {
    const s = await settings.current();
    const w = alertWindow(deps.now(), s.alert_window_days, deps.timeZone);
    const rows = await repos.alerts.windowRecords(w.startDate, w.endDate, scope);
    const byStudent = new Map<string, WindowRecord[]>();
    for (const r of rows) {
      const list = byStudent.get(r.studentId);
      if (list) list.push(r);
      else byStudent.set(r.studentId, [r]);
    }
    for (const id of await repos.alerts.studentsWithUnresolvedAuto(scope)) if (!byStudent.has(id)) byStudent.set(id, []);
    const work: StudentWork[] = [...byStudent.entries()].map(([studentId, list]) => {
      // The ficha of the newest record: where the apprentice is now.
      const latest = list[list.length - 1];
      return { studentId, groupId: latest?.groupId ?? null, groupNumber: latest?.groupNumber ?? null, candidates: evaluateAlertConditions(list, s) };
    });
    // Everything remote before any transaction (§7): names for event data, G8 once per ficha; the nightly
    // run looks every student up, since inactive or deleted ones are skipped and their alerts resolved.
    const notifiable = work.filter((x) => Object.values(x.candidates).some((c) => c !== null));
    const people = await lookupPeople(deps.users, (nightly ? work : notifiable).map((x) => x.studentId));
    const gone = (id: string) => {
      if (!nightly || people.warnings.length > 0) return false;
      const p = people.byId.get(id);
      return !p || !p.is_active || p.is_deleted;
    };
    const instructors = await instructorsOf([...new Set(notifiable.map((x) => x.groupId).filter((g): g is string => g !== null))]);
    const result: EvaluationResult = { evaluated: work.length, created: 0, escalated: 0, lowered: 0, resolved: 0 };
    // One read of everyone's AUTO alerts decides who needs a write: a centre-wide run where little changes
    // opens a transaction only for those (each re-reads under its lock, so a concurrent run is harmless).
    const current = await repos.alerts.autoAlertsOf(work.map((x) => x.studentId));
    const unresolvedOf = groupByStudent(current.unresolved);
    const resolvedOf = groupByStudent(current.lastResolved);
    const now = deps.now();
    const writeStudent = async (x: StudentWork) => {
      if (gone(x.studentId)) {
        result.resolved += await deps.withTransaction((tx) => tx.alerts.resolveAllOf(x.studentId, 'STUDENT_INACTIVE', deps.now()));
        return;
      }
      const unresolved = unresolvedOf.get(x.studentId) ?? [];
      const resolved = resolvedOf.get(x.studentId) ?? [];
      if (!needsWrite(x, unresolved, resolved, s, now)) return;
      if (firstAlertsOnly(x, unresolved, resolved, s, now) && (await createFirst(x, s, people, instructors, result))) return;
      await deps.withTransaction((tx) => applyStudent(tx, x, s, people, instructors, result));
    };
    // Still one short transaction per student (R34); on PostgreSQL a few run side by side on the pool
    // (each holds its own student's lock), on PGlite's single connection one after another.
    const lanes = opts.database?.pool ? WRITE_LANES : 1;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(lanes, work.length) }, async () => {
        while (next < work.length) await writeStudent(work[next++]);
      }),
    );
    return result;
  }

  /** R36: one `attendance.alert_overdue` to role coordinador per alert OPEN for `alert_overdue_days`. */
  async function notifyOverdue(): Promise<number> {
    const s = await settings.current();
    const now = deps.now();
    const due = await repos.alerts.overdueToNotify(new Date(now.getTime() - s.alert_overdue_days * DAY_MS));
    if (due.length === 0) return 0;
    const people = await lookupPeople(deps.users, due.map((a) => a.studentId));
    let sent = 0;
    for (const a of due) {
      await deps.withTransaction(async (tx) => {
        if (!(await tx.alerts.markOverdueNotified(a.id, now))) return;
        const url = `/asistencia/alertas/${a.id}`;
        await tx.outbox.enqueue({
          type: 'attendance.alert_overdue',
          key: [a.id, 1],
          target_roles: ['coordinador'],
          priority: 'normal',
          action_url: url,
          entity_type: 'alert',
          entity_id: a.id,
          data: eventData('attendance.alert_overdue', { student_name: nameOf(people, a.studentId), group_number: a.groupNumber, title: a.title, level_label: LEVEL_LABELS[a.level], days_open: daysOpen(a.createdAt, now), alert_url: url }),
        });
        sent++;
      });
    }
    return sent;
  }

  return {
    /** R34's debounced run for the students whose records or justifications changed. */
    evaluateStudents: (ids: string[]) => evaluate({ studentIds: [...new Set(ids)] }),
    /** AL9: filtered runs go straight; a run without filters is a full run, one at a time. */
    run(scope: { studentId?: string; groupId?: string }): Promise<EvaluationResult> {
      if (scope.studentId || scope.groupId) return evaluate({ studentIds: scope.studentId ? [scope.studentId] : undefined, groupId: scope.groupId });
      return exclusive(() => evaluate({}));
    },
    /** R34 + R36 at 23:00: the full run (inactive students' alerts resolved), then the overdue notices. */
    nightly(): Promise<EvaluationResult & { overdue_notified: number }> {
      return exclusive(async () => {
        const result = await evaluate({}, true);
        return { ...result, overdue_notified: await notifyOverdue() };
      });
    },
  };
}

export type AlertEvaluation = ReturnType<typeof createAlertEvaluation>;

/** R34/R36's nightly slot at 23:00 Bogotá, once across replicas (for app.ts's scheduler list). */
export function alertsNightlyJob(evaluation: AlertEvaluation, timeZone: string): JobDefinition {
  return { name: 'alerts-nightly', cron: '0 23 * * *', timeZone, catchUp: 'same-day', retryAfterMs: 5 * 60_000, run: () => evaluation.nightly() };
}
