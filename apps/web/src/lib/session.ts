/**
 * The browser session (web.md §3), free of React so it can be tested on its own:
 * - the access token lives in memory, the refresh token in `localStorage` (shared by every tab);
 * - ONE refresh at a time: concurrent callers in a tab share one promise, and tabs take turns through the
 *   Web Locks API, so no tab presents a refresh token another tab already rotated (users R17's grace is 10 s);
 * - a rotated pair is written at once and announced on a BroadcastChannel, so the other tabs pick up the new
 *   access token instead of refreshing again;
 * - a refusal of the refresh token (reused, invalid, revoked, disabled account) ends the session everywhere.
 */

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  must_change_password?: boolean;
}

/** The access token's claims the app reads (00-conventions §4). */
export interface Claims {
  sub: string;
  role: 'admin' | 'coordinador' | 'administrativo' | 'instructor' | 'aprendiz';
  name?: string;
  email?: string;
  exp: number;
  must_change_password?: boolean;
  group_id?: string;
  group_number?: string;
}

export type RefreshOutcome =
  | { ok: true; pair: TokenPair }
  /** The server refused the refresh token: the session is over. */
  | { ok: false; kind: 'rejected'; code: string; message?: string }
  /** No answer (network, 5xx, 429): keep the session, try again later. */
  | { ok: false; kind: 'unavailable' };

export interface SessionState {
  claims: Claims | null;
  /** Why the last session ended, shown on the sign-in screen. */
  notice: string | null;
}

type Message = { type: 'tokens'; access_token: string; refresh_token: string } | { type: 'signed-out'; notice: string | null };

export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export interface LocksLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface SessionDeps {
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  refresh: (refreshToken: string) => Promise<RefreshOutcome>;
  locks?: LocksLike;
  channel?: ChannelLike;
  /** Epoch milliseconds. */
  now?: () => number;
}

export const REFRESH_KEY = 'sicora.refresh_token';
const LOCK = 'sicora-refresh';
/** Refresh a little before `exp` so a request never leaves with a token about to die in flight. */
const EXPIRY_MARGIN_S = 30;

const ENDING_MESSAGES: Record<string, string> = {
  REFRESH_TOKEN_REUSED: 'Su sesión se cerró por seguridad: se usó un enlace de sesión antiguo. Ingrese de nuevo.',
  INVALID_REFRESH_TOKEN: 'Su sesión expiró. Ingrese de nuevo.',
  TOKEN_REVOKED: 'Su sesión fue cerrada. Ingrese de nuevo.',
  INVALID_TOKEN: 'Su sesión no es válida. Ingrese de nuevo.',
  ACCOUNT_DISABLED: 'Su cuenta está desactivada. Comuníquese con la coordinación.',
};

export function endingMessage(code: string, fallback?: string): string {
  return ENDING_MESSAGES[code] ?? fallback ?? 'Su sesión terminó. Ingrese de nuevo.';
}

/** Claims of a JWT without verifying it: the API verifies; the app only needs role, name and expiry. */
export function decodeClaims(token: string): Claims | null {
  try {
    const part = token.split('.')[1];
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Claims;
  } catch {
    return null;
  }
}

export type Session = ReturnType<typeof createSession>;

export function createSession(deps: SessionDeps) {
  const now = deps.now ?? (() => Date.now());
  let access: string | null = null;
  let state: SessionState = { claims: null, notice: null };
  let inflight: Promise<string | null> | null = null;
  const listeners = new Set<() => void>();

  function set(next: SessionState) {
    state = next;
    for (const listener of listeners) listener();
  }

  function adopt(token: string) {
    access = token;
    set({ claims: decodeClaims(token), notice: null });
  }

  function clear(notice: string | null) {
    access = null;
    deps.storage.removeItem(REFRESH_KEY);
    set({ claims: null, notice });
  }

  deps.channel?.addEventListener('message', (event) => {
    const message = event.data as Message;
    if (message?.type === 'tokens') adopt(message.access_token);
    else if (message?.type === 'signed-out') {
      access = null;
      set({ claims: null, notice: message.notice });
    }
  });

  function expiringSoon(): boolean {
    const exp = state.claims?.exp;
    return !access || !exp || exp - EXPIRY_MARGIN_S <= now() / 1000;
  }

  /** The rotated pair is stored before anything else happens, then announced to the other tabs. */
  function establish(pair: TokenPair) {
    deps.storage.setItem(REFRESH_KEY, pair.refresh_token);
    adopt(pair.access_token);
    deps.channel?.postMessage({ type: 'tokens', access_token: pair.access_token, refresh_token: pair.refresh_token } satisfies Message);
  }

  function end(notice: string | null = null) {
    clear(notice);
    deps.channel?.postMessage({ type: 'signed-out', notice } satisfies Message);
  }

  async function runRefresh(): Promise<string | null> {
    const presented = access;
    const turn = async () => {
      // Another tab refreshed while this one waited for the lock: its broadcast already brought the new token.
      if (access && access !== presented && !expiringSoon()) return access;
      const stored = deps.storage.getItem(REFRESH_KEY);
      if (!stored) {
        if (state.claims) clear(endingMessage('INVALID_REFRESH_TOKEN'));
        return null;
      }
      const outcome = await deps.refresh(stored);
      if (outcome.ok) {
        establish(outcome.pair);
        return outcome.pair.access_token;
      }
      if (outcome.kind === 'unavailable') return null;
      // A tab that rotated the token in between wrote the new one before answering: not a real refusal.
      const current = deps.storage.getItem(REFRESH_KEY);
      if (current && current !== stored) return access;
      end(endingMessage(outcome.code, outcome.message));
      return null;
    };
    return deps.locks ? deps.locks.request(LOCK, turn) : turn();
  }

  return {
    getState: () => state,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    accessToken: () => access,
    hasRefreshToken: () => deps.storage.getItem(REFRESH_KEY) !== null,
    /** This browser's refresh token, for sign-out (users A3 ends only this session with it). */
    storedRefreshToken: () => deps.storage.getItem(REFRESH_KEY),
    expiringSoon,
    establish,
    end,
    /** One refresh for every concurrent caller; resolves to the new access token, or null. */
    refresh(): Promise<string | null> {
      inflight ??= runRefresh().finally(() => {
        inflight = null;
      });
      return inflight;
    },
  };
}
