/**
 * Risk runs (R30, R31): starting one under a transaction-scoped advisory lock (overlap and 10-minute
 * checks), executing it in the background, and the single-apprentice assessment. A run reads attendance in
 * batches — one RP2 call per ficha and window, never one call per apprentice — then projecteval/evalin per
 * apprentice with an outbound concurrency of 4.
 */
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import { aiErrors } from '../domain/errors.ts';
import { riskWindows, type Counts } from '../domain/risk.ts';
import type { Access } from './access.ts';
import type { Assessor } from './assessment.ts';
import { today, type Actor, type Deps } from './context.ts';
import type { Group, Person, RunRow } from './ports.ts';
import type { RiskSettingsService } from './settings.service.ts';
import { assessmentView } from './risk.views.ts';

const EMPTY: Counts = { scheduled: 0, present: 0, late: 0, absent: 0, justified: 0, consecutive_absent: 0 };
const TOO_SOON_MS = 10 * 60_000;

export const fullName = (p: Pick<Person, 'first_name' | 'last_name' | 'full_name'>) => p.full_name ?? ([p.first_name, p.last_name].filter(Boolean).join(' ') || null);

export function runView(r: RunRow) {
  return {
    id: r.id,
    scope: r.scope as 'all' | 'group',
    group_id: r.groupId,
    group_number: r.groupNumber,
    trigger: r.trigger,
    requested_by: r.requestedBy,
    status: r.status as 'queued' | 'running' | 'completed' | 'failed',
    window_start: r.windowStart,
    window_end: r.windowEnd,
    counts: r.counts,
    errors: r.errors,
    created_at: toIso(r.createdAt),
    started_at: toIsoOrNull(r.startedAt),
    finished_at: toIsoOrNull(r.finishedAt),
  };
}

async function pool<T>(items: T[], n: number, work: (item: T) => Promise<void>) {
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (i < items.length) await work(items[i++]);
  }));
}

export function createRunsService(deps: Deps, access: Access, settings: RiskSettingsService, assessor: Assessor, hooks: { assessed(level: string | null): void; log: { error(o: object, m: string): void } }) {
  const inflight = new Set<Promise<void>>();

  async function execute(run: RunRow) {
    const started = deps.now();
    await deps.repos.risk.updateRun(run.id, { status: 'running', startedAt: started });
    const counts = { groups: 0, apprentices: 0, assessed: 0, insufficient_data: 0, alerts_created: 0, alerts_escalated: 0, alerts_resolved: 0, errors: 0 };
    const errs: Array<{ group_id: string | null; apprentice_id: string | null; code: string }> = [];
    const fail = (e: { group_id: string | null; apprentice_id: string | null; code: string }) => {
      counts.errors++;
      if (errs.length < 50) errs.push(e);
    };
    let attendanceCalls = 0;
    let attendanceFailures = 0;
    let fatal = false;
    try {
      const cur = await settings.current();
      const w = riskWindows(today(deps));
      let groups: Group[];
      if (run.scope === 'all') groups = await deps.schedules.activeGroups();
      else groups = [{ id: run.groupId!, number: run.groupNumber ?? '' }];
      const periods = new Map<string, Promise<{ id: string } | null>>();
      for (const g of groups) {
        counts.groups++;
        let people: Person[];
        try {
          people = await deps.users.apprentices(g.id);
        } catch {
          fail({ group_id: g.id, apprentice_id: null, code: 'USERS_UNAVAILABLE' });
          continue;
        }
        counts.apprentices += people.length;
        if (people.length === 0) continue;
        let whole: Map<string, Counts>;
        let recent: Map<string, Counts>;
        attendanceCalls++;
        try {
          [whole, recent] = await Promise.all([deps.attendance.groupCounts(g.id, w.start, w.end), deps.attendance.groupCounts(g.id, w.recentStart, w.end)]);
        } catch {
          attendanceFailures++;
          for (const p of people) fail({ group_id: g.id, apprentice_id: p.id, code: 'ATTENDANCE_UNAVAILABLE' });
          continue;
        }
        const instructors = await deps.schedules.groupInstructors(g.id, today(deps)).catch((): string[] => []);
        await pool(people, 4, async (p) => {
          try {
            const ex = await assessor.extras(p.id, g.id, periods);
            const { row, outcome } = await assessor.store({ id: p.id, name: fullName(p), groupId: g.id, groupNumber: g.number }, whole.get(p.id) ?? EMPTY, recent.get(p.id) ?? EMPTY, ex, cur, { runId: run.id, instructors });
            hooks.assessed(row.level);
            if (row.status === 'assessed') counts.assessed++;
            else counts.insufficient_data++;
            if (outcome === 'created') counts.alerts_created++;
            if (outcome === 'escalated') counts.alerts_escalated++;
            if (outcome === 'resolved') counts.alerts_resolved++;
          } catch (err) {
            hooks.log.error({ err, run_id: run.id }, 'risk assessment failed');
            fail({ group_id: g.id, apprentice_id: p.id, code: 'ASSESSMENT_FAILED' });
          }
        });
      }
    } catch (err) {
      hooks.log.error({ err, run_id: run.id }, 'risk run failed');
      fail({ group_id: run.groupId, apprentice_id: null, code: 'SCHEDULES_UNAVAILABLE' });
      fatal = true;
    }
    const failed = fatal || (attendanceCalls > 0 && attendanceFailures === attendanceCalls);
    await deps.withTransaction(async (tx) => {
      const done = await tx.risk.updateRun(run.id, { status: failed ? 'failed' : 'completed', counts, errors: errs, finishedAt: deps.now() });
      if (failed) {
        await tx.outbox.enqueue({
          type: 'ai.risk_run.failed',
          key: [done.id, 'failed'],
          target_roles: ['admin'],
          priority: 'normal',
          action_url: '/fichas',
          entity_type: 'risk_run',
          entity_id: done.id,
          data: { run_id: done.id, scope: done.scope, group_number: done.groupNumber ?? '', error_count: counts.errors },
        });
      }
    });
  }

  function launch(run: RunRow) {
    const p = execute(run)
      .catch((err) => hooks.log.error({ err, run_id: run.id }, 'risk run crashed'))
      .finally(() => inflight.delete(p));
    inflight.add(p);
  }

  /** R30: checks and insert under one advisory lock, so replicas and concurrent requests start one run. */
  async function start(scope: 'all' | 'group', group: Group | null, trigger: 'scheduled' | 'manual' | 'startup', requestedBy: string | null) {
    const w = riskWindows(today(deps));
    const now = deps.now();
    const run = await deps.withTransaction(async (tx) => {
      await tx.risk.lockRuns();
      const open = await tx.risk.openRuns();
      if (open.some((r) => r.scope === 'all') || (group && open.some((r) => r.groupId === group.id))) throw aiErrors.runInProgress();
      if (group) {
        const last = await tx.risk.lastFinishedGroupRun(group.id);
        const wait = last?.finishedAt ? TOO_SOON_MS - (now.getTime() - last.finishedAt.getTime()) : 0;
        if (wait > 0) throw aiErrors.runTooSoon(Math.ceil(wait / 1000));
      }
      const zero = { groups: 0, apprentices: 0, assessed: 0, insufficient_data: 0, alerts_created: 0, alerts_escalated: 0, alerts_resolved: 0, errors: 0 };
      return tx.risk.insertRun({ scope, groupId: group?.id ?? null, groupNumber: group?.number ?? null, trigger, requestedBy, status: 'queued', windowStart: w.start, windowEnd: w.end, counts: zero, createdAt: now });
    });
    launch(run);
    return run;
  }

  return {
    async assessGroup(actor: Actor, groupId: string) {
      const group = await access.group(actor, groupId);
      return runView(await start('group', group, 'manual', actor.sub));
    },
    async startAll(actor: Actor | null, trigger: 'scheduled' | 'manual' | 'startup') {
      return runView(await start('all', null, trigger, actor?.sub ?? null));
    },
    /** The startup run (R30): only when no assessment exists yet. */
    async startupRun() {
      if (await deps.repos.risk.anyAssessment()) return null;
      try {
        return await this.startAll(null, 'startup');
      } catch {
        return null;
      }
    },
    async list(actor: Actor, f: { status?: string; scope?: string; group_id?: string }, limit: number, offset: number) {
      const scope = await access.scope(actor);
      const { rows, total } = await deps.repos.risk.listRuns({ ...f, ...(scope ? { groupIds: scope } : {}) }, limit, offset);
      return { items: rows.map(runView), total };
    },
    async get(actor: Actor, id: string) {
      const run = await deps.repos.risk.run(id);
      if (!run) throw aiErrors.runNotFound();
      const scope = await access.scope(actor);
      if (scope && (run.scope !== 'group' || !scope.includes(run.groupId!))) throw aiErrors.groupNotAssigned();
      return runView(run);
    },
    /** R31: synchronous; 422 INSUFFICIENT_DATA stores nothing. */
    async assessApprentice(actor: Actor, apprenticeId: string) {
      const p = await deps.users.user(apprenticeId);
      if (!p || p.role !== 'aprendiz' || !p.group_id) throw aiErrors.apprenticeNotFound();
      await access.assertGroup(actor, p.group_id);
      const w = riskWindows(today(deps));
      const [whole, recent] = await Promise.all([deps.attendance.summary(p.id, w.start, w.end), deps.attendance.summary(p.id, w.recentStart, w.end)]);
      const cur = await settings.current();
      const ex = await assessor.extras(p.id, p.group_id, new Map());
      const preview = assessor.compute(whole, recent, ex, cur);
      if (preview.status === 'insufficient_data') throw aiErrors.insufficientData(preview.scheduled, 5);
      const instructors = await deps.schedules.groupInstructors(p.group_id, today(deps)).catch((): string[] => []);
      const { row } = await assessor.store({ id: p.id, name: fullName(p), groupId: p.group_id, groupNumber: p.group_number ?? null }, whole, recent, ex, cur, { createdBy: actor.sub, instructors });
      hooks.assessed(row.level);
      return assessmentView(row, deps.now());
    },
    /** Waits for the runs this process started (tests, shutdown). */
    async idle() {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
  };
}

export type RunsService = ReturnType<typeof createRunsService>;
