/**
 * Service registry status and health history (gateway.md §3.1, §3.5, R35): each probe updates the
 * shared row; a status or circuit change writes a `transition` row, and a `sample` row is written every
 * 5 minutes per service.
 */
import { and, desc, eq, getTableColumns, gte, lte, sql } from 'drizzle-orm';
import type { Database } from '@sicora/platform/db';
import { countTotal, listPage, withTotal } from '@sicora/platform/list-page';
import type { ProbeState } from '../core/health-aggregation.ts';
import { serviceHealthHistory, services } from './db/schema.ts';

export interface ProbeRecord {
  service: string;
  status: 'up' | 'down';
  statusChanged: boolean;
  circuitChanged: boolean;
  checkedAt: Date;
  httpStatus: number | null;
  latencyMs: number;
  errorCode: string | null;
  consecutiveFailures: number;
  circuit: string;
}

const SAMPLE_MS = 5 * 60_000;

export function createRegistryRepo(database: Database) {
  const db = database.db;
  const lastSample = new Map<string, number>();

  async function recordProbe(p: ProbeRecord): Promise<void> {
    const set = {
      status: p.status,
      lastCheckAt: p.checkedAt,
      lastLatencyMs: p.latencyMs,
      lastErrorCode: p.errorCode,
      consecutiveFailures: p.consecutiveFailures,
    };
    if (p.statusChanged) {
      // Only the first instance to record the transition moves status_since (R39's shared incident start).
      await db
        .update(services)
        .set({ ...set, statusSince: p.checkedAt })
        .where(and(eq(services.name, p.service), sql`${services.status} <> ${p.status}`));
    }
    await db.update(services).set(set).where(eq(services.name, p.service));
    const sampleDue = (lastSample.get(p.service) ?? 0) + SAMPLE_MS <= p.checkedAt.getTime();
    if (!p.statusChanged && !p.circuitChanged && !sampleDue) return;
    lastSample.set(p.service, p.checkedAt.getTime());
    await db.insert(serviceHealthHistory).values({
      service: p.service,
      checkedAt: p.checkedAt,
      status: p.status,
      httpStatus: p.httpStatus,
      latencyMs: p.latencyMs,
      errorCode: p.errorCode,
      circuitState: p.circuit,
      kind: p.statusChanged || p.circuitChanged ? 'transition' : 'sample',
    });
  }

  async function rows() {
    return db.select().from(services);
  }

  /** The probe states the prober instance wrote (R56), for instances that do not probe themselves. */
  async function sharedStates(): Promise<Map<string, ProbeState>> {
    const list = await db
      .select({ name: services.name, status: services.status, latencyMs: services.lastLatencyMs, checkedAt: services.lastCheckAt, consecutiveFailures: services.consecutiveFailures })
      .from(services);
    return new Map(
      list.map((r) => [r.name, { status: r.status, latencyMs: r.latencyMs, checkedAt: r.checkedAt ? new Date(r.checkedAt).toISOString() : null, consecutiveFailures: r.consecutiveFailures }]),
    );
  }

  async function history(service: string, q: { from: Date; to: Date; kind?: 'transition' | 'sample'; limit: number; offset: number }) {
    const where = and(
      eq(serviceHealthHistory.service, service),
      gte(serviceHealthHistory.checkedAt, q.from),
      lte(serviceHealthHistory.checkedAt, q.to),
      q.kind ? eq(serviceHealthHistory.kind, q.kind) : undefined,
    );
    // A sample every 5 minutes per service: the count as a subquery keeps the page's early stop on the index.
    const counted = db.select({ n: sql<number>`count(*)::int` }).from(serviceHealthHistory).where(where);
    const page = db.select(withTotal(getTableColumns(serviceHealthHistory), countTotal(counted))).from(serviceHealthHistory).where(where)
      .orderBy(desc(serviceHealthHistory.checkedAt)).limit(q.limit).offset(q.offset);
    const { rows: list, total } = await listPage(page, q.offset, async () => Number((await counted)[0].n));
    return {
      total,
      rows: list.map((r) => ({
        id: r.id,
        service: r.service,
        checked_at: r.checkedAt.toISOString(),
        status: r.status,
        http_status: r.httpStatus,
        latency_ms: r.latencyMs,
        error_code: r.errorCode,
        circuit_state: r.circuitState,
        kind: r.kind,
      })),
    };
  }

  return { recordProbe, rows, sharedStates, history };
}

export type RegistryRepo = ReturnType<typeof createRegistryRepo>;
