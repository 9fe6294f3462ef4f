/**
 * Token verification against the users service's JWKS with the gateway's own fetcher (gateway.md R9–R10):
 * fetched at start, refreshed per `Cache-Control: max-age` (clamped 60–3 600 s, default 300 s), an unknown
 * `kid` refetches at most once per 30 s, and the last keys stay valid 24 h after the last success.
 * jose's `createLocalJWKSet` does the matching; `createRemoteJWKSet` would fail once a refresh fails.
 */
import { createLocalJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { AuthUser } from '@sicora/platform/auth';
import { errors, isAppError } from '@sicora/platform/errors';
import { normalizeRole } from '@sicora/platform/roles';

const ALGORITHMS = ['EdDSA', 'RS256'];
const KID_COOLDOWN_MS = 30_000;
const STALE_AFTER_MS = 24 * 3_600_000;

export interface JwksVerifierOptions {
  url: () => string;
  issuer: string;
  audience: string;
  /** The service clock in epoch ms (key age, refresh times, token validity). */
  now: () => number;
  fetch?: typeof fetch;
  onFetch?: (outcome: 'success' | 'error') => void;
  /** A new key set was loaded (the first one at start, then each rotation). */
  onKeys?: () => void;
}

export function maxAgeMs(cacheControl: string | null): number {
  const m = /max-age=(\d+)/i.exec(cacheControl ?? '');
  const seconds = m ? Number(m[1]) : 300;
  return Math.min(3_600, Math.max(60, seconds)) * 1000;
}

function toUser(payload: JWTPayload, token: string): AuthUser {
  const role = typeof payload.role === 'string' ? normalizeRole(payload.role) : undefined;
  if (!role || typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.iat !== 'number' || typeof payload.exp !== 'number') {
    throw errors.invalidToken();
  }
  return {
    sub: payload.sub,
    role,
    jti: payload.jti,
    iat: payload.iat,
    exp: payload.exp,
    must_change_password: payload.must_change_password === true,
    ...(typeof payload.group_id === 'string' ? { group_id: payload.group_id } : {}),
    ...(typeof payload.group_number === 'string' ? { group_number: payload.group_number } : {}),
    token,
  };
}

export function createJwksVerifier(opts: JwksVerifierOptions) {
  const now = opts.now;
  const doFetch = opts.fetch ?? fetch;
  let keys: JSONWebKeySet | undefined;
  let resolver: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = 0;
  let ttlMs = 300_000;
  let lastKidFetch = -Infinity;
  let inflight: Promise<boolean> | undefined;

  async function fetchKeys(): Promise<boolean> {
    try {
      const res = await doFetch(opts.url(), { signal: AbortSignal.timeout(2_000), headers: { accept: 'application/json' } });
      const body = res.ok ? ((await res.json()) as { keys?: unknown }) : undefined;
      if (!body || !Array.isArray(body.keys)) throw new Error(`jwks answered ${res.status}`);
      const usable = (body.keys as unknown[]).filter((k): k is JSONWebKeySet['keys'][number] => typeof k === 'object' && k !== null && typeof (k as { kty?: unknown }).kty === 'string');
      const changed = JSON.stringify(usable) !== JSON.stringify(keys?.keys);
      if (changed) {
        keys = { keys: usable };
        resolver = createLocalJWKSet(keys);
      }
      fetchedAt = now();
      ttlMs = maxAgeMs(res.headers.get('cache-control'));
      opts.onFetch?.('success');
      if (changed) opts.onKeys?.();
      return changed;
    } catch {
      opts.onFetch?.('error');
      return false;
    }
  }

  function load(): Promise<boolean> {
    inflight ??= fetchKeys().finally(() => (inflight = undefined));
    return inflight;
  }

  let kidsOf: typeof keys | undefined;
  let kids: string[] = [];
  const hasKeys = () => !!keys && keys.keys.length > 0 && now() - fetchedAt < STALE_AFTER_MS;

  async function verifyWith(token: string) {
    const { payload } = await jwtVerify(token, resolver!, {
      issuer: opts.issuer,
      audience: opts.audience,
      algorithms: ALGORITHMS,
      clockTolerance: 30,
      requiredClaims: ['sub', 'jti', 'iat', 'exp'],
      currentDate: new Date(now()),
    });
    return toUser(payload, token);
  }

  function mapError(err: unknown) {
    if (isAppError(err)) return err;
    if (err instanceof joseErrors.JWTExpired) return errors.tokenExpired();
    return errors.invalidToken();
  }

  return {
    hasKeys,
    /** The same array until the key set changes, so the per-request check of the claim cache is cheap. */
    keyIds: () => {
      if (kidsOf !== keys) {
        kidsOf = keys;
        kids = (keys?.keys ?? []).map((k) => String(k.kid ?? ''));
      }
      return kids;
    },
    fetchedAt: () => (fetchedAt ? new Date(fetchedAt) : null),
    /** Keys older than their max-age whose refresh has not succeeded yet. */
    stale: () => !hasKeys() || now() - fetchedAt > ttlMs * 2,
    refresh: load,
    /** Background refresh when the max-age has passed (called by a timer). */
    tick() {
      if (!keys || now() - fetchedAt >= ttlMs) void load();
    },
    async verify(token: string): Promise<AuthUser> {
      let header;
      try {
        header = decodeProtectedHeader(token);
      } catch {
        throw errors.invalidToken();
      }
      if (typeof header.kid !== 'string' || !header.alg || !ALGORITHMS.includes(header.alg)) throw errors.invalidToken();
      if (!hasKeys()) throw errors.unavailable({ reason: 'auth_keys_unavailable' }, 'Las claves de verificación no están disponibles');
      try {
        return await verifyWith(token);
      } catch (err) {
        // A new signing key after a rotation: one refetch at most every 30 s, then one more try.
        if (err instanceof joseErrors.JWKSNoMatchingKey && now() - lastKidFetch >= KID_COOLDOWN_MS) {
          lastKidFetch = now();
          if (await load()) {
            try {
              return await verifyWith(token);
            } catch (again) {
              throw mapError(again);
            }
          }
        }
        throw mapError(err);
      }
    },
  };
}

export type JwksVerifier = ReturnType<typeof createJwksVerifier>;
