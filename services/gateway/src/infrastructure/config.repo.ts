/**
 * Configuration rows (gateway.md §3.1–§3.4, R40–R42): the seed on first start, the current snapshot,
 * and every change written together with its new version in one transaction.
 */
import { and, desc, eq, notInArray, sql } from 'drizzle-orm';
import type { Database } from '@sicora/platform/db';
import { errors } from '@sicora/platform/errors';
import { listPage, withTotal } from '@sicora/platform/list-page';
import type { CircuitOverride, ConfigSnapshot, Policy, RouteRule, ServiceSetting } from '../core/gateway-config.ts';
import { LATER_RULES, SERVICE_ORDER, seedSnapshot } from '../core/seed-config.ts';
import { configVersions, rateLimitPolicies, routes, seedRuns, services } from './db/schema.ts';

type ConfigBody = Omit<ConfigSnapshot, 'version'>;

function serviceRow(s: typeof services.$inferSelect): ServiceSetting {
  return {
    name: s.name,
    display_name: s.displayName,
    base_url: s.baseUrl,
    base_url_override: s.baseUrlOverride,
    health_path: s.healthPath,
    docs_path: s.docsPath,
    attempt_timeout_ms: s.attemptTimeoutMs,
    deadline_ms: s.deadlineMs,
    max_retries: s.maxRetries,
    critical: s.critical,
    enabled: s.enabled,
    maintenance_message: s.maintenanceMessage,
    circuit_override: (s.circuitOverride ?? null) as CircuitOverride | null,
  };
}

function routeRow(r: typeof routes.$inferSelect): RouteRule {
  return {
    id: r.id,
    name: r.name,
    methods: r.methods,
    pattern: r.pattern,
    match: r.match,
    service: r.service,
    access: r.access,
    roles: r.roles,
    rate_limit_policy: r.rateLimitPolicy,
    attempt_timeout_ms: r.attemptTimeoutMs,
    deadline_ms: r.deadlineMs,
    max_retries: r.maxRetries,
    body_limit_bytes: r.bodyLimitBytes,
    enabled: r.enabled,
    description: r.description,
  };
}

function policyRow(p: typeof rateLimitPolicies.$inferSelect): Policy {
  return {
    name: p.name,
    key_by: p.keyBy,
    limit: p.limit,
    window_seconds: p.windowSeconds,
    failure_mode: p.failureMode,
    enabled: p.enabled,
    builtin: p.builtin,
    description: p.description,
  };
}

const routeValues = (r: RouteRule, by: string | null) => ({
  id: r.id,
  name: r.name,
  methods: r.methods,
  pattern: r.pattern,
  match: r.match,
  service: r.service,
  access: r.access,
  roles: r.roles,
  rateLimitPolicy: r.rate_limit_policy,
  attemptTimeoutMs: r.attempt_timeout_ms,
  deadlineMs: r.deadline_ms,
  maxRetries: r.max_retries,
  bodyLimitBytes: r.body_limit_bytes,
  enabled: r.enabled,
  description: r.description,
  updatedBy: by,
});

const policyValues = (p: Policy, by: string | null) => ({
  name: p.name,
  keyBy: p.key_by,
  limit: p.limit,
  windowSeconds: p.window_seconds,
  failureMode: p.failure_mode,
  enabled: p.enabled,
  builtin: p.builtin,
  description: p.description,
  updatedBy: by,
});

export function createConfigRepo(database: Database, now: () => Date) {
  const db = database.db;

  async function load(): Promise<ConfigSnapshot> {
    const [svc, rts, pols, ver] = await Promise.all([
      db.select().from(services).orderBy(services.name),
      db.select().from(routes).orderBy(routes.name),
      db.select().from(rateLimitPolicies).orderBy(rateLimitPolicies.name),
      db.select({ v: sql<number>`coalesce(max(${configVersions.version}), 0)::int` }).from(configVersions),
    ]);
    // The §1 order (users first), which every view and report keeps.
    const order = (name: string) => (SERVICE_ORDER.indexOf(name) + 1 || 99);
    const ordered = svc.map(serviceRow).sort((a, b) => order(a.name) - order(b.name));
    return { version: Number(ver[0].v), services: ordered, routes: rts.map(routeRow), policies: pols.map(policyRow) };
  }

  async function currentVersion(): Promise<number> {
    const [row] = await db.select({ v: sql<number>`coalesce(max(${configVersions.version}), 0)::int` }).from(configVersions);
    return Number(row.v);
  }

  /** First start seeds §11 as version 1; every start rewrites each service's `base_url` from the environment. */
  async function ensureSeed(baseUrls: Record<string, string>): Promise<void> {
    await database.withAdvisoryLock('gateway:seed', async () => {
      const seed = seedSnapshot(baseUrls);
      await db.transaction(async (tx) => {
        const empty = (await tx.select({ v: configVersions.version }).from(configVersions).limit(1)).length === 0;
        const known = new Set((await tx.select({ name: services.name }).from(services)).map((r) => r.name));
        for (const s of seed.services) {
          await tx
            .insert(services)
            .values({ ...serviceValues(s, null), baseUrl: s.base_url })
            .onConflictDoUpdate({ target: services.name, set: { baseUrl: s.base_url } });
        }
        const laterRuns = Object.keys(LATER_RULES).map((name) => ({ name: `rule:${name}` }));
        if (!empty) {
          // A service added since the first start (a new manifest) gets its seed rules; a rule written
          // after the first seed (LATER_RULES) arrives once; services and rules an administrator changed
          // keep what they were left with. Both land as one new version.
          const applied = new Set((await tx.select({ name: seedRuns.name }).from(seedRuns)).map((r) => r.name));
          const existing = await tx.select({ name: routes.name, pattern: routes.pattern, match: routes.match }).from(routes);
          const names = new Set(existing.map((r) => r.name));
          const paths = new Set(existing.map((r) => `${r.match} ${r.pattern}`));
          const forNewServices = seed.routes.filter((r) => !known.has(r.service));
          const later = seed.routes.filter((r) => known.has(r.service) && LATER_RULES[r.name] && !applied.has(`rule:${r.name}`));
          const added = [...forNewServices, ...later.filter((r) => !names.has(r.name) && !paths.has(`${r.match} ${r.pattern}`))];
          await tx.insert(seedRuns).values(laterRuns).onConflictDoNothing();
          if (added.length === 0) return;
          await tx.insert(routes).values(added.map((r) => routeValues(r, null))).onConflictDoNothing();
          const [{ v }] = await tx.select({ v: sql<number>`coalesce(max(${configVersions.version}), 0)::int` }).from(configVersions);
          const version = Number(v) + 1;
          const newServices = [...new Set(forNewServices.map((r) => r.service))];
          const summary = [
            ...(newServices.length ? [`Servicios nuevos: ${newServices.join(', ')}`] : []),
            ...new Set(added.filter((r) => known.has(r.service)).map((r) => LATER_RULES[r.name])),
          ].join('; ');
          await tx.insert(configVersions).values({ version, changeSummary: summary, snapshot: await snapshotOf(tx, version) });
          return;
        }
        await tx.insert(seedRuns).values(laterRuns).onConflictDoNothing();
        await tx.insert(rateLimitPolicies).values(seed.policies.map((p) => policyValues(p, null))).onConflictDoNothing();
        await tx.insert(routes).values(seed.routes.map((r) => routeValues(r, null))).onConflictDoNothing();
        await tx.insert(configVersions).values({ version: 1, changeSummary: 'Configuración inicial', snapshot: await snapshotOf(tx, 1) });
      });
    });
  }

  async function snapshotOf(tx: Pick<typeof db, 'select'>, version: number): Promise<ConfigSnapshot> {
    // One after another: a transaction is one connection, and node-postgres queues (pg 8) or refuses (pg 9)
    // a second query sent while the first runs.
    const svc = await tx.select().from(services).orderBy(services.name);
    const rts = await tx.select().from(routes).orderBy(routes.name);
    const pols = await tx.select().from(rateLimitPolicies).orderBy(rateLimitPolicies.name);
    return { version, services: svc.map(serviceRow), routes: rts.map(routeRow), policies: pols.map(policyRow) };
  }

  /**
   * Writes a whole validated configuration and its new version. `baseVersion` is the version the change
   * was computed from: if another change landed meanwhile, nothing is written (409).
   */
  async function save(next: ConfigBody, opts: { baseVersion: number; summary: string; by: string | null }): Promise<number> {
    return db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('gateway:config'))`);
      const [row] = await tx.select({ v: sql<number>`coalesce(max(${configVersions.version}), 0)::int` }).from(configVersions);
      if (Number(row.v) !== opts.baseVersion) {
        throw errors.conflict('CONFIG_VERSION_CONFLICT', 'La configuración cambió; recargue e intente de nuevo', { current_version: Number(row.v) });
      }
      const version = opts.baseVersion + 1;
      for (const s of next.services) {
        // base_url belongs to the environment (rewritten at start), never to a stored snapshot.
        await tx.update(services).set({ ...serviceValues(s, opts.by), baseUrl: undefined, updatedAt: now() }).where(eq(services.name, s.name));
      }
      const routeIds = next.routes.map((r) => r.id);
      await tx.delete(routes).where(routeIds.length ? notInArray(routes.id, routeIds) : sql`true`);
      for (const p of next.policies) {
        await tx.insert(rateLimitPolicies).values(policyValues(p, opts.by)).onConflictDoUpdate({ target: rateLimitPolicies.name, set: { ...policyValues(p, opts.by), updatedAt: now() } });
      }
      // Names may swap between rules in one change (import): free them first.
      for (const r of next.routes) await tx.update(routes).set({ name: `~${r.id}` }).where(and(eq(routes.id, r.id)));
      for (const r of next.routes) {
        await tx.insert(routes).values(routeValues(r, opts.by)).onConflictDoUpdate({ target: routes.id, set: { ...routeValues(r, opts.by), updatedAt: now() } });
      }
      await tx.delete(rateLimitPolicies).where(notInArray(rateLimitPolicies.name, next.policies.map((p) => p.name)));
      await tx.insert(configVersions).values({ version, createdBy: opts.by, changeSummary: opts.summary.slice(0, 500), snapshot: { ...next, version } });
      return version;
    });
  }

  async function versions(page: number, pageSize: number) {
    const offset = (page - 1) * pageSize;
    // The nightly purge keeps the last 200 versions: the window counts them in the page's own scan.
    const query = db
      .select(withTotal({ version: configVersions.version, created_at: configVersions.createdAt, created_by: configVersions.createdBy, change_summary: configVersions.changeSummary }))
      .from(configVersions)
      .orderBy(desc(configVersions.version))
      .limit(pageSize)
      .offset(offset);
    const { rows, total } = await listPage(query, offset, async () => Number((await db.select({ n: sql<number>`count(*)::int` }).from(configVersions))[0].n));
    return { rows: rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() })), total };
  }

  async function versionSnapshot(version: number): Promise<ConfigSnapshot | undefined> {
    const [row] = await db.select({ snapshot: configVersions.snapshot }).from(configVersions).where(eq(configVersions.version, version));
    return row?.snapshot as ConfigSnapshot | undefined;
  }

  return { load, currentVersion, ensureSeed, save, versions, versionSnapshot };
}

function serviceValues(s: ServiceSetting, by: string | null) {
  return {
    name: s.name,
    displayName: s.display_name,
    baseUrl: s.base_url,
    baseUrlOverride: s.base_url_override,
    healthPath: s.health_path,
    docsPath: s.docs_path,
    attemptTimeoutMs: s.attempt_timeout_ms,
    deadlineMs: s.deadline_ms,
    maxRetries: s.max_retries,
    critical: s.critical,
    enabled: s.enabled,
    maintenanceMessage: s.maintenance_message,
    circuitOverride: s.circuit_override,
    updatedBy: by,
  };
}

export type ConfigRepo = ReturnType<typeof createConfigRepo>;
