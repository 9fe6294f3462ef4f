#!/usr/bin/env node
// Builds the web app into apps/web/dist when it is missing or older than any of its sources (or always with
// --force). Run by the root `prepare` script, so `npm ci && npm start` serves the app at the gateway's `/`,
// and by the web journeys before they start the platform. The build is generated: dist/ is gitignored.
//
//   node apps/web/scripts/build.mjs            build when stale (prints what it did)
//   node apps/web/scripts/build.mjs --force    always build
//   node apps/web/scripts/build.mjs --quiet    print only failures
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const APP = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(APP, '..', '..');
const DIST = join(APP, 'dist');
const DIST_INDEX = join(DIST, 'index.html');
const LOCK = join(APP, '.build-lock');
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'package.json', join('..', '..', 'packages', 'client', 'src')];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

export function isStale() {
  if (!existsSync(DIST_INDEX)) return true;
  const builtAt = statSync(DIST_INDEX).mtimeMs;
  return SOURCES.some((s) => newest(join(APP, s)) > builtAt);
}

export async function buildWeb({ force = false, quiet = false } = {}) {
  if (!force && !isStale()) {
    if (!quiet) console.log('web: apps/web/dist está al día');
    return false;
  }
  // Where vite is not installed (a production install without dev dependencies) the image brings dist/.
  const vitePath = [APP, ROOT].map((dir) => join(dir, 'node_modules', 'vite', 'dist', 'node', 'index.js')).find((p) => existsSync(p));
  if (!vitePath) {
    if (!quiet) console.log('web: vite no está instalado; no se construye la aplicación web');
    return false;
  }
  // Two builds at once (a journey and `npm start` in another terminal) would empty dist/ under each other:
  // one builds at a time, into its own folder, swapped in whole at the end.
  const unlock = await takeLock();
  try {
    if (!force && !isStale()) return false;
    return await viteBuild(vitePath, quiet);
  } finally {
    unlock();
  }
}

async function takeLock() {
  for (;;) {
    try {
      mkdirSync(LOCK);
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      // A build takes seconds: a lock older than two minutes was left by a killed process.
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function viteBuild(vitePath, quiet) {
  const started = performance.now();
  const out = `${DIST}.tmp-${process.pid}`;
  // Always React's production build, whoever calls: under vitest NODE_ENV is "test", which would make
  // Vite bundle React's development build (twice the size, effects run twice).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    const { build } = await import(pathToFileURL(vitePath).href);
    await build({ root: APP, mode: 'production', configFile: join(APP, 'vite.config.ts'), logLevel: quiet ? 'error' : 'warn', build: { outDir: out, emptyOutDir: true } });
    rmSync(DIST, { recursive: true, force: true });
    renameSync(out, DIST);
  } catch (err) {
    rmSync(out, { recursive: true, force: true });
    throw err;
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  if (!quiet) console.log(`web: aplicación construida en ${Math.round(performance.now() - started)} ms (apps/web/dist)`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = new Set(process.argv.slice(2));
  await buildWeb({ force: args.has('--force'), quiet: args.has('--quiet') });
}
