/**
 * V1–V6: the service registry (gateway.md §4.3): views, live settings, health history, forced circuit
 * states and an on-demand probe.
 */
import { Type } from 'typebox';
import { guardRoutes } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { pageRequest, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { ServiceSetting } from '../core/gateway-config.ts';
import { actor } from './admin-guard.ts';
import { serviceView, type GatewayRuntime } from './runtime.ts';
import { CircuitAction, CircuitResult, HealthHistoryQuery, HistoryRow, ProbeResult, ServiceDetail, ServiceName, ServicePatch, ServiceView } from './services.schemas.ts';

export interface ServicesRoutesOptions {
  rt: GatewayRuntime;
}

const tags = ['gateway-services'];
const DAY_MS = 86_400_000;
const notFound = () => errors.notFound('SERVICE_NOT_FOUND', 'El servicio no existe');

export const servicesRoutes: RoutesPlugin<ServicesRoutesOptions> = async (app, { rt }) => {
  const find = (name: string): ServiceSetting => {
    const s = rt.config.current().services.get(name);
    if (!s) throw notFound();
    return s;
  };
  guardRoutes(app, rt.guard.requireAdmin);

  app.get('/api/v1/gateway/services', {
    schema: { summary: 'Servicios', description: 'V1: every upstream with status, circuit and timeouts.', tags, response: { 200: Envelope(Type.Array(ServiceView)), ...errorResponses(401, 403) } },
  }, async (request) => ok(request, rt.config.current().snapshot.services.map((s) => serviceView(rt, s))));

  app.get('/api/v1/gateway/services/:name', {
    schema: {
      summary: 'Servicio',
      description: 'V2: one service view plus its last 20 health-history rows.',
      tags,
      params: ServiceName,
      response: { 200: Envelope(ServiceDetail), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => {
    const s = find(request.params.name);
    const { rows } = await rt.history.history(s.name, { from: new Date(0), to: new Date(rt.now().getTime() + 60_000), limit: 20, offset: 0 });
    return ok(request, { ...serviceView(rt, s), history: rows });
  });

  app.patch('/api/v1/gateway/services/:name', {
    schema: {
      summary: 'Cambiar un servicio',
      description: 'V3: base URL override, timeouts, criticality, maintenance (enabled=false) — applied at once, versioned.',
      tags,
      params: ServiceName,
      body: ServicePatch,
      response: { 200: Envelope(ServiceView), ...errorResponses(401, 403, 404, 409, 422) },
    },
  }, async (request) => {
    const name = find(request.params.name).name;
    const { expected_config_version, ...patch } = request.body;
    const changes = Object.entries(patch).map(([k, v]) => `${k} → ${JSON.stringify(v)}`).join(', ');
    const { version } = await rt.configAdmin.change(
      { by: actor(request), summary: `servicio ${name}: ${changes}`, expectedVersion: expected_config_version },
      (cfg) => ({ ...cfg, services: cfg.services.map((s) => (s.name === name ? { ...s, ...patch } : s)) }),
    );
    return ok(request, { ...serviceView(rt, find(name)), config_version: version }, { message: 'Servicio actualizado' });
  });

  app.get('/api/v1/gateway/services/:name/health-history', {
    schema: {
      summary: 'Historial de salud',
      description: 'V4: transition and sample rows, newest first (default last 24 h, span ≤ 30 days).',
      tags,
      params: ServiceName,
      querystring: HealthHistoryQuery,
      response: { 200: Envelope(Type.Array(HistoryRow)), ...errorResponses(400, 401, 403, 404, 422) },
    },
  }, async (request) => {
    const s = find(request.params.name);
    const to = request.query.to ? new Date(request.query.to) : rt.now();
    const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - DAY_MS);
    if (to.getTime() - from.getTime() > 30 * DAY_MS || from > to) {
      throw errors.validation([{ field: 'from', reason: 'range', message: 'El rango debe ser de hasta 30 días' }]);
    }
    const page = pageRequest(request.query);
    const { rows, total } = await rt.history.history(s.name, { from, to, kind: request.query.kind, limit: page.pageSize, offset: page.offset });
    return ok(request, rows, { pagination: paginationMeta(page, total) });
  });

  app.post('/api/v1/gateway/services/:name/circuit', {
    schema: {
      summary: 'Forzar el circuito',
      description: 'V5: force_open, force_closed or reset; stored in the configuration so every instance follows within 5 s (R43).',
      tags,
      params: ServiceName,
      body: CircuitAction,
      // 409: another admin changed the configuration at the same moment (the change is versioned, R40).
      response: { 200: Envelope(CircuitResult), ...errorResponses(401, 403, 404, 409, 422) },
    },
  }, async (request) => {
    const name = find(request.params.name).name;
    const override = request.body.action === 'force_open' ? 'forced_open' : request.body.action === 'force_closed' ? 'forced_closed' : null;
    const { version } = await rt.configAdmin.change(
      { by: actor(request), summary: `servicio ${name}: circuito ${request.body.action}` },
      (cfg) => ({ ...cfg, services: cfg.services.map((s) => (s.name === name ? { ...s, circuit_override: override } : s)) }),
    );
    return ok(request, { state: serviceView(rt, find(name)).circuit.state, config_version: version }, { message: 'Circuito actualizado' });
  });

  app.post('/api/v1/gateway/services/:name/probe', {
    schema: {
      summary: 'Sondear un servicio',
      description: 'V6: one readiness probe now.',
      tags,
      params: ServiceName,
      response: { 200: Envelope(ProbeResult), ...errorResponses(401, 403, 404) },
    },
  }, async (request) => {
    const s = find(request.params.name);
    const r = await rt.poller.probeNow(s);
    if (!r) throw errors.unavailable({ reason: 'shutting_down' });
    return ok(request, { status: r.ok ? 'up' : 'down', http_status: r.httpStatus, latency_ms: r.latencyMs, error_code: r.errorCode });
  });
};
