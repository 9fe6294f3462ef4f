/**
 * Push through the FCM HTTP v1 API with undici + jose (R39), not firebase-admin, whose FCM host cannot
 * be pointed at a local fake. A service-account RS256 assertion is exchanged for an access token cached
 * until 60 s before expiry; one request per active device; dead tokens are disabled.
 */
import { readFileSync } from 'node:fs';
import { importPKCS8, SignJWT } from 'jose';
import { request } from 'undici';
import { ChannelError, type ChannelProvider, type OutgoingMessage } from '../../application/ports.ts';
import { createLimiter, PROVIDER_CONCURRENCY } from './provider-limiter.ts';

export interface FcmCredentials { project_id: string; client_email: string; private_key: string; token_uri: string }

export function parseFcmCredentials(value: string): FcmCredentials {
  const text = value.trim().startsWith('{') ? value : readFileSync(value, 'utf8');
  const c = JSON.parse(text) as Partial<FcmCredentials>;
  if (!c.project_id || !c.client_email || !c.private_key) throw new Error('FCM_CREDENTIALS needs project_id, client_email and private_key');
  return { project_id: c.project_id, client_email: c.client_email, private_key: c.private_key, token_uri: c.token_uri ?? 'https://oauth2.googleapis.com/token' };
}

export interface DeviceStore {
  active(userId: string): Promise<Array<{ token: string }>>;
  disable(token: string, reason: 'unregistered' | 'invalid'): Promise<void>;
}

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function createFcmProvider(o: { credentials: FcmCredentials; baseUrl: string; devices: DeviceStore; timeoutMs: number; now?: () => number }): ChannelProvider {
  const now = o.now ?? Date.now;
  let cached: { token: string; renewAt: number } | undefined;
  // R34: every messages:send request of this process goes through one limiter (devices of one push included).
  const limit = createLimiter(PROVIDER_CONCURRENCY);

  async function accessToken(fresh = false): Promise<string> {
    if (!fresh && cached && now() < cached.renewAt) return cached.token;
    const key = await importPKCS8(o.credentials.private_key, 'RS256');
    const iat = Math.floor(now() / 1000);
    const assertion = await new SignJWT({ scope: SCOPE }).setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(o.credentials.client_email).setAudience(o.credentials.token_uri).setIssuedAt(iat).setExpirationTime(iat + 3600).sign(key);
    const res = await request(o.credentials.token_uri, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(), headersTimeout: o.timeoutMs, bodyTimeout: o.timeoutMs,
    }).catch(() => { throw new ChannelError('transient', 'FCM_TOKEN_CONNECTION', 'No se pudo obtener el token de FCM'); });
    const body = (await res.body.json().catch(() => ({}))) as { access_token?: string; expires_in?: number };
    if (res.statusCode >= 500) throw new ChannelError('transient', `FCM_TOKEN_HTTP_${res.statusCode}`, 'FCM no entregó token', res.statusCode);
    if (res.statusCode !== 200 || !body.access_token) throw new ChannelError('provider_unavailable', `FCM_TOKEN_HTTP_${res.statusCode}`, 'Credenciales de FCM rechazadas', res.statusCode);
    cached = { token: body.access_token, renewAt: now() + (body.expires_in ?? 3600) * 1000 - 60_000 };
    return cached.token;
  }

  async function sendOne(m: OutgoingMessage, token: string, bearer: string) {
    const high = m.priority === 'high' || m.priority === 'critical';
    const payload = {
      message: {
        token, notification: { title: cut(m.subject ?? 'SICORA', 65), body: cut(m.text, 240) },
        data: { notification_id: m.notification_id, inbox_item_id: '', type: m.type, action_url: m.action_url ?? '' },
        android: { priority: high ? 'HIGH' : 'NORMAL' }, apns: { headers: { 'apns-priority': high ? '10' : '5' } },
      },
    };
    const { res, body } = await limit(async () => {
      const r = await request(`${o.baseUrl.replace(/\/+$/, '')}/v1/projects/${o.credentials.project_id}/messages:send`, {
        method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(payload), headersTimeout: o.timeoutMs, bodyTimeout: o.timeoutMs,
      }).catch(() => { throw new ChannelError('transient', 'FCM_CONNECTION', 'Error de conexión con FCM'); });
      return { res: r, body: (await r.body.json().catch(() => ({}))) as { name?: string; error?: { status?: string; message?: string; details?: Array<{ errorCode?: string }> } } };
    });
    const errorCode = body.error?.details?.find((d) => d.errorCode)?.errorCode ?? body.error?.status;
    return { status: res.statusCode, name: body.name, errorCode, message: body.error?.message ?? '', retryAfter: Number(res.headers['retry-after'] ?? 0) };
  }

  return {
    name: 'fcm',
    channel: 'push',
    async send(m: OutgoingMessage) {
      const devices = await o.devices.active(m.user_id);
      if (devices.length === 0) throw new ChannelError('permanent', 'NO_DESTINATION', 'El usuario no tiene dispositivos activos');
      let bearer = await accessToken();
      const results: Array<{ token_suffix: string; result: string }> = [];
      let accepted: string | undefined;
      let transient: ChannelError | undefined;
      for (const d of devices) {
        let r = await sendOne(m, d.token, bearer);
        if (r.status === 401) {
          bearer = await accessToken(true);
          r = await sendOne(m, d.token, bearer);
          if (r.status === 401) throw new ChannelError('provider_unavailable', 'FCM_HTTP_401', 'FCM rechazó las credenciales', 401);
        }
        const suffix = d.token.slice(-8);
        if (r.status === 200) { accepted ??= r.name; results.push({ token_suffix: suffix, result: 'sent' }); continue; }
        if (r.status === 404 || r.errorCode === 'UNREGISTERED') { await o.devices.disable(d.token, 'unregistered'); results.push({ token_suffix: suffix, result: 'unregistered' }); continue; }
        if (r.errorCode === 'SENDER_ID_MISMATCH' || (r.errorCode === 'INVALID_ARGUMENT' && /token/i.test(r.message))) {
          await o.devices.disable(d.token, 'invalid'); results.push({ token_suffix: suffix, result: 'invalid' }); continue;
        }
        results.push({ token_suffix: suffix, result: `error_${r.status}` });
        if (r.status === 429 || r.status >= 500) transient = new ChannelError('transient', `FCM_HTTP_${r.status}`, 'FCM no está disponible', r.status);
      }
      if (accepted) return { provider: 'fcm', provider_message_id: accepted, device_results: results };
      if (transient) throw transient;
      if (results.every((x) => x.result === 'unregistered' || x.result === 'invalid')) throw new ChannelError('permanent', 'NO_DESTINATION', 'Ningún dispositivo activo aceptó el mensaje');
      throw new ChannelError('permanent', 'FCM_REJECTED', 'FCM rechazó el mensaje');
    },
  };
}
