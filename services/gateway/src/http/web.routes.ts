/**
 * The web app (gateway.md R64, web.md §2): a GET or HEAD outside the API's prefixes is answered from the
 * built single-page app — a file of the build when one matches (hashed `assets/*` cached for a year), and
 * `index.html` with `no-cache` for every other path, so client routes such as `/mi-codigo` load the app.
 * It runs as an onRequest hook after the path guard (R1 still applies) and before the catch-all proxy,
 * which otherwise owns every path. The app's HTML gets its own CSP; static files are not written to the
 * request log (R47 keeps the log for API traffic).
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply } from 'fastify';
import type { App } from '@sicora/platform/server';
// Brings the request's `gw` context (and its type) into any program that compiles this file alone.
import type {} from './request-context.ts';

export const WEB_CSP =
  "default-src 'self'; img-src 'self' data: blob: https:; media-src 'self' blob:; frame-src 'self' blob:; object-src 'none'; connect-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'";

/** Paths that stay the API's, the gateway's own, or users' JWKS (R64). */
const API_PATHS = /^\/(api(\/|$)|docs(\/|$)|health(\/|$|\/)|metrics$|\.well-known\/)/;
const HASHED = /^\/assets\//;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** `WEB_DIST_DIR`, else `apps/web/dist` of this checkout when it has been built; undefined: no app served. */
export function webDistDir(configured: string | undefined): string | undefined {
  const dir = configured || fileURLToPath(new URL('../../../../apps/web/dist', import.meta.url));
  return existsSync(join(dir, 'index.html')) ? resolve(dir) : undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function registerWebApp(app: App, opts: { distDir: string | undefined }): void {
  const root = opts.distDir;
  if (!root) return;
  const index = join(root, 'index.html');

  async function send(reply: FastifyReply, file: string, headers: Record<string, string>, head: boolean) {
    const body = await readFile(file);
    reply.code(200).headers({ 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': String(body.length), ...headers });
    return reply.send(head ? undefined : body);
  }

  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const raw = request.raw.url ?? '/';
    const path = raw.split('?')[0];
    if (API_PATHS.test(path)) return;
    if (request.gw) request.gw.logged = true;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      decoded = '/';
    }
    const head = request.method === 'HEAD';
    const candidate = resolve(root, `.${decoded}`);
    if (candidate.startsWith(root + sep) && candidate !== index && isFile(candidate)) {
      const cache = HASHED.test(decoded) ? 'public, max-age=31536000, immutable' : 'no-cache';
      return send(reply, candidate, { 'cache-control': cache }, head);
    }
    return send(reply, index, { 'cache-control': 'no-cache', 'content-security-policy': WEB_CSP }, head);
  });
}
