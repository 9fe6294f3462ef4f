/**
 * Fakes for the notification crash journeys (US-NOT-18), all on 127.0.0.1 port 0:
 * - a users service: JWKS for the child's token checks, the service-token exchange, U1 (role pages of
 *   100) and U12 lookups, which a test can hang at a given call to stop a fan-out half way;
 * - an SMTP server (smtp-server + mailparser) that keeps every message it has fully received and, while
 *   `hold` is set, delays its reply to DATA, so a worker can be killed while the server holds a message.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { createTestKeys, mintToken, type TestKeys } from '@sicora/platform/testing/keys';

export interface FakePerson { id: string; first_name: string; last_name: string; full_name: string; role: string; email: string; phone: null; is_active: true; is_deleted: false }

export function fakePerson(n: number, role = 'aprendiz'): FakePerson {
  const id = `5eed0009-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return { id, first_name: `Nombre${n}`, last_name: `Apellido${n}`, full_name: `Nombre${n} Apellido${n}`, role, email: `persona${n}@demo.sicora.test`, phone: null, is_active: true, is_deleted: false };
}

export interface UsersFake {
  url: string;
  keys: TestKeys;
  people: Map<string, FakePerson>;
  /** Ids asked for by every U12 lookup, in order. */
  lookups: string[][];
  /** The lookup with this 1-based number (and later ones) gets no answer until `release()`. */
  hangAt: number | null;
  release(): void;
  token(claims: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startUsersFake(): Promise<UsersFake> {
  const keys = await createTestKeys();
  const hung: Array<() => void> = [];
  const fake: UsersFake = {
    url: '', keys, people: new Map(), lookups: [], hangAt: null,
    release() { hung.splice(0).forEach((go) => go()); },
    token: (claims) => mintToken(keys, { role: 'service', name: 'attendance', ...claims }),
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    (async () => {
      if (req.method === 'GET' && url.pathname === '/.well-known/jwks.json') return json(res, 200, keys.jwks);
      if (req.method === 'POST' && url.pathname === '/api/v1/auth/service-token') {
        return json(res, 200, { success: true, data: { access_token: await mintToken(keys, { role: 'service', name: 'notification' }, { expiresIn: 900 }), token_type: 'Bearer', expires_in: 900 } });
      }
      if (req.method === 'POST' && url.pathname === '/api/v1/users/lookup') {
        const ids = ((await readJson(req)).ids as string[]) ?? [];
        fake.lookups.push(ids);
        if (fake.hangAt !== null && fake.lookups.length >= fake.hangAt) await new Promise<void>((go) => hung.push(go));
        return json(res, 200, {
          success: true,
          data: { found: ids.filter((i) => fake.people.has(i)).map((i) => fake.people.get(i)), missing: ids.filter((i) => !fake.people.has(i)).map((value) => ({ key: 'id', value })) },
        });
      }
      if (req.method === 'GET' && url.pathname === '/api/v1/users') {
        const all = [...fake.people.values()].filter((p) => p.role === url.searchParams.get('role'));
        const page = Number(url.searchParams.get('page') ?? 1);
        const size = Number(url.searchParams.get('page_size') ?? 20);
        const items = all.slice((page - 1) * size, page * size).map((p) => ({ id: p.id }));
        return json(res, 200, { success: true, data: items, meta: { pagination: { page, page_size: size, total: all.length, total_pages: Math.ceil(all.length / size), has_next: page * size < all.length, has_prev: page > 1 } } });
      }
      return json(res, 404, { success: false, error: { code: 'NOT_FOUND', message: 'No encontrado' } });
    })().catch(() => { if (!res.headersSent) json(res, 500, { success: false }); else res.destroy(); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  fake.close = () => new Promise<void>((resolve) => {
    fake.release();
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return fake;
}

export interface ReceivedMail { messageId: string; notificationId: string; to: string; at: number }

export interface HoldingSmtp {
  url: string;
  received: ReceivedMail[];
  /** While true, DATA is answered only when `hold` is turned off (or the client is gone). */
  hold: boolean;
  unhold(): void;
  close(): Promise<void>;
}

export async function startHoldingSmtp(): Promise<HoldingSmtp> {
  const waiting: Array<() => void> = [];
  const fake: HoldingSmtp = {
    url: '', received: [], hold: false,
    unhold() { fake.hold = false; waiting.splice(0).forEach((go) => go()); },
    close: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        // The whole message has arrived: the server holds a copy whatever happens to the client next.
        const header = mail.headers.get('x-sicora-notification-id');
        fake.received.push({ messageId: mail.messageId ?? '', notificationId: typeof header === 'string' ? header : '', to: (mail.to && !Array.isArray(mail.to) ? mail.to.text : ''), at: Date.now() });
        if (fake.hold) waiting.push(() => callback());
        else callback();
      }, callback);
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`;
  fake.close = () => new Promise<void>((resolve) => {
    fake.unhold();
    server.close(() => resolve());
  });
  return fake;
}
