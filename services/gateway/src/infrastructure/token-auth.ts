/**
 * Token verification at the edge (gateway.md R9–R11): the platform's JWKS verifier (own fetcher feeding
 * jose's local key set, last keys kept on failure, refetch on unknown kid at most once per 30 s) behind
 * a per-token claim cache, plus the users service's revocation feed polled every 30 s.
 */
import { createHash } from 'node:crypto';
import type { AuthUser } from '@sicora/platform/auth';
import type { JwksVerifier } from './jwks-verifier.ts';
import { errors } from '@sicora/platform/errors';
import type { TokenProvider } from '@sicora/platform/http-client';

const CACHE_MAX = 10_000;
const TOLERANCE_S = 30;
const FEED_HORIZON_MS = 2 * 3_600_000;

export interface RevocationState {
  lastSuccessAt: Date | null;
  revokedJtis: number;
}

export interface GatewayAuthDeps {
  verifier: Pick<JwksVerifier, 'verify' | 'hasKeys' | 'keyIds' | 'refresh' | 'tick'>;
  /** The service clock in epoch ms (token expiry, revocation horizon). */
  now: () => number;
  /** Reads the revocation feed (R11); absent in set-ups without service credentials. */
  feed?: { usersUrl: () => string; tokenProvider: TokenProvider; fetch?: typeof fetch };
  onFeedError?: (err: unknown) => void;
}

export function createGatewayAuth(deps: GatewayAuthDeps) {
  const now = deps.now;
  const cache = new Map<string, AuthUser>();
  let cacheKeys = '';
  let lastIds: readonly string[] | undefined;
  const revoked = new Map<string, number>(); // jti → exp (ms)
  const validAfter = new Map<string, { at: number; seenAt: number }>(); // user → tokens_valid_after (s)
  let since: string | undefined;
  let lastSuccessAt: Date | null = null;
  let timer: NodeJS.Timeout | undefined;
  let startTimer: NodeJS.Timeout | undefined;
  let keyTimer: NodeJS.Timeout | undefined;

  function checkLive(user: AuthUser): AuthUser {
    const nowS = now() / 1000;
    if (user.exp + TOLERANCE_S < nowS) throw errors.tokenExpired();
    if (revoked.has(user.jti)) throw errors.tokenRevoked();
    const after = validAfter.get(user.sub);
    // iat has whole seconds: a token issued in the same second as the change stays valid (00-conventions §4).
    if (after && user.iat < Math.floor(after.at)) throw errors.tokenRevoked();
    return user;
  }

  const idOf = (token: string) => createHash('sha256').update(token).digest('base64url');

  /**
   * The claims of a token verified before, checked for expiry and revocation (which throw), or undefined
   * when the token still needs verifying: lets the proxy decide its steps without awaiting anything.
   */
  function cached(token: string): AuthUser | undefined {
    const ids = deps.verifier.keyIds();
    if (ids !== lastIds) {
      lastIds = ids;
      const keys = ids.join(',');
      if (keys !== cacheKeys) {
        // A changed key set may have dropped the key a cached token was verified with.
        cache.clear();
        cacheKeys = keys;
      }
    }
    const hit = cache.get(idOf(token));
    return hit ? checkLive(hit) : undefined;
  }

  async function authenticate(token: string): Promise<AuthUser> {
    const hit = cached(token);
    if (hit) return hit;
    const id = idOf(token);
    const user = await deps.verifier.verify(token);
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(id, user);
    return checkLive(user);
  }

  async function pollFeed(): Promise<void> {
    if (!deps.feed) return;
    const floor = new Date(now() - FEED_HORIZON_MS).toISOString();
    const from = since && since > floor ? since : floor;
    const token = await deps.feed.tokenProvider.getToken();
    const res = await (deps.feed.fetch ?? fetch)(`${deps.feed.usersUrl()}/api/v1/auth/revocations?since=${encodeURIComponent(from)}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(5_000),
    });
    if (res.status === 401) deps.feed.tokenProvider.invalidate();
    if (!res.ok) throw new Error(`revocation feed answered ${res.status}`);
    const body = (await res.json()) as {
      data: { revoked_jtis: Array<{ jti: string; expires_at: string }>; users: Array<{ user_id: string; tokens_valid_after: string }>; until: string };
    };
    for (const r of body.data.revoked_jtis) revoked.set(r.jti, Date.parse(r.expires_at));
    for (const u of body.data.users) validAfter.set(u.user_id, { at: Date.parse(u.tokens_valid_after) / 1000, seenAt: now() });
    since = body.data.until;
    lastSuccessAt = new Date(now());
    const t = now();
    for (const [jti, exp] of revoked) if (exp + TOLERANCE_S * 1000 < t) revoked.delete(jti);
    for (const [user, v] of validAfter) if (v.seenAt + FEED_HORIZON_MS < t) validAfter.delete(user);
  }

  const safePoll = () => pollFeed().catch((err) => deps.onFeedError?.(err));

  return {
    authenticate,
    cached,
    pollFeed,
    revocationState: (): RevocationState => ({ lastSuccessAt, revokedJtis: revoked.size }),
    feedAgeSeconds: () => (lastSuccessAt ? (now() - lastSuccessAt.getTime()) / 1000 : -1),
    start(feedMs = 30_000) {
      // R9: keys at start, retried every 2 s until loaded.
      const loadKeys = () => {
        if (deps.verifier.hasKeys()) return;
        void deps.verifier.refresh().finally(() => {
          if (!deps.verifier.hasKeys()) startTimer = setTimeout(loadKeys, 2_000).unref();
        });
      };
      loadKeys();
      keyTimer = setInterval(() => deps.verifier.tick(), 10_000).unref();
      if (deps.feed && !timer) {
        void safePoll();
        timer = setInterval(() => void safePoll(), feedMs).unref();
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      if (startTimer) clearTimeout(startTimer);
      if (keyTimer) clearInterval(keyTimer);
      timer = undefined;
    },
  };
}

export type GatewayAuth = ReturnType<typeof createGatewayAuth>;
