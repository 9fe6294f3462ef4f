/**
 * Local HTTP servers speaking Twilio's Messages API and SNS `Publish` (query protocol, as the pinned
 * SDK sends it), on 127.0.0.1 and a free port; each records requests and answers what the test scripts.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface FakeReply { status: number; body: unknown }
export interface HttpFake { url: string; requests: Array<{ path: string; form: URLSearchParams; headers: IncomingMessage['headers'] }>; replies: FakeReply[]; close(): Promise<void> }

async function start(handler: (req: IncomingMessage, form: URLSearchParams, fake: HttpFake) => FakeReply & { type: string }): Promise<HttpFake> {
  const fake = { requests: [], replies: [] } as unknown as HttpFake;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const form = new URLSearchParams(raw);
      fake.requests.push({ path: req.url ?? '', form, headers: req.headers });
      const out = handler(req, form, fake);
      res.writeHead(out.status, { 'content-type': out.type });
      res.end(typeof out.body === 'string' ? out.body : JSON.stringify(out.body));
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
