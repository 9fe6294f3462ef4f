/**
 * The server factory every service starts from: Fastify + pino + request id + helmet + CORS + body
 * limit + Swagger/OpenAPI 3.1 + health + metrics + the envelope error handling.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, type RawServerDefault } from 'fastify';
import type { Logger } from 'pino';
import { Type } from 'typebox';
import type { BaseConfig } from './config.ts';
import { ErrorEnvelopeShared } from './envelope.ts';
import { errorHandler, notFoundHandler } from './error-handler.ts';
import { HealthRegistry } from './health.ts';
import { createLogger } from './logging.ts';
import { createMetrics, type AppMetrics } from './metrics.ts';
import { PROBE_ROUTE, registerRouteContract } from './route-contract.ts';
import { documentUploads } from './uploads.ts';
import { sharedSerializerFactory, sharedValidatorFactory } from './schema-compilers.ts';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/**
 * A route plugin with TypeBox-typed requests (`export const xRoutes: RoutesPlugin<XRoutesOptions>`),
 * registered by the service's app.ts with its use cases as options; services name it from here instead of
 * importing the type provider themselves.
 */
export type RoutesPlugin<Options extends object = Record<never, never>> = FastifyPluginAsync<Options, RawServerDefault, TypeBoxTypeProvider>;

export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID_PATTERN.test(value) ? value : randomUUID();
}

declare module 'fastify' {
  interface FastifyInstance {
    health: HealthRegistry;
    metrics: AppMetrics;
    serviceName: string;
    /**
     * A service's own shutdown phases before `close()` (the gateway's R34 refuse-and-drain), run by the
     * process on a termination signal; tests close apps directly and skip them.
     */
    drain?: () => Promise<void>;
  }
  interface FastifyRequest {
    /** Overrides the `route` label of metrics and logs where one Fastify route serves many (the gateway's proxy names its rule). */
    routeLabel: string | null;
  }
}

export interface ServerOptions {
  name: string;
  version?: string;
  description?: string;
  config: Pick<BaseConfig, 'logLevel' | 'corsOrigins' | 'bodyLimit' | 'publicBaseUrl'>;
  logger?: Logger;
  /** OpenAPI tags with descriptions. */
  tags?: Array<{ name: string; description: string }>;
  /** Set false where a service answers `/health` itself (the gateway's aggregate). */
  healthRoutes?: boolean;
  defaultMetrics?: boolean;
  trustProxy?: boolean | string | string[];
}

export async function createServer(opts: ServerOptions): Promise<App> {
  const logger = opts.logger ?? createLogger({ level: opts.config.logLevel, name: opts.name });
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Fastify's own request lines carry the URL (and so query strings with personal data): our own onResponse line replaces them.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    bodyLimit: opts.config.bodyLimit,
    trustProxy: opts.trustProxy ?? false,
    // Bodies are not coerced; query strings and paths are read as the types they declare; date-time is
    // RFC 3339 within what PostgreSQL holds (validation.ts). Each distinct schema is compiled once per
    // process, whichever route or app declares it again (schema-compilers.ts).
    schemaController: {
      compilersFactory: {
        buildValidator: (externalSchemas) => sharedValidatorFactory(externalSchemas as Record<string, unknown>),
        buildSerializer: sharedSerializerFactory,
      },
    },
    // Any path parameter Node's HTTP parser lets through (16 KiB of headers) reaches its route, so the guard
    // answers first and the schema names the field (422), instead of a routing error before both.
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 16_384 },
    // Errors raised before routing (a badly encoded path) get the envelope too, never Fastify's own JSON.
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // The error envelope every error status refers to (envelope.ts, ErrorRef).
  app.addSchema(ErrorEnvelopeShared);
  app.decorate('health', new HealthRegistry());
  app.decorate('metrics', createMetrics(opts.name, { defaultMetrics: opts.defaultMetrics }));
  app.decorate('serviceName', opts.name);
  app.decorateRequest('routeLabel', null);
  // Before any route: guards to onRequest, x-roles and the platform's statuses in every document, NUL refused.
  registerRouteContract(app);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeLabel ?? request.routeOptions.url ?? '(unmatched)';
    const duration = reply.elapsedTime;
    app.metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, duration / 1000);
    // Route pattern, never the URL: query strings carry e-mails and document numbers (00-conventions §7).
    // Probes (every few seconds from orchestrators and the gateway) only at debug.
    request.log[PROBE_ROUTE.test(route) ? 'debug' : 'info'](
      {
        request_id: request.id,
        method: request.method,
        route,
        status: reply.statusCode,
        duration_ms: Math.round(duration * 100) / 100,
        user_id: (request as { user?: { sub?: string } }).user?.sub,
      },
      'request completed',
    );
  });

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    hsts: false,
  });
  await app.register(cors, {
    origin: opts.config.corsOrigins.includes('*') ? '*' : opts.config.corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Accept', 'Accept-Language', 'Idempotency-Key', 'X-Request-Id', 'Last-Event-ID'],
    exposedHeaders: ['X-Request-Id', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy', 'Retry-After', 'Content-Disposition'],
    maxAge: 600,
    credentials: false,
    // A plain OPTIONS (no preflight headers) must reach the router and get an envelope, not a bare 400.
    strictPreflight: false,
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `SICORA ${opts.name}`, version: opts.version ?? '0.1.0', description: opts.description },
      servers: [{ url: opts.config.publicBaseUrl }],
      tags: opts.tags,
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    // Uploads document their multipart body apart from the body Fastify validates (uploads.ts).
    transform: documentUploads,
    // Shared schemas (the error envelope) keep their $id as their component name.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: () =>
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'",
  });

  if (opts.healthRoutes !== false) registerHealthRoutes(app, opts.name, opts.version ?? '0.1.0');
  registerMetricsRoute(app);
  return app;
}

const HealthSchema = Type.Object({
  status: Type.Literal('ok'),
  service: Type.String(),
  version: Type.String(),
  uptime_seconds: Type.Number(),
});
const CheckStatusSchema = Type.Union([Type.Literal('ok'), Type.Literal('error'), Type.Literal('not_configured')]);
export const ReadinessSchema = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  service: Type.String(),
  checks: Type.Record(Type.String(), CheckStatusSchema),
});

export function registerHealthRoutes(app: App, name: string, version: string, livePath = '/health'): void {
  const started = Date.now();
  app.get(
    livePath,
    {
      schema: {
        summary: 'Liveness',
        description: 'The process is alive and serving HTTP.',
        tags: ['platform'],
        response: { 200: HealthSchema },
      },
    },
    async () => ({ status: 'ok' as const, service: name, version, uptime_seconds: Math.round((Date.now() - started) / 1000) }),
  );
  app.get(
    '/health/ready',
    {
      schema: {
        summary: 'Readiness',
        description: 'Named checks (database, Redis, signing keys…); 503 when a required one fails.',
        tags: ['platform'],
        response: { 200: ReadinessSchema, 503: ReadinessSchema },
      },
    },
    async (_request, reply) => {
      const report = await app.health.report();
      return reply.code(report.status === 'ready' ? 200 : 503).send({ ...report, service: name });
    },
  );
}

function registerMetricsRoute(app: App): void {
  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics', description: 'Prometheus text format 0.0.4.', tags: ['platform'], hide: true } },
    async (_request, reply) => {
      const body = await app.metrics.registry.metrics();
      return reply.type(app.metrics.registry.contentType).send(body);
    },
  );
}
