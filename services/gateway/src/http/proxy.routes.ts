/**
 * X1: the one catch-all route that forwards to the owning service (gateway.md R27, §4.8), in the order
 * of R15: rule → ip-ceiling → body limit → token → password gate → role → rule policy → maintenance →
 * circuit → forward. Its content-type parser leaves the body unread, so uploads stream through.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken, type AuthUser } from '@sicora/platform/auth';
import { errors } from '@sicora/platform/errors';
import type { App } from '@sicora/platform/server';
import type { UpstreamName } from '@sicora/platform/services';
import { decideAccess } from '../core/access-decision.ts';
import { policyNameFor, timingFor, type FailureMode, type RouteRule } from '../core/gateway-config.ts';
import { clientResponseHeaders, traceparentFor, upstreamRequestHeaders } from '../core/header-filter.ts';
import { proxyErrors } from '../core/proxy-errors.ts';
import { REPLAYABLE_BODY_LIMIT, RETRYABLE_METHODS } from '../core/retry-schedule.ts';
import { bodyLimitFor, isMultipart, pathOf } from '../core/route-matching.ts';
import { limitStream, readWhole } from '../infrastructure/body-limit.ts';
import type { ConfigStore } from '../infrastructure/config-store.ts';
import type { GatewayMetrics } from '../infrastructure/gateway-metrics.ts';
import { rateLimitHeaders, tightest, type PolicyVerdict, type RateLimiter } from '../infrastructure/rate-limiter.ts';
import type { GatewayAuth } from '../infrastructure/token-auth.ts';
import type { UpstreamForwarder } from '../infrastructure/upstream-forwarder.ts';
import type { Circuit } from '../infrastructure/circuit-breaker.ts';

export interface ProxyRoutesOptions {
  config: ConfigStore;
  forwarder: UpstreamForwarder;
  auth: GatewayAuth;
  limiter: RateLimiter;
  failureMode: FailureMode;
  metrics: GatewayMetrics;
  circuits: Map<UpstreamName, Circuit>;
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

const AUTH_FAILURE: Record<string, string> = { TOKEN_EXPIRED: 'expired', INVALID_TOKEN: 'invalid', TOKEN_REVOKED: 'revoked' };

export function createPipeline(opts: ProxyRoutesOptions) {
  async function identify(request: FastifyRequest, rule: RouteRule): Promise<AuthUser | null> {
    if (rule.access === 'public') return null; // R12: public rules verify nothing
    const token = bearerToken(request);
    if (!token) {
      opts.metrics.authFailure('missing');
      throw errors.unauthenticated();
    }
    if (!opts.hasKeys()) {
      throw errors.unavailable({ reason: 'auth_keys_unavailable' }, 'Las claves de verificación no están disponibles');
    }
    try {
      return await opts.auth.authenticate(token);
    } catch (err) {
      opts.metrics.authFailure(AUTH_FAILURE[(err as { code?: string }).code ?? ''] ?? 'other');
      throw err;
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
    const verdicts: PolicyVerdict[] = [];
    const ceiling = await opts.limiter.check(cfg.policies.get('ip-ceiling'), `ip:${ip}`, mode);
    if (ceiling) verdicts.push(ceiling);

    const limit = bodyLimitFor(rule, request.headers['content-type']);
    const declared = Number(request.headers['content-length'] ?? Number.NaN);
    if (declared > limit) throw proxyErrors.payloadTooLarge(limit);

    const user = await identify(request, rule);
    if (user) {
      ctx.userId = user.sub;
      ctx.role = user.role;
    }
    const decision = decideAccess(rule, request.method, path, user);
    if (decision === 'password_change_required') throw errors.passwordChangeRequired();
    if (decision === 'forbidden') throw errors.forbidden('No tiene permisos para esta acción', { required_roles: rule.roles });

    // R20: a service caller counts against `service` instead of any user-keyed policy.
    let policy = rulePolicy;
    if (user?.role === 'service' && policy?.key_by === 'user') policy = cfg.policies.get('service');
    const key = policy?.key_by === 'user' && user ? `user:${user.sub}` : `ip:${ip}`;
    try {
      const own = await opts.limiter.check(policy, key, mode);
      if (own) verdicts.push(own);
    } finally {
      const top = tightest(verdicts);
      if (top) reply.headers(rateLimitHeaders(top));
    }

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

    const clientGone = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) clientGone.abort();
    });
    const headers = upstreamRequestHeaders(request.headers, {
      requestId: request.id,
      clientIp: request.socket.remoteAddress,
      proto: request.protocol,
      host: request.headers.host,
      traceparent: traceparentFor(request.headers.traceparent, randomBytes(24).toString('hex')),
    });
    if (user) {
      headers['x-user-id'] = user.sub;
      headers['x-user-role'] = user.role;
      if (user.role === 'aprendiz' && user.group_id) headers['x-user-group-id'] = user.group_id;
    }
    const stats = { attempts: 0, upstreamMs: null as number | null };
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
        stats,
        signal: clientGone.signal,
        log: request.log,
      })
      .finally(() => {
        opts.metrics.inflight(name, -1);
        ctx.attempts = stats.attempts;
        ctx.upstreamMs = stats.upstreamMs;
      });
    // 499 appears in logs only: nobody is left to read it (R33).
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

export async function proxyRoutes(app: App, opts: ProxyRoutesOptions): Promise<void> {
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
    handler: createPipeline(opts),
  });
}
