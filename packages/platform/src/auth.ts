/**
 * Bearer-token verification against the users service's JWKS (00-conventions §4): keys cached and
 * refreshed, refetched on an unknown `kid` at most once per cooldown, issuer/audience/expiry checked,
 * algorithms pinned; verified claims cached until the token's `exp`; `request.user`,
 * `requireAuth({ roles })` and the must_change_password gate.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { createLocalJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { errors, isAppError } from './errors.ts';
import { normalizeRole, type Role } from './roles.ts';
import type { App } from './server.ts';

export interface AuthUser {
  sub: string;
  role: Role;
  email?: string;
  name?: string;
  jti: string;
  iat: number;
  exp: number;
  must_change_password: boolean;
  group_id?: string;
  group_number?: string;
  /** The raw bearer token, to forward on calls made on the user's behalf. Never logged. */
  token: string;
}

export interface TokenVerifier {
  verify(token: string): Promise<AuthUser>;
  /** True once at least one key is held. */
  hasKeys(): boolean;
  /** Loads keys now (used at start-up and by readiness). */
  refresh(): Promise<boolean>;
  keyIds(): string[];
}

export const ACCEPTED_ALGORITHMS = ['EdDSA', 'RS256'];

export interface VerifierOptions {
  issuer: string;
  audience: string;
  clockToleranceSeconds?: number;
  now?: () => number;
  /**
   * How many verified tokens are kept (least recently used dropped first), each only until its `exp`;
   * 0 verifies every call. Default `VERIFIED_CACHE_SIZE`.
   */
  cacheSize?: number;
}

/**
 * A bearer token comes back on every request of a session: its signature is checked once and its claims
 * reused until it expires, as the gateway does. Only the signature and claim checks are skipped: whatever
 * a service checks after `verify` (revoked `jti`, `tokens_valid_after`, a deactivated account) still runs
 * on every request.
 */
export const VERIFIED_CACHE_SIZE = 5000;

interface VerifiedEntry {
  user: AuthUser;
  /** Epoch ms from which the cached claims stand (`nbf` less the tolerance, as jose judges it). */
  from: number;
  /** Epoch ms at `exp`: never served past it, tolerance or not (the full check decides from there). */
  until: number;
}

interface KeySource {
  /** Returns the current key set, or undefined when none could ever be loaded. */
  current(): JSONWebKeySet | undefined;
  /** Asks for fresh keys; resolves whether the set changed or loaded. */
  reload(reason: 'unknown_kid' | 'periodic' | 'initial'): Promise<boolean>;
}

function payloadToUser(payload: JWTPayload, token: string): AuthUser {
  const role = typeof payload.role === 'string' ? normalizeRole(payload.role) : undefined;
  if (!role || typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.iat !== 'number' || typeof payload.exp !== 'number') {
    throw errors.invalidToken();
  }
  const user: AuthUser = {
    sub: payload.sub,
    role,
    jti: payload.jti,
    iat: payload.iat,
    exp: payload.exp,
    must_change_password: payload.must_change_password === true,
    token,
  };
  if (typeof payload.email === 'string') user.email = payload.email;
  if (typeof payload.name === 'string') user.name = payload.name;
  if (typeof payload.group_id === 'string') user.group_id = payload.group_id;
  if (typeof payload.group_number === 'string') user.group_number = payload.group_number;
  return user;
}

function createVerifier(source: KeySource, opts: VerifierOptions): TokenVerifier {
  const tolerance = opts.clockToleranceSeconds ?? 30;
  const now = opts.now ?? Date.now;
  const cacheSize = Math.max(0, opts.cacheSize ?? VERIFIED_CACHE_SIZE);
  /** Token → its verified claims, least recently used first (a Map keeps insertion order). */
  const verified = new Map<string, VerifiedEntry>();
  let cachedSet: JSONWebKeySet | undefined;
  let resolver: ReturnType<typeof createLocalJWKSet> | undefined;
  const getResolver = () => {
    const set = source.current();
    if (set !== cachedSet) {
      cachedSet = set;
      // An empty set is "no key at all" (503), not "unknown key" (401).
      resolver = set && set.keys.length > 0 ? createLocalJWKSet(set) : undefined;
      // A changed set may have dropped the key a cached token was verified with.
      verified.clear();
    }
    return resolver;
  };

  /** The cached claims of `token` while they stand, moved to the most recently used end. */
  function recall(token: string): AuthUser | undefined {
    const entry = verified.get(token);
    if (!entry) return undefined;
    verified.delete(token);
    const t = now();
    if (t >= entry.until || t < entry.from) return undefined;
    verified.set(token, entry);
    // A copy: a caller changing its `request.user` must not change the next request's.
    return { ...entry.user };
  }

  /** Caches `user` unless the key set changed while its token was being verified. */
  function remember(token: string, payload: JWTPayload, user: AuthUser, set: JSONWebKeySet | undefined): AuthUser {
    if (cacheSize === 0 || set !== cachedSet) return user;
    if (verified.size >= cacheSize) verified.delete(verified.keys().next().value!);
    const from = typeof payload.nbf === 'number' ? (payload.nbf - tolerance) * 1000 : -Infinity;
    verified.set(token, { user: { ...user }, from, until: user.exp * 1000 });
    return user;
  }

  const accept = (token: string, payload: JWTPayload, set: JSONWebKeySet | undefined) => remember(token, payload, payloadToUser(payload, token), set);

  async function verifyWith(token: string, keys: ReturnType<typeof createLocalJWKSet>) {
    const { payload } = await jwtVerify(token, keys, {
      issuer: opts.issuer,
      audience: opts.audience,
      algorithms: ACCEPTED_ALGORITHMS,
      clockTolerance: tolerance,
      requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      ...(opts.now ? { currentDate: new Date(opts.now()) } : {}),
    });
    return payload;
  }

  return {
    hasKeys: () => (source.current()?.keys.length ?? 0) > 0,
    keyIds: () => (source.current()?.keys ?? []).map((k) => String(k.kid ?? '')),
    refresh: () => source.reload('initial'),
    async verify(token: string) {
      // The key set first: a changed one empties the cache before it is read.
      let keys = getResolver();
      const hit = recall(token);
      if (hit) return hit;
      let header;
      try {
        header = decodeProtectedHeader(token);
      } catch {
        throw errors.invalidToken();
      }
      if (typeof header.kid !== 'string' || !header.alg || !ACCEPTED_ALGORITHMS.includes(header.alg)) {
        throw errors.invalidToken();
      }
      if (!keys) {
        await source.reload('initial');
        keys = getResolver();
        if (!keys) throw errors.unavailable({ reason: 'auth_keys_unavailable' }, 'Las claves de verificación no están disponibles');
      }
      const set = cachedSet;
      try {
        return accept(token, await verifyWith(token, keys), set);
      } catch (err) {
        if (err instanceof joseErrors.JWKSNoMatchingKey) {
          // A new signing key after a rotation: one refetch (rate-limited by the source), then retry once.
          const changed = await source.reload('unknown_kid');
          const fresh = getResolver();
          const freshSet = cachedSet;
          if (changed && fresh) {
            try {
              return accept(token, await verifyWith(token, fresh), freshSet);
            } catch (again) {
              throw mapJoseError(again);
            }
          }
        }
        throw mapJoseError(err);
      }
    },
  };
}

function mapJoseError(err: unknown) {
  if (err instanceof joseErrors.JWTExpired) return errors.tokenExpired();
  if (isAppError(err)) return err;
  return errors.invalidToken();
}

/** Verifier over a fixed key set (tests, or a process that holds the keys itself). */
export function createLocalVerifier(jwks: JSONWebKeySet | (() => JSONWebKeySet), opts: VerifierOptions): TokenVerifier {
  const get = typeof jwks === 'function' ? jwks : () => jwks;
  return createVerifier({ current: get, reload: async () => true }, opts);
}

export interface RemoteVerifierOptions extends VerifierOptions {
  jwksUrl: string;
  /** Minimum time between two refetches caused by unknown `kid`s. */
  cooldownMs?: number;
  /** Background refresh period. */
  refreshMs?: number;
  /** Minimum time between two attempts while no key is held (users not reachable yet). */
  retryMs?: number;
  fetchTimeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Verifier against a remote JWKS. Its own fetcher feeds jose's `createLocalJWKSet`, so a failed refresh
 * keeps the last good keys instead of failing every verification.
 */
export function createRemoteVerifier(opts: RemoteVerifierOptions): TokenVerifier {
  const cooldown = opts.cooldownMs ?? 30_000;
  const refreshEvery = opts.refreshMs ?? 300_000;
  const retry = opts.retryMs ?? 1000;
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? fetch;
  let keys: JSONWebKeySet | undefined;
  let fetchedAt = 0;
  let lastAttempt = -Infinity;
  let inflight: Promise<boolean> | undefined;

  async function load(): Promise<boolean> {
    lastAttempt = now();
    try {
      const res = await doFetch(opts.jwksUrl, { signal: AbortSignal.timeout(opts.fetchTimeoutMs ?? 2000) });
      if (!res.ok) return false;
      const body = (await res.json()) as { keys?: unknown } | null;
      if (!body || !Array.isArray(body.keys)) return false;
      // jose refuses a whole set holding one non-object entry; keep the usable keys instead.
      const usable = (body.keys as unknown[]).filter(
        (k): k is JSONWebKeySet['keys'][number] => typeof k === 'object' && k !== null && typeof (k as { kty?: unknown }).kty === 'string',
      );
      const changed = JSON.stringify(usable) !== JSON.stringify(keys?.keys);
      // The same set keeps its identity, and with it the verifier's key resolver and verified tokens.
      if (changed) keys = { keys: usable };
      fetchedAt = now();
      return changed;
    } catch {
      return false;
    }
  }

  const source: KeySource = {
    current() {
      // After a failed background refresh, wait a cooldown before the next one instead of one per request.
      if (keys && now() - fetchedAt > refreshEvery && now() - lastAttempt >= cooldown && !inflight) {
        inflight = load().finally(() => (inflight = undefined));
      }
      return keys;
    },
    async reload(reason) {
      if (inflight) return inflight;
      if (reason === 'unknown_kid' && now() - lastAttempt < cooldown) return false;
      if (reason === 'initial') {
        // Without keys every request would otherwise fetch again while the users service is down.
        const held = (keys?.keys.length ?? 0) > 0;
        if (now() - lastAttempt < (held ? cooldown : retry)) return false;
      }
      inflight = load().finally(() => (inflight = undefined));
      return inflight;
    },
  };
  return createVerifier(source, opts);
}

declare module 'fastify' {
  interface FastifyInstance {
    tokenVerifier: TokenVerifier;
  }
  interface FastifyRequest {
    user: AuthUser | null;
  }
}

/** Wires a verifier into an app: `request.user` and a `jwks` readiness check. */
export function registerAuth(app: App, verifier: TokenVerifier, opts: { readiness?: boolean } = {}): void {
  app.decorate('tokenVerifier', verifier);
  app.decorateRequest('user', null);
  if (opts.readiness !== false) {
    app.health.add('jwks', { required: true, run: async () => verifier.hasKeys() || (await verifier.refresh(), verifier.hasKeys()) });
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match || match[1].length > 8192) return undefined;
  return match[1];
}

export async function authenticate(request: FastifyRequest): Promise<AuthUser> {
  if (request.user) return request.user;
  const token = bearerToken(request);
  if (!token) throw errors.unauthenticated();
  const user = await request.server.tokenVerifier.verify(token);
  request.user = user;
  return user;
}

export interface RequireAuthOptions {
  roles?: readonly Role[];
  /** Routes a user who must change the password can still use (change-password, logout, own profile). */
  allowPasswordChange?: boolean;
}

/** What a route guard declares: the roles it lets through (`null`: any authenticated caller). */
export interface GuardDeclaration {
  roles: readonly Role[] | null;
}

/** The symbol a guard function carries its declaration under (see `tagGuard`). */
export const GUARD_TAG: unique symbol = Symbol.for('sicora.guard');

/**
 * A route guard: authentication and the role check, nothing that needs the body or the route's objects.
 * Wherever a route lists it (`preHandler`, `preValidation`, `onRequest`), `createServer` runs it at
 * `onRequest`, before the body is read and validated (00-conventions §2: 401 → 403 → 400/415/422 →
 * object-level), and documents the operation's `x-roles`, security and 401/403/503 from its declaration.
 */
export type RouteGuard = preHandlerAsyncHookHandler & { readonly [GUARD_TAG]: GuardDeclaration };

/** Tags a guard function with the roles it allows, so the platform can move it and document it. */
export function tagGuard(fn: (request: FastifyRequest, reply: FastifyReply) => Promise<void>, declaration: GuardDeclaration): RouteGuard {
  Object.defineProperty(fn, GUARD_TAG, { value: { roles: declaration.roles ? [...declaration.roles] : null }, enumerable: false });
  return fn as unknown as RouteGuard;
}

/** The declaration of a tagged guard; undefined for any other hook. */
export function guardOf(fn: unknown): GuardDeclaration | undefined {
  return typeof fn === 'function' ? (fn as Partial<Record<typeof GUARD_TAG, GuardDeclaration>>)[GUARD_TAG] : undefined;
}

/** A valid token, the password-change gate, then the role check; a tagged guard (run at onRequest). */
export function requireAuth(opts: RequireAuthOptions = {}): RouteGuard {
  return tagGuard(
    async function requireAuthGuard(request: FastifyRequest) {
      const user = await authenticate(request);
      if (user.must_change_password && !opts.allowPasswordChange) throw errors.passwordChangeRequired();
      if (opts.roles && !opts.roles.includes(user.role)) {
        throw errors.forbidden('No tiene permisos para esta acción', { required_roles: opts.roles });
      }
    },
    { roles: opts.roles ?? null },
  );
}

/** Shorthand for `requireAuth({ roles })`. */
export function requireRole(...roles: Role[]): RouteGuard {
  return requireAuth({ roles });
}

const PLUGIN_GUARD: unique symbol = Symbol.for('sicora.plugin-guard');

/**
 * Guards every route a plugin registers from here on (and its child plugins), in place of
 * `app.addHook('preHandler', guard)`: the platform runs it at `onRequest` and documents it, as for a
 * guard listed on the route. Call it at the top of the plugin, before its routes.
 */
export function guardRoutes(app: FastifyInstance | App, guard: RouteGuard): void {
  if (!guardOf(guard)) throw new Error('guardRoutes needs a tagged guard (requireAuth, requireRole or tagGuard)');
  (app as unknown as Record<typeof PLUGIN_GUARD, RouteGuard>)[PLUGIN_GUARD] = guard;
}

/** The guard `guardRoutes` set on a plugin instance or one of its parents. */
export function pluginGuardOf(app: unknown): RouteGuard | undefined {
  return (app as Partial<Record<typeof PLUGIN_GUARD, RouteGuard>> | undefined)?.[PLUGIN_GUARD];
}

/** The authenticated user of a route protected by `requireAuth`. */
export function currentUser(request: FastifyRequest): AuthUser {
  if (!request.user) throw errors.unauthenticated();
  return request.user;
}
