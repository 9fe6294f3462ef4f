/**
 * X1: the one catch-all route that forwards to the owning service (gateway.md R27, §4.8), in the order
 * of R15: rule → ip-ceiling → body limit → token → password gate → role → rule policy → maintenance →
 * circuit → forward. Its content-type parser leaves the body unread, so uploads stream through.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken, type AuthUser } from '@sicora/platform/auth';
import type { Breaker } from '@sicora/platform/breaker';
import { errors } from '@sicora/platform/errors';
import type { UpstreamName } from '@sicora/platform/services';
import type { RoutesPlugin } from '@sicora/platform/server';
import { decideAccess } from '../core/access-decision.ts';
import { policyNameFor, timingFor, type FailureMode, type RouteRule } from '../core/gateway-config.ts';
import { clientResponseHeaders, traceparentFor, upstreamRequestHeaders } from '../core/header-filter.ts';
import { proxyErrors } from '../core/proxy-errors.ts';
import { REPLAYABLE_BODY_LIMIT, RETRYABLE_METHODS } from '../core/retry-schedule.ts';
import { bodyLimitFor, isMultipart, pathOf } from '../core/route-matching.ts';
import { limitStream, readWhole } from '../infrastructure/body-limit.ts';
import type { ConfigStore } from '../infrastructure/config-store.ts';
import type { GatewayMetrics } from '../infrastructure/gateway-metrics.ts';
import { rateLimitHeaders, tightest, type RateLimiter } from '../infrastructure/rate-limiter.ts';
import type { GatewayAuth } from '../infrastructure/token-auth.ts';
import type { UpstreamForwarder } from '../infrastructure/upstream-forwarder.ts';

export interface ProxyRoutesOptions {
  config: ConfigStore;
  forwarder: UpstreamForwarder;
  auth: GatewayAuth;
  limiter: RateLimiter;
  failureMode: FailureMode;
  metrics: GatewayMetrics;
  circuits: Map<UpstreamName, Breaker>;
  hasKeys: () => boolean;
}

/** OPTIONS is not here: preflights are answered by the gateway's CORS layer and never forwarded (R53). */
const PROXIED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

async function requestBody(request: FastifyRequest, limit: number, declared: number) {
  if (!hasBody(request)) return undefined;
  const replayable =
    RETRYABLE_METHODS.includes(request.method) && !isMultipart(request.headers['content-type']) && declared <= REPLAYABLE_BODY_LIMIT;
  return replayable ? readWhole(request.raw, Math.min(limit, REPLAYABLE_BODY_LIMIT)) : limitStream(request.raw, limit);
}

/** 48 random hex digits for a new traceparent, from randomUUID's pooled entropy (no syscall per request). */
function randomHex48(): string {
  return randomUUID().replaceAll('-', '') + randomUUID().replaceAll('-', '').slice(0, 16);
}

const AUTH_FAILURE: Record<string, string> = {
  UNAUTHENTICATED: 'missing',
  TOKEN_EXPIRED: 'expired',
  INVALID_TOKEN: 'invalid',
  TOKEN_REVOKED: 'revoked',
};

/**
 * R15's steps between `ip-ceiling` and the rule's policy, decided without awaiting anything: the body
 * limit, the token when the rule is public or its claims are cached, and the access decision. `pending`
 * is a token seen for the first time, verified only after `ip-ceiling` allowed the request, so a flood
 * of new tokens from one address is cut by its ceiling before it costs signature checks.
 */
type Gate = { user: AuthUser | null; pending?: string; refusal?: unknown };

export function createPipeline(opts: ProxyRoutesOptions) {
  function refuse(err: unknown): never {
    const reason = AUTH_FAILURE[(err as { code?: string }).code ?? ''];
    if (reason) opts.metrics.authFailure(reason);
    throw err;
  }

  function admit(request: FastifyRequest, rule: RouteRule, path: string, user: AuthUser): void {
    request.gw.userId = user.sub;
    request.gw.role = user.role;
    const decision = decideAccess(rule, request.method, path, user);
    if (decision === 'password_change_required') throw errors.passwordChangeRequired();
    if (decision === 'forbidden') throw errors.forbidden('No tiene permisos para esta acción', { required_roles: rule.roles });
  }

  function gate(request: FastifyRequest, rule: RouteRule, path: string, overLimit: number | null): Gate {
    try {
      if (overLimit !== null) throw proxyErrors.payloadTooLarge(overLimit);
      if (rule.access === 'public') return { user: null }; // R12: public rules verify nothing
      const token = bearerToken(request);
      if (!token) throw errors.unauthenticated();
      if (!opts.hasKeys()) {
        throw errors.unavailable({ reason: 'auth_keys_unavailable' }, 'Las claves de verificación no están disponibles');
      }
      const user = opts.auth.cached(token);
      if (!user) return { user: null, pending: token };
      admit(request, rule, path, user);
      return { user };
    } catch (refusal) {
      return { user: null, refusal };
    }
  }

  async function verify(token: string): Promise<AuthUser> {
    try {
      return await opts.auth.authenticate(token);
    } catch (err) {
      if (!AUTH_FAILURE[(err as { code?: string }).code ?? '']) opts.metrics.authFailure('other');
      return refuse(err);
    }
  }

  return async function handle(request: FastifyRequest, reply: FastifyReply) {
    const cfg = opts.config.current();
    const ctx = request.gw;
    const rawUrl = request.raw.url ?? '/';
    const path = pathOf(rawUrl);
    const rule = cfg.match(path, request.method);
    if (!rule) throw proxyErrors.routeNotFound(request.method);
    ctx.routeName = rule.name;
    ctx.service = rule.service;
    // R48: the platform's request histogram is labelled by rule name, never by the raw path.
    request.routeLabel = rule.name;

    const rulePolicy = cfg.policies.get(policyNameFor(rule));
    const mode = rulePolicy?.failure_mode ?? opts.failureMode;
    const ip = request.ip;
    const ceiling = { policy: cfg.policies.get('ip-ceiling'), key: `ip:${ip}` };
    // R20: a service caller counts against `service` instead of any user-keyed policy.
    const own = (user: AuthUser | null) => {
      const policy = user?.role === 'service' && rulePolicy?.key_by === 'user' ? cfg.policies.get('service') : rulePolicy;
      return { policy, key: policy?.key_by === 'user' && user ? `user:${user.sub}` : `ip:${ip}` };
    };

    // R33: watched from here on, so a client gone while the limits or the token are awaited is seen too.
    const clientGone = new AbortController();
    if (request.raw.socket?.destroyed === true) clientGone.abort();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) clientGone.abort();
    });

    const limit = bodyLimitFor(rule, request.headers['content-type']);
    const declared = Number(request.headers['content-length'] ?? Number.NaN);
    const g = gate(request, rule, path, declared > limit ? limit : null);
    let user = g.user;
    // One store call for ip-ceiling and, when every step between them is already decided, the rule's
    // policy too; a refusal of those steps is answered only once the ceiling has counted the request.
    const settled = g.refusal === undefined && g.pending === undefined;
    const verdicts = await opts.limiter.check(settled ? [ceiling, own(user)] : [ceiling], mode);
    if (g.refusal !== undefined) refuse(g.refusal);
    if (g.pending !== undefined) {
      user = await verify(g.pending);
      admit(request, rule, path, user);
      verdicts.push(...(await opts.limiter.check([own(user)], mode)));
    }
    const top = tightest(verdicts);
    if (top) reply.headers(rateLimitHeaders(top));

    const service = cfg.services.get(rule.service)!;
    if (!service.enabled) {
      throw errors.unavailable(
        { service: service.name, reason: 'service_disabled' },
        service.maintenance_message ?? 'El servicio está en mantenimiento',
        { 'Retry-After': '300' },
      );
    }
    const name = rule.service as UpstreamName;
    ctx.circuit = service.circuit_override ?? opts.circuits.get(name)!.state();

    // 499 appears in logs only: nobody is left to read it (R33).
    if (clientGone.signal.aborted) {
      ctx.clientAborted = true;
      return reply.code(499).send();
    }
    const headers = upstreamRequestHeaders(request.headers, {
      requestId: request.id,
      clientIp: request.socket.remoteAddress,
      proto: request.protocol,
      host: request.headers.host,
      traceparent: traceparentFor(request.headers.traceparent, randomHex48()),
    });
    if (user) {
      headers['x-user-id'] = user.sub;
      headers['x-user-role'] = user.role;
      if (user.role === 'aprendiz' && user.group_id) headers['x-user-group-id'] = user.group_id;
    }
    opts.metrics.inflight(name, 1);
    const result = await opts.forwarder
      .forward({
        service: name,
        method: request.method,
        rawUrl,
        headers,
        body: await requestBody(request, limit, declared),
        timing: timingFor(service, rule),
        override: service.circuit_override,
        // The context itself: a row written when the client goes away mid-attempt sees the attempts so far.
        stats: ctx,
        signal: clientGone.signal,
        log: request.log,
      })
      .finally(() => opts.metrics.inflight(name, -1));
    if (result.kind === 'client_aborted') {
      ctx.clientAborted = true;
      return reply.code(499).send();
    }

    reply.code(result.status).headers(clientResponseHeaders(result.headers));
    if (user && result.headers['cache-control'] === undefined) reply.header('Cache-Control', 'no-store');
    if (request.method === 'HEAD' || result.status === 204 || result.status === 304) {
      if (!Buffer.isBuffer(result.body)) result.body.resume();
      return reply.send();
    }
    return reply.send(result.body);
  };
}

export const proxyRoutes: RoutesPlugin<ProxyRoutesOptions> = async (app, opts) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  app.route({
    method: PROXIED_METHODS,
    url: '/*',
    schema: {
      summary: 'Proxy to the owning service',
      description: 'Any path matched by an enabled route rule (§4.8) is forwarded unchanged to its service.',
      tags: ['proxy'],
      hide: true,
    },
    // The owning service checks its own inputs (NUL included) after the gateway's token and role checks.
    config: { inputChecks: false },
    handler: createPipeline(opts),
  });
};
