import { describe, expect, it } from 'vitest';
import { clientResponseHeaders, traceparentFor, upstreamRequestHeaders } from './header-filter.ts';

const ctx = { requestId: 'req-12345678', clientIp: '10.0.0.7', proto: 'http', host: 'gw.local', traceparent: '00-' + 'a'.repeat(32) + '-' + 'b'.repeat(16) + '-01' };

describe('header filtering (R4–R6)', () => {
  it('when headers go upstream, then hop-by-hop, Connection-listed, X-User-* and Host are dropped and forwarding headers set', () => {
    const out = upstreamRequestHeaders(
      {
        connection: 'keep-alive, x-secret-hop',
        'x-secret-hop': '1',
        'transfer-encoding': 'chunked',
        'proxy-authorization': 'Basic x',
        te: 'trailers',
        upgrade: 'h2c',
        'X-User-Role': 'admin',
        host: 'client.example',
        'x-request-id': 'forged-by-client',
        authorization: 'Bearer t',
        'content-length': '12',
        'x-forwarded-for': ['1.1.1.1', '2.2.2.2'],
      },
      ctx,
    );
    expect(out).toEqual({
      authorization: 'Bearer t',
      'content-length': '12',
      'x-forwarded-for': '1.1.1.1, 2.2.2.2, 10.0.0.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'gw.local',
      'x-request-id': 'req-12345678',
      traceparent: ctx.traceparent,
    });
  });

  it('when a response comes back, then CORS, Server, X-Powered-By and hop-by-hop headers are removed', () => {
    const out = clientResponseHeaders({
      'content-type': 'text/csv',
      'content-disposition': 'attachment; filename="a.csv"',
      'access-control-allow-origin': '*',
      'Access-Control-Expose-Headers': 'x',
      server: 'nginx',
      'x-powered-by': 'php',
      'transfer-encoding': 'chunked',
      'keep-alive': 'timeout=5',
      'x-request-id': 'other',
      'set-cookie': ['a=1'],
    });
    expect(out).toEqual({ 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="a.csv"', 'set-cookie': ['a=1'] });
  });

  it('when traceparent is valid it is kept, else a new sampled one is made', () => {
    expect(traceparentFor(ctx.traceparent, 'c'.repeat(48))).toBe(ctx.traceparent);
    expect(traceparentFor('garbage', 'c'.repeat(48))).toBe(`00-${'c'.repeat(32)}-${'c'.repeat(16)}-01`);
    expect(traceparentFor(undefined, 'd'.repeat(48))).toMatch(/^00-d{32}-d{16}-01$/);
  });
});
