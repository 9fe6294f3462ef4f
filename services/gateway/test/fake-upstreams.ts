/**
 * Fake upstream services for the gateway's component tests: small node:http servers on 127.0.0.1:0
 * whose handler each test sets, recording every non-probe request they receive.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UPSTREAM_NAMES, type UpstreamName } from '@sicora/platform/services';

export interface Hit {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

export interface FakeUpstream {
  name: UpstreamName;
  url: string;
  hits: Hit[];
  ready: boolean;
  handle: Handler;
  /** Served at `/.well-known/jwks.json` to the gateway's own key fetcher (requests without X-Request-Id). */
  jwks?: unknown;
  jwksFetches: number;
  /** Readiness probes received. */
  probes: number;
  /** Body of `/docs/json` (undefined → 404). */
  openapi?: unknown;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Default answer: an envelope echoing what arrived. */
export const echo: Handler = (req, res, body) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  const data = { method: req.method, url: req.url, length: body.length, sha256: sha256(body) };
  res.end(JSON.stringify({ success: true, message: 'ok', data, meta: { timestamp: new Date().toISOString(), request_id: req.headers['x-request-id'] } }));
};

export async function startFakeUpstream(name: UpstreamName): Promise<FakeUpstream> {
  let port = 0;
  const upstream: FakeUpstream = {
    name,
    url: '',
    hits: [],
    ready: true,
    handle: echo,
    jwksFetches: 0,
    probes: 0,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async start() {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      upstream.url = `http://127.0.0.1:${port}`;
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/health/ready') {
        upstream.probes++;
        res.writeHead(upstream.ready ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: upstream.ready ? 'ready' : 'not_ready', service: name, checks: {} }));
        return;
      }
      if (req.url === '/.well-known/jwks.json' && upstream.jwks && !req.headers['x-request-id']) {
        upstream.jwksFetches++;
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
        res.end(JSON.stringify(upstream.jwks));
        return;
      }
      if (req.url === '/docs/json' && !req.headers['x-request-id']) {
        res.writeHead(upstream.openapi ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(upstream.openapi ?? { message: 'no docs' }));
        return;
      }
      const body = Buffer.concat(chunks);
      upstream.hits.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      upstream.handle(req, res, body);
    });
  });
  await upstream.start();
  return upstream;
}

export interface FakePlatform {
  upstreams: Record<UpstreamName, FakeUpstream>;
  /** `<SERVICE>_URL` for every upstream, to pass to loadConfig. */
  env: Record<string, string>;
  stopAll(): Promise<void>;
}

/** Between tests: every fake upstream forgets its hits and answers with `echo` again. */
export function resetUpstreams(fakes: FakePlatform): void {
  for (const u of Object.values(fakes.upstreams)) {
    u.hits.length = 0;
    u.handle = echo;
  }
}

export async function startFakePlatform(): Promise<FakePlatform> {
  const list = await Promise.all(UPSTREAM_NAMES.map(startFakeUpstream));
  const upstreams = Object.fromEntries(list.map((u) => [u.name, u])) as Record<UpstreamName, FakeUpstream>;
  const env = Object.fromEntries(list.map((u) => [`${u.name.toUpperCase()}_URL`, u.url]));
  return {
    upstreams,
    env,
    stopAll: async () => {
      await Promise.all(list.map((u) => u.stop().catch(() => undefined)));
    },
  };
}
