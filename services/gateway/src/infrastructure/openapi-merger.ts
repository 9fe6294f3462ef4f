/**
 * Fetches each service's `/docs/json` (gateway.md R52) at start, every 300 s and on C1 (timeout 5 s),
 * keeps the last good copy in `openapi_cache`, and serves the merged document.
 */
import type { Database } from '@sicora/platform/db';
import { effectiveBaseUrl, type RouteRule, type ServiceSetting } from '../core/gateway-config.ts';
import { isReservedPattern } from '../core/config-validation.ts';
import { mergeOpenApi } from '../core/openapi-merge.ts';
import { createRouteMatcher } from '../core/route-matching.ts';
import { openapiCache } from './db/schema.ts';

type Json = Record<string, unknown>;

export interface OpenApiMergerDeps {
  database: Database;
  services: () => readonly ServiceSetting[];
  routes: () => readonly RouteRule[];
  own: () => Json;
  publicBaseUrl: string;
  refreshMs: number;
  now: () => Date;
  onWarn?: (msg: string, obj: object) => void;
}

export function createOpenApiMerger(deps: OpenApiMergerDeps) {
  const docs = new Map<string, Json>();
  /** Moves whenever `docs` does, so the merged document is rebuilt. */
  let docsVersion = 0;
  let timer: NodeJS.Timeout | undefined;
  let loadedCache = false;

  async function loadCache() {
    if (loadedCache) return;
    const rows = await deps.database.db.select().from(openapiCache);
    for (const r of rows) if (r.document && !docs.has(r.service)) docs.set(r.service, r.document as Json);
    docsVersion++;
    loadedCache = true;
  }

  async function fetchOne(s: ServiceSetting): Promise<void> {
    const url = `${effectiveBaseUrl(s).replace(/\/+$/, '')}${s.docs_path}`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000), headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`http_${res.status}`);
      const doc = (await res.json()) as Json;
      if (!doc || typeof doc !== 'object' || !doc.paths) throw new Error('not_openapi');
      docs.set(s.name, doc);
      docsVersion++;
      const fetchedAt = deps.now();
      await deps.database.db
        .insert(openapiCache)
        .values({ service: s.name, document: doc, fetchedAt, fetchError: null })
        .onConflictDoUpdate({ target: openapiCache.service, set: { document: doc, fetchedAt, fetchError: null } })
        .catch(() => undefined);
    } catch (err) {
      const message = (err as Error).message.slice(0, 200);
      await deps.database.db
        .insert(openapiCache)
        .values({ service: s.name, document: null, fetchError: message })
        .onConflictDoUpdate({ target: openapiCache.service, set: { fetchError: message } })
        .catch(() => undefined);
    }
  }

  async function refresh(): Promise<void> {
    await loadCache().catch(() => undefined);
    await Promise.all(deps.services().map(fetchOne));
  }

  /**
   * The merge is kept until its inputs change (a document fetched, the configuration reloaded), so
   * `/docs/json` does not redo it per request, and a double claim is logged once when it appears, not
   * on every read of the document.
   */
  let cache: { docsVersion: number; services: unknown; routes: unknown; own: unknown; doc: Json } | undefined;
  let reported = new Set<string>();

  function merged(): Json {
    const services = deps.services();
    const routes = deps.routes();
    const own = deps.own();
    if (cache && cache.docsVersion === docsVersion && cache.services === services && cache.routes === routes && cache.own === own) return cache.doc;
    const match = createRouteMatcher(routes);
    // A template segment stands for any value: `x` matches the rules' prefixes as a real id would.
    const ownerOf = (path: string, method: string) => match(path.replace(/\{[^}]*\}/g, 'x'), method)?.service;
    const conflicts = new Set<string>();
    const doc = mergeOpenApi({
      own,
      docs: services.filter((s) => docs.has(s.name)).map((s) => ({ service: s.name, displayName: s.display_name, document: docs.get(s.name)! })),
      missing: services.filter((s) => !docs.has(s.name)).map((s) => s.name),
      publicBaseUrl: deps.publicBaseUrl,
      ownerOf,
      isGatewayPath: isReservedPattern,
      version: '1.0.0',
      onConflict: (conflict) => {
        const key = JSON.stringify(conflict);
        conflicts.add(key);
        if (!reported.has(key)) deps.onWarn?.('OpenAPI operation claimed by two services', conflict);
      },
    });
    reported = conflicts;
    cache = { docsVersion, services, routes, own, doc };
    return doc;
  }

  return {
    refresh,
    merged,
    document: (service: string): Json | undefined => docs.get(service),
    start() {
      void refresh();
      timer ??= setInterval(() => void refresh(), deps.refreshMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

export type OpenApiMerger = ReturnType<typeof createOpenApiMerger>;
