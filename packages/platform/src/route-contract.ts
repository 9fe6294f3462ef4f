/**
 * What `createServer` does to every route a service registers, so the contract of 00-conventions §2
 * ("The contract every operation keeps") holds without each route repeating it:
 * - tagged guards (`requireAuth`, `requireRole`, `tagGuard`, `guardRoutes`) run at `onRequest`, wherever the
 *   route lists them: authentication (401) and the role (403) come before the body is read (400/413/415)
 *   and validated (422), so a refused caller never learns field details;
 * - the operation's `x-roles` is written from the guards' declaration (`public` without a guard), and a
 *   guarded operation gets the bearer security requirement;
 * - the statuses the platform itself can answer are documented with the error envelope when the route
 *   did not list them: 400/413/415 where a body can be sent, 401/403/503 where guarded, 422 (validation,
 *   NUL characters) and 500 always, 429 where a rate limit is configured;
 * - no string of the body, the query or the path holds a NUL character (422 naming the field).
 * Platform routes (`/health*`, `/metrics`, `/docs*`) and hidden ones are left as they are.
 */
import { statusOrder } from './status-order.ts';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { guardOf, pluginGuardOf, type RouteGuard } from './auth.ts';
import { ErrorRef } from './envelope.ts';
import { errors } from './errors.ts';
import { ROLES, type Role } from './roles.ts';
import { nulFields } from './validation.ts';

/** The routes every service has (00-conventions §1), outside any operation's contract. */
export const PLATFORM_ROUTE = /^\/(health(\/.*)?|metrics|docs(\/.*)?)$/;

/** Probes: logged at debug, their NUL and document rules do not apply. */
export const PROBE_ROUTE = /^\/(health(\/.*)?|metrics)$/;

export function isPlatformRoute(url: string | undefined): boolean {
  return url !== undefined && PLATFORM_ROUTE.test(url);
}

const HOOK_SLOTS = ['onRequest', 'preParsing', 'preValidation', 'preHandler'] as const;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The error statuses the platform adds, with what each means for any operation. */
const PLATFORM_STATUSES: Record<number, string> = {
  400: 'INVALID_INPUT: the body could not be read (malformed JSON, a broken multipart body).',
  401: 'UNAUTHENTICATED, TOKEN_EXPIRED, INVALID_TOKEN or TOKEN_REVOKED: no valid bearer token.',
  403: 'INSUFFICIENT_PERMISSIONS (the role is not allowed; `details.required_roles`) or PASSWORD_CHANGE_REQUIRED.',
  413: 'PAYLOAD_TOO_LARGE: the body is over the size limit.',
  415: 'UNSUPPORTED_MEDIA_TYPE: the body is not in a media type this operation reads.',
  422: 'VALIDATION_ERROR: one entry per offending field in `details.fields` (a NUL character in any string included).',
  429: 'RATE_LIMITED: too many requests; `Retry-After` says when to try again.',
  500: 'INTERNAL_ERROR: an unexpected failure, logged with the request id.',
  503: 'SERVICE_UNAVAILABLE: the token verification keys are not available yet (or another dependency is down).',
};

function errorSchema(status: number): object {
  return ErrorRef(PLATFORM_STATUSES[status]);
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((r) => b.includes(r));
}

/** The roles every guard lets through (their intersection); `null` with no guard. */
export function rolesOf(guards: readonly RouteGuard[]): Role[] | null {
  if (guards.length === 0) return null;
  let roles: Role[] = [...ROLES];
  for (const g of guards) {
    const declared = guardOf(g)?.roles;
    if (declared) roles = roles.filter((r) => declared.includes(r));
  }
  return roles;
}

type Schema = Record<string, unknown> & { response?: Record<string, unknown>; hide?: boolean };

/**
 * Applies the contract to one route's options, as Fastify hands them to `onRoute` (mutated in place).
 * `pluginGuard` is the guard `guardRoutes` set on the plugin that registers the route.
 */
export function applyRouteContract(route: RouteOptions, pluginGuard?: RouteGuard): void {
  const url = route.url ?? '';
  if (isPlatformRoute(url)) return;

  // 1. Guards to onRequest, after the route's own onRequest hooks, once each.
  const guards: RouteGuard[] = [];
  const slots = route as unknown as Record<string, unknown>;
  for (const slot of HOOK_SLOTS) {
    const hooks = asArray(slots[slot] as unknown);
    if (hooks.length === 0) continue;
    const kept = hooks.filter((h) => {
      if (!guardOf(h)) return true;
      if (!guards.includes(h as RouteGuard)) guards.push(h as RouteGuard);
      return false;
    });
    slots[slot] = kept.length === 0 ? undefined : kept;
  }
  if (pluginGuard && !guards.includes(pluginGuard)) guards.unshift(pluginGuard);
  if (guards.length > 0) slots.onRequest = [...asArray(slots.onRequest as unknown), ...guards];

  // 2. The document: x-roles, security, the platform's statuses.
  const schema = route.schema as Schema | undefined;
  if (!schema || schema.hide) return;
  const next: Schema = { ...schema };
  const guarded = rolesOf(guards);
  const declared = Array.isArray(schema['x-roles']) ? (schema['x-roles'] as string[]) : undefined;
  if (guarded) {
    if (declared && !sameRoles(declared, guarded)) {
      throw new Error(`${String(route.method)} ${url}: x-roles ${JSON.stringify(declared)} differs from its guard's roles ${JSON.stringify(guarded)}`);
    }
    next['x-roles'] = guarded;
    next.security ??= [{ bearer: [] }];
  } else if (!declared) {
    next['x-roles'] = ['public'];
  }
  const isPublic = !guarded && (!declared || declared.includes('public'));

  const methods = asArray(route.method as string | string[]).map((m) => m.toUpperCase());
  const statuses = [422, 500];
  if (methods.some((m) => BODY_METHODS.has(m)) || schema.body !== undefined) statuses.push(400, 413, 415);
  if (!isPublic) statuses.push(401, 403, 503);
  if ((route.config as { rateLimit?: unknown } | undefined)?.rateLimit) statuses.push(429);
  const response: Record<string, unknown> = { ...(schema.response ?? {}) };
  for (const status of statuses) {
    if (!(String(status) in response)) response[String(status)] = errorSchema(status);
  }
  next.response = Object.fromEntries(Object.entries(response).sort(([a], [b]) => statusOrder(a) - statusOrder(b)));
  route.schema = next;
}

/** Per-route opt-out of the NUL check (`config: { inputChecks: false }`): a proxy that reads no input itself. */
export interface RouteContractConfig {
  inputChecks?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the platform's NUL check leaves this route's inputs alone (the gateway's proxy: the owner checks them). */
    inputChecks?: boolean;
  }
}

/** preValidation: a NUL character in any string of the path, the query or the body is 422 naming the field. */
export async function refuseNulCharacters(request: FastifyRequest): Promise<void> {
  const url = request.routeOptions.url;
  if (url === undefined || isPlatformRoute(url)) return;
  if ((request.routeOptions.config as RouteContractConfig | undefined)?.inputChecks === false) return;
  const fields = [
    ...nulFields(request.params, 'params'),
    ...nulFields(request.query, 'query'),
    ...nulFields(request.body, 'body'),
  ];
  if (fields.length > 0) throw errors.validation(fields);
}

/** Wires the contract into a server: called once by `createServer`, before any route. */
export function registerRouteContract(app: FastifyInstance): void {
  app.addHook('onRoute', function contractOnRoute(this: FastifyInstance, route) {
    applyRouteContract(route, pluginGuardOf(this));
  });
  app.addHook('preValidation', refuseNulCharacters);
}
