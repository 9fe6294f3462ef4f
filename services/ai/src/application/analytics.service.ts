/**
 * Analytics (R35): aggregates and excerpts only — never a user id or a conversation id (O1). Periods are
 * local dates in America/Bogota; a period's instants run from its first local midnight to the one after it.
 */
import { toIso } from '@sicora/platform/schemas';
import { addDays, daysBetween, localDateOf } from '../domain/dates.ts';
import { unansweredKey } from '../domain/answers.ts';
import { aiErrors } from '../domain/errors.ts';
import { today, type Deps } from './context.ts';

export interface Period {
  from?: string;
  to?: string;
}

/** The instant of local midnight of `date` in the zone (found by stepping, never a fixed offset). */
export function localMidnight(date: string, timeZone: string): Date {
  let t = Date.parse(`${date}T00:00:00Z`) - 14 * 3_600_000;
  while (localDateOf(new Date(t), timeZone) < date) t += 15 * 60_000;
  while (localDateOf(new Date(t - 60_000), timeZone) === date) t -= 60_000;
  return new Date(t);
}

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

export function createAnalyticsService(deps: Deps) {
  function period(p: Period) {
    const to = p.to ?? today(deps);
    const from = p.from ?? addDays(to, -29);
    // Outside these bounds the local-midnight instants leave what the database and Intl handle.
    for (const [field, d] of [['from', from], ['to', to]] as const) if (d < '1900-01-01' || d > '9999-12-30') throw aiErrors.field(field, 'out_of_range', 'La fecha debe estar entre 1900-01-01 y 9999-12-30');
    if (from > to) throw aiErrors.field('from', 'order', 'from no puede ser posterior a to');
    if (daysBetween(from, to) + 1 > 366) throw aiErrors.field('to', 'maximum', 'El periodo no puede superar 366 días');
    return { from, to, start: localMidnight(from, deps.timeZone), end: localMidnight(addDays(to, 1), deps.timeZone) };
  }

  return {
    async usage(p: Period, granularity: 'day' | 'week' = 'day') {
      const { from, to, start, end } = period(p);
      const events = await deps.repos.usage.between(start, end);
      const qs = events.filter((e) => e.kind === 'message' || e.kind === 'ask');
      const fb = events.filter((e) => e.kind === 'feedback');
      const count = <K extends string>(xs: Array<K | null>) => xs.reduce<Record<string, number>>((m, k) => ((m[k ?? 'none'] = (m[k ?? 'none'] ?? 0) + 1), m), {});
      const latencies = qs.map((e) => e.latencyMs ?? 0).sort((a, b) => a - b);
      const cited = new Map<string, { item_id: string; item_title: string; citations: number }>();
      for (const e of qs) (e.citedItemIds ?? []).forEach((id, i) => {
        const c = cited.get(id) ?? { item_id: id, item_title: e.citedItemTitles?.[i] ?? '', citations: 0 };
        c.citations++;
        cited.set(id, c);
      });
      const noAnswer = qs.filter((e) => e.answerMode === 'no_answer').length;
      const helpful = fb.filter((e) => e.helpful === true).length;
      const bucket = (d: Date) => {
        const day = localDateOf(d, deps.timeZone);
        if (granularity === 'day') return day;
        const dow = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
        return addDays(day, -dow);
      };
      const series = new Map<string, { period_start: string; questions: number; users: Set<string>; no_answer: number; helpful: number; not_helpful: number }>();
      for (let d = granularity === 'day' ? from : bucket(new Date(start)); d <= to; d = addDays(d, granularity === 'day' ? 1 : 7)) series.set(d, { period_start: d, questions: 0, users: new Set(), no_answer: 0, helpful: 0, not_helpful: 0 });
      for (const e of events) {
        const s = series.get(bucket(e.createdAt));
        if (!s) continue;
        if (e.kind === 'feedback') {
          if (e.helpful) s.helpful++;
          else s.not_helpful++;
        } else {
          s.questions++;
          s.users.add(e.userId);
          if (e.answerMode === 'no_answer') s.no_answer++;
        }
      }
      const byRole: Record<string, number> = {};
      for (const e of qs) byRole[e.role] = (byRole[e.role] ?? 0) + 1;
      return {
        from,
        to,
        granularity,
        totals: {
          questions: qs.length,
          conversations_started: qs.filter((e) => e.conversationStarted).length,
          active_users: new Set(qs.map((e) => e.userId)).size,
          by_role: byRole,
          by_answer_mode: count(qs.map((e) => e.answerMode)),
          fallbacks_by_reason: count(qs.filter((e) => e.fallbackReason).map((e) => e.fallbackReason)),
          no_answer_rate: qs.length ? round(noAnswer / qs.length) : 0,
          avg_latency_ms: latencies.length ? Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length) : 0,
          p95_latency_ms: latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(0.95 * latencies.length) - 1)] : 0,
          prompt_tokens: qs.reduce((n, e) => n + (e.promptTokens ?? 0), 0),
          completion_tokens: qs.reduce((n, e) => n + (e.completionTokens ?? 0), 0),
          feedback: { count: fb.length, helpful_ratio: fb.length ? round(helpful / fb.length) : null, by_reason: count(fb.filter((e) => e.reason).map((e) => e.reason)) },
          top_cited_items: [...cited.values()].sort((a, b) => b.citations - a.citations).slice(0, 10),
        },
        series: [...series.values()].map(({ users, ...s }) => ({ ...s, active_users: users.size })),
      };
    },

    async unanswered(p: Period & { role?: string; min_count?: number }, limit: number, offset: number) {
      const { start, end } = period(p);
      const events = (await deps.repos.usage.between(start, end)).filter((e) => e.questionExcerpt && (!p.role || e.role === p.role));
      const groups = new Map<string, { question: string; count: number; roles: Set<string>; last: Date }>();
      for (const e of events) {
        const k = unansweredKey(e.questionExcerpt!);
        const g = groups.get(k) ?? { question: e.questionExcerpt!, count: 0, roles: new Set<string>(), last: e.createdAt };
        g.count++;
        g.roles.add(e.role);
        if (e.createdAt > g.last) g.last = e.createdAt;
        groups.set(k, g);
      }
      const all = [...groups.values()].filter((g) => g.count >= (p.min_count ?? 1)).sort((a, b) => b.count - a.count || b.last.getTime() - a.last.getTime());
      return { items: all.slice(offset, offset + limit).map((g) => ({ question: g.question, count: g.count, roles: [...g.roles].sort(), last_asked_at: toIso(g.last) })), total: all.length };
    },

    async feedback(p: Period & { helpful?: boolean; reason?: string }, limit: number, offset: number) {
      const { start, end } = period(p);
      const { rows, total } = await deps.repos.conversations.feedbackRows(start, end, { helpful: p.helpful, reason: p.reason }, limit, offset);
      return {
        items: rows.map((r) => ({
          created_at: toIso(r.f.createdAt),
          helpful: r.f.helpful,
          reason: r.f.reason,
          comment: r.f.comment,
          question_excerpt: r.question,
          answer_excerpt: r.answer.content.slice(0, 300),
          answer_mode: r.answer.answerMode,
          cited_items: [...new Map((r.answer.citations as Array<{ item_id: string; item_title: string; cited: boolean }>).filter((c) => c.cited).map((c) => [c.item_id, { id: c.item_id, title: c.item_title }])).values()],
        })),
        total,
      };
    },

    async risk(p: Period) {
      const { from, to, start, end } = period(p);
      const assessments = await deps.repos.risk.assessmentsBetween(start, end);
      const latest = new Map<string, (typeof assessments)[number]>();
      for (const a of assessments) {
        const cur = latest.get(a.apprenticeId);
        if (!cur || a.computedAt > cur.computedAt) latest.set(a.apprenticeId, a);
      }
      const byLevel = { low: 0, medium: 0, high: 0, critical: 0 };
      let insufficient = 0;
      const groups = new Map<string, { group_id: string; group_number: string | null; assessed: number; hc: number }>();
      for (const a of latest.values()) {
        if (a.status !== 'assessed' || !a.level) {
          insufficient++;
          continue;
        }
        byLevel[a.level as 'low']++;
        const g = groups.get(a.groupId) ?? { group_id: a.groupId, group_number: a.groupNumber, assessed: 0, hc: 0 };
        g.assessed++;
        if (a.level === 'high' || a.level === 'critical') g.hc++;
        groups.set(a.groupId, g);
      }
      const events = await deps.repos.risk.eventsBetween(start, end);
      const n = (t: string) => events.filter((e) => e.type === t).length;
      const opened = await deps.repos.risk.alertsOpenedBetween(start, end);
      const ackHours = opened.filter((a) => a.acknowledgedAt).map((a) => (a.acknowledgedAt!.getTime() - a.openedAt.getTime()) / 3_600_000);
      const med = median(ackHours);
      return {
        from,
        to,
        assessed_apprentices: latest.size - insufficient,
        by_level: byLevel,
        insufficient_data: insufficient,
        alerts: { created: n('created'), acknowledged: n('acknowledged'), resolved: n('resolved'), auto_resolved: n('auto_resolved'), dismissed: n('dismissed'), open_now: await deps.repos.risk.countOpen(), median_hours_to_acknowledge: med === null ? null : round(med, 1) },
        top_groups: [...groups.values()]
          .map((g) => ({ group_id: g.group_id, group_number: g.group_number, assessed: g.assessed, high_or_critical_share: round(g.hc / g.assessed) }))
          .sort((a, b) => b.high_or_critical_share - a.high_or_critical_share || b.assessed - a.assessed)
          .slice(0, 10),
      };
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
