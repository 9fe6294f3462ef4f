// @vitest-environment node
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@sicora/platform/server';
import { registerWebApp, WEB_CSP, webDistDir } from '../../../services/gateway/src/http/web.routes.ts';

// gateway.md R64 on a bare Fastify with a catch-all standing in for the gateway's proxy (X1).
let dist: string;
let app: FastifyInstance;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'sicora-web-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>SICORA</title>');
  writeFileSync(join(dist, 'assets', 'index-Ab12Cd34.js'), 'console.log(1)');
  writeFileSync(join(dist, 'robots.txt'), 'User-agent: *');
  app = Fastify();
  registerWebApp(app as unknown as App, { distDir: webDistDir(dist) });
  app.all('/*', async (_req, reply) => reply.code(404).send({ success: false, error: { code: 'NOT_FOUND' } }));
  await app.ready();
});

afterAll(async () => {
  await app.close();
  rmSync(dist, { recursive: true, force: true });
});

describe('gateway serves the web app (R64)', () => {
  it('when a client route is asked for, then index.html answers with no-cache and the app CSP', async () => {
    for (const url of ['/', '/mi-codigo', '/asistencia/tomas/abc/2026-03-02?x=1', '/index.html']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toBe(WEB_CSP);
      expect(res.body).toContain('<title>SICORA</title>');
    }
  });

  it('when a hashed asset is asked for, then it is served as immutable for a year; other files are no-cache', async () => {
    const js = await app.inject({ method: 'GET', url: '/assets/index-Ab12Cd34.js' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.body).toBe('console.log(1)');
    const txt = await app.inject({ method: 'GET', url: '/robots.txt' });
    expect(txt.headers['cache-control']).toBe('no-cache');
    const head = await app.inject({ method: 'HEAD', url: '/' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
  });

  it('when the path is the API\'s, the docs, health, metrics, JWKS or not a GET, then the request goes on to the proxy', async () => {
    for (const url of ['/api/v1/users/me', '/api', '/docs', '/docs/json', '/health', '/health/ready', '/metrics', '/.well-known/jwks.json']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    expect((await app.inject({ method: 'POST', url: '/mi-codigo' })).statusCode).toBe(404);
  });

  it('when no build exists, then nothing is served by it', () => {
    expect(webDistDir(join(dist, 'nada'))).toBeUndefined();
  });
});
