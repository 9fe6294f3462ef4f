/**
 * RT1–RT6: route rules, changed live (gateway.md §4.4, R40) and a tester that shows the decision the
 * gateway would take for a method, path and role.
 */
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import { guardRoutes } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { ok } from '@sicora/platform/reply';
import { normalizeRole } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import { decideAccess } from '../core/access-decision.ts';
import { effectiveBaseUrl, policyNameFor, type RouteRule } from '../core/gateway-config.ts';
import { checkRequestTarget } from '../core/path-hygiene.ts';
import { actor } from './admin-guard.ts';
import { Route, RouteCreate, RouteId, RouteListQuery, RoutePatch, RouteTest, RouteTestResult } from './route-rules.schemas.ts';
import type { GatewayRuntime } from './runtime.ts';

export interface RouteRulesRoutesOptions {
  rt: GatewayRuntime;
}

const tags = ['gateway-routes'];
const notFound = () => errors.notFound('ROUTE_RULE_NOT_FOUND', 'La regla no existe');

export const routeRulesRoutes: RoutesPlugin<RouteRulesRoutesOptions> = async (app, { rt }) => {
  guardRoutes(app, rt.guard.requireAdmin);

  app.get('/api/v1/gateway/routes', {
    schema: {
      summary: 'Reglas de ruta',
      description: 'RT1: every rule (≤ 500), filtered by service, access, enabled; sorted by name or pattern.',
      tags,
      querystring: RouteListQuery,
      response: { 200: Envelope(Type.Array(Route)), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => {
    const q = request.query;
    const key = q.sort ?? 'name';
    const list = rt.config
      .current()
      .snapshot.routes.filter((r) => (!q.service || r.service === q.service) && (!q.access || r.access === q.access) && (q.enabled === undefined || r.enabled === q.enabled))
      .sort((a, b) => a[key].localeCompare(b[key]))
      .slice(0, 500);
    return ok(request, list);
  });

  app.post('/api/v1/gateway/routes', {
    schema: { summary: 'Crear regla', description: 'RT2: a new rule, validated with the whole configuration.', tags, body: RouteCreate, response: { 201: Envelope(Route), ...errorResponses(401, 403, 404, 409, 422) } },
  }, async (request, reply) => {
    const { expected_config_version, ...body } = request.body;
    const rule: RouteRule = {
      id: randomUUID(),
      methods: null,
      roles: null,
      rate_limit_policy: null,
      attempt_timeout_ms: null,
      deadline_ms: null,
      max_retries: null,
      body_limit_bytes: null,
      enabled: true,
      description: '',
      ...body,
    };
    const { version } = await rt.configAdmin.change({ by: actor(request), summary: `regla ${rule.name}: creada`, expectedVersion: expected_config_version }, (cfg) => ({
      ...cfg,
      routes: [...cfg.routes, rule],
    }));
    return reply.code(201).send(ok(request, { ...rule, config_version: version }, { message: 'Regla creada' }));
  });

  app.get('/api/v1/gateway/routes/:id', {
    schema: { summary: 'Regla', description: 'RT3: one rule.', tags, params: RouteId, response: { 200: Envelope(Route), ...errorResponses(400, 401, 403, 404) } },
  }, async (request) => {
    const rule = rt.config.current().snapshot.routes.find((r) => r.id === request.params.id);
    if (!rule) throw notFound();
    return ok(request, rule);
  });

  app.patch('/api/v1/gateway/routes/:id', {
    schema: { summary: 'Cambiar regla', description: 'RT4: any field of a rule.', tags, params: RouteId, body: RoutePatch, response: { 200: Envelope(Route), ...errorResponses(401, 403, 404, 409, 422) } },
  }, async (request) => {
    const { expected_config_version, ...patch } = request.body;
    let updated: RouteRule | undefined;
    const { version } = await rt.configAdmin.change(
      {
        by: actor(request),
        expectedVersion: expected_config_version,
        summary: (before) => {
          const old = before.routes.find((r) => r.id === request.params.id);
          const parts = Object.entries(patch).map(([k, v]) => `${k} ${JSON.stringify(old?.[k as keyof RouteRule])} → ${JSON.stringify(v)}`);
          return `regla ${old?.name}: ${parts.join(', ')}`;
        },
      },
      (cfg) => {
        const old = cfg.routes.find((r) => r.id === request.params.id);
        if (!old) throw notFound();
        updated = { ...old, ...patch };
        return { ...cfg, routes: cfg.routes.map((r) => (r.id === old.id ? updated! : r)) };
      },
    );
    return ok(request, { ...updated!, config_version: version }, { message: 'Regla actualizada' });
  });

  app.delete('/api/v1/gateway/routes/:id', {
    schema: { summary: 'Eliminar regla', description: 'RT5: removes a rule.', tags, params: RouteId, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) } },
  }, async (request, reply) => {
    await rt.configAdmin.change({ by: actor(request), summary: (before) => `regla ${before.routes.find((r) => r.id === request.params.id)?.name}: eliminada` }, (cfg) => {
      if (!cfg.routes.some((r) => r.id === request.params.id)) throw notFound();
      return { ...cfg, routes: cfg.routes.filter((r) => r.id !== request.params.id) };
    });
    return reply.code(204).send(null);
  });

  app.post('/api/v1/gateway/routes/test', {
    schema: {
      summary: 'Probar una ruta',
      description: 'RT6: which rule, service and upstream URL a request would reach, and the access decision.',
      tags,
      body: RouteTest,
      response: {
        200: Envelope(RouteTestResult),
        ...errorResponses(401, 403, 422),
      },
    },
  }, async (request) => {
    const { method, path, role, must_change_password } = request.body;
    const none = { route_name: null, service: null, upstream_url: null, policies: [] as string[] };
    if (!path.startsWith('/') || checkRequestTarget(path) !== undefined) return ok(request, { ...none, decision: 'invalid_path' });
    const cfg = rt.config.current();
    const bare = path.split('?')[0];
    const rule = cfg.match(bare, method);
    if (!rule) return ok(request, { ...none, decision: 'not_found' });
    const normalized = role ? normalizeRole(role) : undefined;
    if (role && !normalized) throw errors.validation([{ field: 'role', reason: 'enum', message: 'Rol desconocido' }]);
    const identity = normalized ? { role: normalized, must_change_password: must_change_password ?? false } : null;
    let policy = policyNameFor(rule);
    if (normalized === 'service' && cfg.policies.get(policy)?.key_by === 'user') policy = 'service';
    return ok(request, {
      route_name: rule.name,
      service: rule.service,
      upstream_url: `${effectiveBaseUrl(cfg.services.get(rule.service)!).replace(/\/+$/, '')}${path}`,
      decision: decideAccess(rule, method, bare, identity),
      policies: ['ip-ceiling', policy],
    });
  });
};
