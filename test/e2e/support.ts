/**
 * Real processes on real ports for the end-to-end journeys: free loopback ports, a `bin/sicora`
 * child process with its own data dir, and polling helpers. Every child is killed in the test's teardown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_NAMES, envPrefix } from '@sicora/platform/services';

export const ROOT = join(import.meta.dirname, '..', '..');

// Below the kernel's ephemeral range (32768–60999): a port the OS handed out for listen(0) and then released
// can be taken again by any outgoing connection (a database pool starting up) before the child binds it.
const PORT_RANGE = { low: 20_000, high: 32_000 };
const handedOut = new Set<number>();

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A loopback port nobody listens on, outside the ephemeral range, never handed out twice by this process. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PORT_RANGE.low + Math.floor(Math.random() * (PORT_RANGE.high - PORT_RANGE.low));
    if (handedOut.has(port) || !(await canBind(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('no free port found in 200 attempts');
}

/** `<SERVICE>_PORT` and `<SERVICE>_URL` for every service on free ports. */
export async function portEnv(): Promise<{ env: Record<string, string>; urls: Record<string, string> }> {
  const env: Record<string, string> = {};
  const urls: Record<string, string> = {};
  for (const name of SERVICE_NAMES) {
    const port = await freePort();
    env[`${envPrefix(name)}_PORT`] = String(port);
    env[`${envPrefix(name)}_URL`] = `http://127.0.0.1:${port}`;
    urls[name] = `http://127.0.0.1:${port}`;
  }
  // The embedded notification worker's mail sink (R41) listens too; its default 2525 would collide.
  env.MAIL_SINK_PORT = String(await freePort());
  return { env, urls };
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'sicora-e2e-'));
}

export interface Child {
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export function runSicora(args: string[], env: Record<string, string | undefined>): Child {
  const child = spawn(process.execPath, [join(ROOT, 'bin/sicora'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  return {
    process: child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Polls `url` until it answers `status` (or the child exits, or the time runs out). */
export async function waitFor(url: string, child: Child, opts: { status?: number; timeoutMs?: number } = {}): Promise<{ status: number; body: unknown; ms: number }> {
  const started = performance.now();
  const timeout = opts.timeoutMs ?? 90_000;
  let last: { status: number; body: unknown } = { status: 0, body: null };
  while (performance.now() - started < timeout) {
    if (child.process.exitCode !== null) throw new Error(`process exited early:\n${child.output()}`);
    try {
      const res = await fetch(url);
      const text = await res.text();
      last = { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
      if (res.status === (opts.status ?? 200)) return { ...last, ms: Math.round(performance.now() - started) };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${url}: last ${JSON.stringify(last).slice(0, 500)}\n${child.output()}`);
}

/** Waits until the child has printed `text` (its start-up banner comes after readiness). */
export async function waitForOutput(child: Child, text: string, timeoutMs = 30_000): Promise<void> {
  const started = performance.now();
  while (!child.output().includes(text)) {
    if (child.process.exitCode !== null) throw new Error(`process exited early:\n${child.output()}`);
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for "${text}":\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
