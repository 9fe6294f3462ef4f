/**
 * Which headers cross the gateway in each direction (gateway.md R4–R6).
 */
export type HeaderMap = Record<string, string | string[] | undefined>;
export type OutgoingHeaders = Record<string, string | string[]>;

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-connection']);

/** Hop-by-hop by definition, plus any header the `Connection` header itself names. */
function hopByHop(headers: HeaderMap): (name: string) => boolean {
  const listed = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  return (name) => HOP_BY_HOP.has(name) || name.startsWith('proxy-') || listed.has(name);
}

export interface ForwardContext {
  requestId: string;
  clientIp: string | undefined;
  proto: string;
  host: string | undefined;
  traceparent: string;
}

export function upstreamRequestHeaders(incoming: HeaderMap, ctx: ForwardContext): OutgoingHeaders {
  const drop = hopByHop(incoming);
  const out: OutgoingHeaders = {};
  for (const [rawName, value] of Object.entries(incoming)) {
    const name = rawName.toLowerCase();
    if (value === undefined || drop(name)) continue;
    // Identity headers are the gateway's to set (after token verification), never the client's.
    if (name.startsWith('x-user-')) continue;
    // The upstream's own authority is used; the client's Host travels as X-Forwarded-Host. undici
    // refuses `expect`, and 100-continue is negotiated per hop anyway.
    if (name === 'host' || name === 'expect' || name === 'x-request-id' || name === 'traceparent') continue;
    out[name] = value;
  }
  const previous = incoming['x-forwarded-for'];
  const chain = [Array.isArray(previous) ? previous.join(', ') : previous, ctx.clientIp].filter((v): v is string => !!v);
  if (chain.length > 0) out['x-forwarded-for'] = chain.join(', ');
  out['x-forwarded-proto'] = ctx.proto;
  if (ctx.host) out['x-forwarded-host'] = ctx.host;
  out['x-request-id'] = ctx.requestId;
  out.traceparent = ctx.traceparent;
  return out;
}

export function clientResponseHeaders(upstream: HeaderMap): OutgoingHeaders {
  const drop = hopByHop(upstream);
  const out: OutgoingHeaders = {};
  for (const [rawName, value] of Object.entries(upstream)) {
    const name = rawName.toLowerCase();
    if (value === undefined || drop(name)) continue;
    // The gateway is the only CORS authority (R53) and does not advertise upstream software.
    if (name.startsWith('access-control-') || name === 'server' || name === 'x-powered-by' || name === 'x-request-id') continue;
    out[name] = value;
  }
  return out;
}

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** The client's W3C `traceparent` when well-formed, else a new sampled one from the given random hex. */
export function traceparentFor(incoming: string | string[] | undefined, randomHex48: string): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  if (value && TRACEPARENT.test(value) && !value.startsWith('ff')) return value;
  return `00-${randomHex48.slice(0, 32)}-${randomHex48.slice(32, 48)}-01`;
}
