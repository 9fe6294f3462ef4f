/**
 * Fetches each service's `/docs/json` (gateway.md R52) at start, every 300 s and on C1 (timeout 5 s),
 * keeps the last good copy in `openapi_cache`, and serves the merged document.
 */
import type { Database } from '@sicora/platform/db';
import { effectiveBaseUrl, type RouteRule, type ServiceSetting } from '../core/gateway-config.ts';
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
  let timer: NodeJS.Timeout | undefined;
  let loadedCache = false;

  async function loadCache() {
    if (loadedCache) return;
    const rows = await deps.database.db.select().from(openapiCache);
    for (const r of rows) if (r.document && !docs.has(r.service)) docs.set(r.service, r.document as Json);
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

  function merged(): Json {
    const services = deps.services();
    const match = createRouteMatcher(deps.routes());
    const ownerOf = (path: string) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => match(path.replace(/\{[^}]+\}/g, 'x'), m)?.service).find(Boolean);
    return mergeOpenApi({
      own: deps.own(),
      docs: services.filter((s) => docs.has(s.name)).map((s) => ({ service: s.name, displayName: s.display_name, document: docs.get(s.name)! })),
      missing: services.filter((s) => !docs.has(s.name)).map((s) => s.name),
      publicBaseUrl: deps.publicBaseUrl,
      ownerOf,
      version: '1.0.0',
      onConflict: (path, kept, dropped) => deps.onWarn?.('OpenAPI path claimed by two services', { path, kept, dropped }),
    });
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
