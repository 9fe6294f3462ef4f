/**
 * Local HTTP servers speaking Twilio's Messages API, SNS `Publish` (query protocol, as the pinned SDK
 * sends it) and FCM v1 (OAuth token exchange + `messages:send`), on 127.0.0.1 and a free port; each
 * records requests and answers what the test scripts. Provider requests can be held (`gate`) or slowed
 * (`delayMs`), and the fake counts how many it holds at once (`maxInFlight`, R34).
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface FakeReply { status: number; body: unknown }
export interface HttpFake {
  url: string;
  requests: Array<{ path: string; form: URLSearchParams; raw: string; headers: IncomingMessage['headers'] }>;
  replies: FakeReply[];
  /** Provider requests wait for this promise, then `delayMs`, before being answered. */
  gate: Promise<void> | undefined;
  delayMs: number;
  inFlight: number;
  maxInFlight: number;
  close(): Promise<void>;
}

async function start(handler: (req: IncomingMessage, form: URLSearchParams, fake: HttpFake, raw: string) => FakeReply & { type: string }, direct: (path: string) => boolean = () => false): Promise<HttpFake> {
  const fake = { requests: [], replies: [], gate: undefined, delayMs: 0, inFlight: 0, maxInFlight: 0 } as unknown as HttpFake;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      const form = new URLSearchParams(raw);
      const path = req.url ?? '';
      fake.requests.push({ path, form, raw, headers: req.headers });
      const held = !direct(path);
      if (held) {
        fake.inFlight += 1;
        fake.maxInFlight = Math.max(fake.maxInFlight, fake.inFlight);
        await fake.gate;
        if (fake.delayMs > 0) await new Promise((r) => setTimeout(r, fake.delayMs));
      }
      const out = handler(req, form, fake, raw);
      res.writeHead(out.status, { 'content-type': out.type });
      res.end(typeof out.body === 'string' ? out.body : JSON.stringify(out.body));
      if (held) fake.inFlight -= 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  fake.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return fake;
}

export function startTwilioFake(): Promise<HttpFake> {
  let n = 0;
  return start((_req, form, fake) => {
    const next = fake.replies.shift();
    if (next && next.status >= 400) return { ...next, type: 'application/json' };
    n += 1;
    return { status: 201, type: 'application/json', body: { sid: `SM${String(n).padStart(32, '0')}`, status: 'queued', to: form.get('To'), body: form.get('Body') } };
  });
}

export function startSnsFake(): Promise<HttpFake> {
  let n = 0;
  return start((_req, _form, fake) => {
    const next = fake.replies.shift();
    if (next && next.status >= 400) {
      const code = String((next.body as { code?: string })?.code ?? 'InternalError');
      return { status: next.status, type: 'text/xml', body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>fallo</Message></Error><RequestId>r</RequestId></ErrorResponse>` };
    }
    n += 1;
    return { status: 200, type: 'text/xml', body: `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>sns-${n}</MessageId></PublishResult><ResponseMetadata><RequestId>r${n}</RequestId></ResponseMetadata></PublishResponse>` };
  });
}

/** FCM v1: `/token` (JWT-bearer exchange, answered at once) and `messages:send` (scripted by `replies`). */
export async function startFcmFake(): Promise<HttpFake & { credentials: string }> {
  let n = 0;
  const fake = await start((req, _form, f, raw) => {
    if (req.url === '/token') return { status: 200, type: 'application/json', body: { access_token: 'ya29.fake', expires_in: 3600, token_type: 'Bearer' } };
    const next = f.replies.shift();
    if (next) return { ...next, type: 'application/json' };
    n += 1;
    return { status: 200, type: 'application/json', body: { name: `projects/sicora-test/messages/${n}`, token: JSON.parse(raw).message?.token } };
  }, (path) => path === '/token');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const credentials = JSON.stringify({ project_id: 'sicora-test', client_email: 'push@sicora-test.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), token_uri: `${fake.url}/token` });
  return Object.assign(fake, { credentials });
}
