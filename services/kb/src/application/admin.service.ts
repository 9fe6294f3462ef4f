/**
 * Administration (§4.6): metrics (R23), search logs and the no-results and top-queries reports (R22,
 * CSV per §6.3), search settings and the embeddings status. Periods are America/Bogota days, `to`
 * inclusive (R25).
 */
import { addDays, daysBetween, localDateOf, localToInstant } from '@sicora/platform/local-time';
import { localIso } from '@sicora/platform/csv-export';
import { kbErrors } from '../domain/errors.ts';
import type { LogFilter, LogRow } from '../infrastructure/admin.repo.ts';
import { toDate } from '../infrastructure/rows.ts';
import type { Actor, Deps } from './context.ts';
import type { SemanticPort } from './semantic.ts';

export const CSV_MAX_ROWS = 100_000;

export interface PeriodQuery {
  from?: string;
  to?: string;
}

export function createAdminService(deps: Deps, semantic: SemanticPort) {
  const { repos, now, timeZone } = deps;

  function period(q: PeriodQuery) {
    const to = q.to ?? localDateOf(now(), timeZone);
    const from = q.from ?? addDays(to, -29);
    if (daysBetween(from, to) < 0) throw kbErrors.validation([{ field: 'from', reason: 'after_to', message: 'from debe ser anterior o igual a to' }]);
    if (daysBetween(from, to) > 365) throw kbErrors.validation([{ field: 'to', reason: 'span_too_long', message: 'El periodo no puede superar 366 días' }]);
    return { fromDate: from, toDate: to, from: localToInstant(from, '00:00', timeZone), to: localToInstant(addDays(to, 1), '00:00', timeZone) };
  }

  const localTime = (v: unknown) => localIso(toDate(v), timeZone).slice(0, 19).replace('T', ' ');
  const logView = (r: LogRow) => ({ id: r.id, created_at: toDate(r.created_at).toISOString(), source: r.source, query_text: r.query_text, role: r.role, user_id: r.user_id, mode_requested: r.mode_requested, mode_used: r.mode_used, results_count: Number(r.results_count), latency_ms: Number(r.latency_ms) });

  return {
    period,

    async metrics(q: PeriodQuery) {
      const p = period(q);
      const m = await repos.admin.metrics(p);
      const top = await repos.admin.topQueries(p, 10);
      const s = semantic.status();
      const { publishedItems, ...rest } = m;
      const embedded = s.available ? await repos.admin.embeddedPublished() : 0;
      return {
        from: p.fromDate,
        to: p.toDate,
        ...rest,
        search: { ...rest.search, top_queries: top },
        embeddings: { status: s.embeddings.status, coverage: publishedItems === 0 ? 0 : Math.round((embedded / publishedItems) * 1000) / 1000 },
      };
    },

    async logs(f: PeriodQuery & Omit<LogFilter, 'from' | 'to'>, page: { limit: number; offset: number }) {
      const p = period(f);
      const { rows, total } = await repos.admin.logs({ ...f, from: p.from, to: p.to }, page);
      return { items: rows.map(logView), total };
    },

    /** §6.3: counted first (a refusal stays JSON), then read a keyset batch at a time. */
    async logsCsv(f: PeriodQuery & Omit<LogFilter, 'from' | 'to'>) {
      const p = period(f);
      const filter = { ...f, from: p.from, to: p.to };
      if ((await repos.admin.countLogs(filter)) > CSV_MAX_ROWS) throw tooMany();
      return {
        filename: `kb-busquedas-${p.fromDate}_${p.toDate}.csv`,
        columns: ['fecha', 'origen', 'consulta', 'rol', 'usuario_id', 'modo_solicitado', 'modo_usado', 'resultados', 'latencia_ms'],
        read: async (after: { at: string; id: string } | undefined, limit: number) => (await repos.admin.logs(filter, { after, limit })).rows,
        keyOf: (r: LogRow) => ({ at: toDate(r.created_at).toISOString(), id: r.id }),
        toRecord: (r: LogRow) => [localTime(r.created_at), r.source, r.query_text, r.role, r.user_id, r.mode_requested, r.mode_used, Number(r.results_count), Number(r.latency_ms)],
      };
    },

    async noResults(f: PeriodQuery & { role?: string; min_count?: number }, page?: { limit: number; offset: number }) {
      const p = period(f);
      const { rows, total } = await repos.admin.noResults({ role: f.role, from: p.from, to: p.to, minCount: f.min_count ?? 1 }, page);
      if (!page && total > CSV_MAX_ROWS) throw tooMany();
      return {
        items: rows.map((r) => ({ query: r.query, count: r.count, distinct_users: r.distinct_users, roles: r.roles, first_seen: toDate(r.first_seen).toISOString(), last_seen: toDate(r.last_seen).toISOString() })),
        total,
        filename: `kb-sin-resultados-${p.fromDate}_${p.toDate}.csv`,
        columns: ['consulta', 'veces', 'usuarios_distintos', 'roles', 'primera_vez', 'ultima_vez'],
        toRecord: (r: { query: string; count: number; distinct_users: number; roles: string[]; first_seen: string; last_seen: string }) => [r.query, r.count, r.distinct_users, r.roles.join(' '), localTime(r.first_seen), localTime(r.last_seen)],
      };
    },

    async topQueries(f: PeriodQuery & { role?: string; limit?: number }) {
      const p = period(f);
      return repos.admin.topQueries({ role: f.role, from: p.from, to: p.to }, f.limit ?? 20);
    },

    async settings() {
      const s = (await repos.search.settings())!;
      return settingsView(s);
    },

    async saveSettings(actor: Actor, body: { semantic_weight?: number; semantic_threshold?: number; related_threshold?: number }) {
      const current = (await repos.search.settings())!;
      const saved = await repos.search.saveSettings({
        // Three decimals: what the settings mean, and always within a PostgreSQL `real`.
        semanticWeight: round3(body.semantic_weight ?? current.semanticWeight),
        semanticThreshold: round3(body.semantic_threshold ?? current.semanticThreshold),
        relatedThreshold: round3(body.related_threshold ?? current.relatedThreshold),
        updatedBy: actor.sub,
        updatedAt: now(),
      });
      return settingsView(saved);
    },

    async embeddings() {
      const s = semantic.status();
      const counts = await repos.admin.embeddingCounts(s.vectorExtension);
      return {
        status: s.embeddings.status,
        model: s.embeddings.model,
        dimensions: s.embeddings.dimensions,
        vector_extension: s.vectorExtension ? ('available' as const) : ('missing' as const),
        ...counts,
        pending_jobs: semantic.pending?.() ?? 0,
        last_error: semantic.lastError?.() ?? null,
      };
    },

    async rebuild(scope: 'missing' | 'all') {
      const s = semantic.status();
      if (!s.available || !semantic.rebuild) throw kbErrors.semanticUnavailable(s.reason ?? 'provider_unavailable');
      return semantic.rebuild(scope);
    },
  };
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function settingsView(s: { semanticWeight: number; semanticThreshold: number; relatedThreshold: number; updatedBy: string | null; updatedAt: Date }) {
  return { semantic_weight: round3(s.semanticWeight), semantic_threshold: round3(s.semanticThreshold), related_threshold: round3(s.relatedThreshold), updated_by: s.updatedBy, updated_at: s.updatedAt.toISOString() };
}

function tooMany() {
  return kbErrors.validation([{ field: 'from', reason: 'too_many_rows', message: `Más de ${CSV_MAX_ROWS} filas: pida un periodo más corto` }]);
}

export type AdminService = ReturnType<typeof createAdminService>;
