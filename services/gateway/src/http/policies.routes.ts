/**
 * P1–P6: rate-limit policies, changed live (gateway.md §4.5), and the counters of one key.
 */
import { Type } from 'typebox';
import { guardRoutes } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { ok } from '@sicora/platform/reply';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { Policy as PolicyT } from '../core/gateway-config.ts';
import { actor } from './admin-guard.ts';
import { Counter, CounterQuery, CounterReset, CounterResetResult, Policy, PolicyCreate, PolicyName, PolicyPatch } from './policies.schemas.ts';
import type { GatewayRuntime } from './runtime.ts';

export interface PoliciesRoutesOptions {
  rt: GatewayRuntime;
}

const tags = ['gateway-rate-limits'];
const notFound = () => errors.notFound('POLICY_NOT_FOUND', 'La política no existe');

export const policiesRoutes: RoutesPlugin<PoliciesRoutesOptions> = async (app, { rt }) => {
  guardRoutes(app, rt.guard.requireAdmin);
  const withUse = (p: PolicyT) => ({ ...p, routes_using: rt.config.current().snapshot.routes.filter((r) => r.rate_limit_policy === p.name).map((r) => r.name) });

  app.get('/api/v1/gateway/rate-limit-policies', {
    schema: { summary: 'Políticas', description: 'P1: every policy with the rules using it.', tags, response: { 200: Envelope(Type.Array(Policy)), ...errorResponses(401, 403) } },
  }, async (request) => ok(request, rt.config.current().snapshot.policies.map(withUse)));

  app.post('/api/v1/gateway/rate-limit-policies', {
    schema: { summary: 'Crear política', description: 'P2: a new (non-builtin) policy.', tags, body: PolicyCreate, response: { 201: Envelope(Policy), ...errorResponses(401, 403, 409, 422) } },
  }, async (request, reply) => {
    const { expected_config_version, ...body } = request.body;
    const policy: PolicyT = { failure_mode: null, enabled: true, description: '', ...body, builtin: false };
    const { version } = await rt.configAdmin.change({ by: actor(request), summary: `política ${policy.name}: creada`, expectedVersion: expected_config_version }, (cfg) => {
      if (cfg.policies.some((p) => p.name === policy.name)) throw errors.conflict('POLICY_NAME_EXISTS', 'Ya existe una política con ese nombre');
      return { ...cfg, policies: [...cfg.policies, policy] };
    });
    return reply.code(201).send(ok(request, { ...withUse(policy), config_version: version }, { message: 'Política creada' }));
  });

  app.patch('/api/v1/gateway/rate-limit-policies/:name', {
    schema: { summary: 'Cambiar política', description: 'P3: limit, window, key, failure mode, enabled, description.', tags, params: PolicyName, body: PolicyPatch, response: { 200: Envelope(Policy), ...errorResponses(401, 403, 404, 409, 422) } },
  }, async (request) => {
    const { expected_config_version, ...patch } = request.body;
    let updated!: PolicyT;
    const { version } = await rt.configAdmin.change(
      {
        by: actor(request),
        expectedVersion: expected_config_version,
        summary: (before) => {
          const old = before.policies.find((p) => p.name === request.params.name);
          return `política ${request.params.name}: ${Object.entries(patch).map(([k, v]) => `${k} ${JSON.stringify(old?.[k as keyof PolicyT])} → ${JSON.stringify(v)}`).join(', ')}`;
        },
      },
      (cfg) => {
        const old = cfg.policies.find((p) => p.name === request.params.name);
        if (!old) throw notFound();
        updated = { ...old, ...patch };
        return { ...cfg, policies: cfg.policies.map((p) => (p.name === old.name ? updated : p)) };
      },
    );
    return ok(request, { ...withUse(updated), config_version: version }, { message: 'Política actualizada' });
  });

  app.delete('/api/v1/gateway/rate-limit-policies/:name', {
    schema: { summary: 'Eliminar política', description: 'P4: builtin policies and policies in use cannot be deleted.', tags, params: PolicyName, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) } },
  }, async (request, reply) => {
    await rt.configAdmin.change({ by: actor(request), summary: `política ${request.params.name}: eliminada` }, (cfg) => {
      const old = cfg.policies.find((p) => p.name === request.params.name);
      if (!old) throw notFound();
      if (old.builtin) throw errors.conflict('POLICY_PROTECTED', 'Las políticas integradas no se pueden eliminar');
      const using = cfg.routes.filter((r) => r.rate_limit_policy === old.name).map((r) => r.name);
      if (using.length) throw errors.conflict('POLICY_IN_USE', 'La política está en uso', { routes: using });
      return { ...cfg, policies: cfg.policies.filter((p) => p.name !== old.name) };
    });
    return reply.code(204).send(null);
  });

  const policyOf = (name: string) => {
    const p = rt.config.current().policies.get(name);
    if (!p) throw notFound();
    return p;
  };

  app.get('/api/v1/gateway/rate-limits', {
    schema: {
      summary: 'Contador de una clave',
      description: 'P5: the sliding-window estimate of one key under one policy.',
      tags,
      querystring: CounterQuery,
      response: { 200: Envelope(Counter), ...errorResponses(401, 403, 404, 422, 503) },
    },
  }, async (request) => {
    const p = policyOf(request.query.policy);
    const peek = await rt.limiter.store.peek({ policy: p.name, key: request.query.key, limit: p.limit, windowSeconds: p.window_seconds }).catch(() => {
      throw errors.unavailable({ reason: 'rate_limit_store_unavailable' });
    });
    return ok(request, { policy: p.name, key: request.query.key, limit: p.limit, window_seconds: p.window_seconds, estimate: Math.round(peek.estimate * 1000) / 1000, remaining: peek.remaining, reset_seconds: peek.resetSeconds });
  });

  app.post('/api/v1/gateway/rate-limits/reset', {
    schema: {
      summary: 'Liberar una clave',
      description: 'P6: deletes the counters (both windows) of a key under one policy or all of them.',
      tags,
      body: CounterReset,
      response: { 200: Envelope(CounterResetResult), ...errorResponses(401, 403, 404, 422, 503) },
    },
  }, async (request) => {
    const list = request.body.policy ? [policyOf(request.body.policy)] : rt.config.current().snapshot.policies;
    let cleared = 0;
    for (const p of list) {
      cleared += await rt.limiter.store.reset(p.name, request.body.key, p.window_seconds).catch(() => {
        throw errors.unavailable({ reason: 'rate_limit_store_unavailable' });
      });
    }
    return ok(request, { cleared }, { message: 'Contadores liberados' });
  });
};
