/**
 * S1 (admin status) and S2 (the operators' status page with its own script and stylesheet, R57).
 */
import { readFileSync } from 'node:fs';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { MediaResponse } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import { serviceView, type GatewayRuntime } from './runtime.ts';
import { GatewayStatus } from './status.schemas.ts';

export interface StatusRoutesOptions {
  rt: GatewayRuntime;
  storeKind: 'memory' | 'redis';
}

const PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'";
const asset = (name: string) => readFileSync(new URL(`./status-page/${name}`, import.meta.url), 'utf8');
/** The page and its two assets, each documented and served in its own media type. */
const ASSETS = {
  '': { mediaType: 'text/html', what: 'Página de estado (HTML)', body: asset('index.html') },
  '/app.js': { mediaType: 'text/javascript', what: 'Script de la página de estado', body: asset('app.js') },
  '/app.css': { mediaType: 'text/css', what: 'Hoja de estilos de la página de estado', body: asset('app.css') },
};

export const statusRoutes: RoutesPlugin<StatusRoutesOptions> = async (app, { rt, storeKind }) => {
  app.get('/api/v1/gateway/status', {
    preHandler: rt.guard.requireAdmin,
    schema: {
      summary: 'Estado del gateway',
      description: 'S1: this instance, its configuration version, rate-limit store, keys, revocation feed and every service view.',
      tags: ['gateway-status'],
      response: {
        200: Envelope(GatewayStatus),
        ...errorResponses(401, 403),
      },
    },
  }, async (request) => {
    const cfg = rt.config.current();
    const feed = rt.auth.revocationState();
    const fetched = rt.jwksFetchedAt();
    return ok(request, {
      version: rt.version,
      instance_id: rt.instanceId,
      started_at: rt.startedAt.toISOString(),
      config_version: cfg.snapshot.version,
      rate_limit_store: { kind: storeKind, healthy: rt.limiter.healthy() },
      jwks: { kids: rt.keyIds(), fetched_at: fetched ? fetched.toISOString() : null, stale: rt.jwksStale() },
      revocation_feed: { last_success_at: feed.lastSuccessAt ? feed.lastSuccessAt.toISOString() : null, revoked_jtis: feed.revokedJtis },
      services: cfg.snapshot.services.map((s) => serviceView(rt, s)),
    });
  });

  for (const [suffix, file] of Object.entries(ASSETS)) {
    app.get(`/api/v1/gateway/status/page${suffix}`, {
      schema: {
        summary: 'Página de estado',
        description: `S2: the status page${suffix ? ` (${suffix.slice(1)})` : ''}; public shell, its admin panel needs an admin token.`,
        tags: ['gateway-status'],
        response: { 200: MediaResponse(file.what, file.mediaType) },
      },
    }, async (_request, reply) => reply.type(`${file.mediaType}; charset=utf-8`).header('Content-Security-Policy', PAGE_CSP).header('Cache-Control', 'no-cache').send(file.body));
  }
};
