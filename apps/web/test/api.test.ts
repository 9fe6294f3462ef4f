import { describe, expect, it, vi } from 'vitest';
import { authedFetch, refresher } from '../src/lib/api.ts';
import { ApiError, errorFromResponse, unwrap } from '../src/lib/errors.ts';
import { createSession, REFRESH_KEY } from '../src/lib/session.ts';
import { envelope, failure, fakeJwt, memoryStorage } from './helpers.tsx';

const NOW = Date.parse('2026-03-02T13:00:00Z');
const token = (n: number, expInS = 3600) => fakeJwt({ sub: 'u1', role: 'instructor', exp: NOW / 1000 + expInS, jti: `j${n}` });

function setup() {
  const storage = memoryStorage();
  let n = 1;
  const refresh = vi.fn(async () => {
    n += 1;
    return { ok: true as const, pair: { access_token: token(n), refresh_token: `r${n}` } };
  });
  const session = createSession({ storage, refresh, now: () => NOW });
  session.establish({ access_token: token(1), refresh_token: 'r1' });
  return { session, refresh, storage };
}

describe('authed fetch: bearer, one retry after TOKEN_EXPIRED, end of session', () => {
  it('when a POST answers 401 TOKEN_EXPIRED, then it is sent again once with the refreshed token and the same body', async () => {
    const { session, refresh } = setup();
    const seen: Array<{ auth: string | null; body: string }> = [];
    const base = vi.fn(async (req: Request) => {
      seen.push({ auth: req.headers.get('authorization'), body: await req.text() });
      return seen.length === 1 ? failure(401, 'TOKEN_EXPIRED') : envelope({ ok: true });
    });
    const res = await authedFetch(session, base as never)(new Request('http://x/api/v1/attendance/qr/scan', { method: 'POST', body: '{"code":"SQ1.x"}' }));
    expect(res.status).toBe(200);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(seen).toEqual([
      { auth: `Bearer ${token(1)}`, body: '{"code":"SQ1.x"}' },
      { auth: `Bearer ${token(2)}`, body: '{"code":"SQ1.x"}' },
    ]);
  });

  it('when three requests get TOKEN_EXPIRED together, then a single refresh serves them all', async () => {
    const { session, refresh } = setup();
    const base = vi.fn(async (req: Request) => (req.headers.get('authorization') === `Bearer ${token(1)}` ? failure(401, 'TOKEN_EXPIRED') : envelope({})));
    const f = authedFetch(session, base as never);
    const answers = await Promise.all([1, 2, 3].map((i) => f(new Request(`http://x/api/v1/a/${i}`))));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('when the token is about to expire, then it is refreshed before the request leaves', async () => {
    const storage = memoryStorage();
    const refresh = vi.fn(async () => ({ ok: true as const, pair: { access_token: token(2), refresh_token: 'r2' } }));
    const session = createSession({ storage, refresh, now: () => NOW });
    session.establish({ access_token: token(1, 10), refresh_token: 'r1' });
    const base = vi.fn(async (req: Request) => envelope({ auth: req.headers.get('authorization') }));
    await authedFetch(session, base as never)(new Request('http://x/api/v1/users/me'));
    expect(refresh).toHaveBeenCalledWith('r1');
    expect(base.mock.calls[0][0].headers.get('authorization')).toBe(`Bearer ${token(2)}`);
  });

  it('when the API answers TOKEN_REVOKED or ACCOUNT_DISABLED, then the session ends with its Spanish message', async () => {
    for (const [status, code, words] of [
      [401, 'TOKEN_REVOKED', 'fue cerrada'],
      [403, 'ACCOUNT_DISABLED', 'desactivada'],
    ] as const) {
      const { session, storage } = setup();
      await authedFetch(session, (async () => failure(status, code)) as never)(new Request('http://x/api/v1/users/me'));
      expect(session.getState().claims).toBeNull();
      expect(session.getState().notice).toContain(words);
      expect(storage.getItem(REFRESH_KEY)).toBeNull();
    }
  });

  it('when refresh answers 401 INVALID_REFRESH_TOKEN, then it is a refusal; a 503 is "unavailable"', async () => {
    expect(await refresher('http://x', (async () => failure(401, 'INVALID_REFRESH_TOKEN')) as never)('r1')).toEqual({ ok: false, kind: 'rejected', code: 'INVALID_REFRESH_TOKEN', message: 'Error' });
    expect(await refresher('http://x', (async () => failure(503, 'SERVICE_UNAVAILABLE')) as never)('r1')).toEqual({ ok: false, kind: 'unavailable' });
    expect(await refresher('http://x', (async () => Promise.reject(new TypeError('offline'))) as never)('r1')).toEqual({ ok: false, kind: 'unavailable' });
  });
});

describe('errors from the envelope', () => {
  it('when a VALIDATION_ERROR names fields, then each field gets its message; WEAK_PASSWORD rules mark new_password in Spanish', () => {
    const v = errorFromResponse(new Response(null, { status: 422 }), {
      error: { code: 'VALIDATION_ERROR', message: 'Los datos enviados no son válidos', details: { fields: [{ field: 'body.identifier', reason: 'minLength', message: 'Debe tener al menos 1 carácter' }] } },
    });
    expect(v.fields).toEqual({ identifier: 'Debe tener al menos 1 carácter' });
    const w = errorFromResponse(new Response(null, { status: 422 }), { error: { code: 'WEAK_PASSWORD', message: 'La contraseña es débil', details: { rules: ['symbol', 'personal_data'] } } });
    expect(w.fields.new_password).toBe('Debe tener al menos un símbolo. No use su documento, nombre, apellido ni correo.');
  });

  it('when the answer is 429 with Retry-After, then the message says when to retry; a network failure has its own Spanish message', async () => {
    const r = errorFromResponse(new Response(null, { status: 429, headers: { 'retry-after': '30' } }), { error: { code: 'RATE_LIMITED', message: 'Demasiadas solicitudes' } });
    expect(r.display).toBe('Demasiadas solicitudes. Intente de nuevo en 30 s.');
    const offline = (await unwrap(Promise.reject(new TypeError('Failed to fetch'))).catch((e: unknown) => e)) as ApiError;
    expect(offline).toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
    expect(offline.message).toContain('No hay conexión');
  });
});
