// What the benchmarks that run the whole platform share: `sicora start` on a fresh data dir and its own
// loopback port range (so a platform already running on the defaults is not disturbed), a hard time limit,
// readiness, a tiny JSON client and the admin's first login with its forced password change.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Gateway first, in the order of the service table (00-conventions §1). */
export const SERVICES = ['gateway', 'users', 'schedules', 'attendance', 'evalin', 'kb', 'ai', 'projecteval', 'notification'];

/** `<SERVICE>_PORT`/`_URL` from basePort up, and the notification mail sink (default 2525) right after. */
export function portEnvFrom(basePort) {
  const env = {};
  SERVICES.forEach((s, i) => {
    env[`${s.toUpperCase()}_PORT`] = String(basePort + i);
    env[`${s.toUpperCase()}_URL`] = `http://127.0.0.1:${basePort + i}`;
  });
  env.MAIL_SINK_PORT = String(basePort + SERVICES.length);
  return env;
}

/**
 * Spawns `sicora start` (embedded PGlite, demo data) with its own data dir and ports. A run that outlives
 * hardLimitMs is killed and the script fails, so no benchmark can hang the machine.
 */
export function startPlatform({ name, basePort, admin, hardLimitMs, readyTimeoutMs = 180_000, env = {} }) {
  const dataDir = mkdtempSync(join(tmpdir(), `sicora-bench-${name}-`));
  const portEnv = portEnvFrom(basePort);
  const base = portEnv.GATEWAY_URL;
  const child = spawn(process.execPath, [join(root, 'bin/sicora'), 'start'], {
    cwd: root,
    env: {
      ...process.env, ...portEnv, SICORA_DATA_DIR: dataDir, SICORA_ADMIN_EMAIL: admin.email, SICORA_ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '', ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  const guard = setTimeout(() => {
    console.error(`${name} bench: over ${hardLimitMs / 1000} s, stopping`);
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(1);
  }, hardLimitMs);
  guard.unref();

  return {
    base, portEnv, child, dataDir,
    exited: () => exited,
    /** Polls the gateway's /health until 200; returns the milliseconds it took. */
    async waitReady() {
      const started = performance.now();
      while (performance.now() - started < readyTimeoutMs) {
        if (exited) throw new Error('sicora start exited before becoming ready');
        try {
          if ((await fetch(`${base}/health`)).status === 200) return Math.round(performance.now() - started);
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('the platform did not become ready');
    },
    /** SIGTERM (SIGKILL after 15 s), then the data dir goes. */
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await new Promise((r) => (exited ? r() : child.once('exit', r)));
        clearTimeout(killer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A JSON/multipart client of one base URL; `ip` is sent as X-Forwarded-For through the trusted loopback hop. */
export function apiClient(base) {
  return async function api(method, path, { token, json, form, ip } = {}) {
    const headers = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (json) headers['content-type'] = 'application/json';
    if (ip) headers['x-forwarded-for'] = ip;
    const res = await fetch(`${base}${path}`, { method, headers, body: json ? JSON.stringify(json) : form });
    const body = await res.json().catch(() => null);
    return { status: res.status, body };
  };
}

/** The envelope's `data` when the status is the expected one; otherwise the run fails, naming the step. */
export function expectStatus(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 1500)}`);
  return res.body.data;
}

/** The bootstrap admin's access token, making the forced first password change when asked to. */
export async function adminToken(api, admin) {
  const login = expectStatus(await api('POST', '/api/v1/auth/login', { json: { identifier: admin.email, password: admin.password } }), 200, 'admin login');
  if (!login.must_change_password) return login.access_token;
  const changed = await api('POST', '/api/v1/auth/change-password', { token: login.access_token, json: { current_password: admin.password, new_password: admin.newPassword } });
  return expectStatus(changed, 200, 'admin change-password').access_token;
}

/**
 * Benchmarks that run services as separate processes (`sicora serve <svc>`, a stub): each child tracked,
 * optionally pinned to a core with taskset, all killed and their data dirs removed past hardLimitMs.
 */
export function processGroup({ name, hardLimitMs, dirs = [], pin = false }) {
  const children = new Set();
  const guard = setTimeout(() => {
    console.error(`${name} bench: over ${hardLimitMs / 1000} s, stopping`);
    for (const e of children) e.child.kill('SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    process.exit(1);
  }, hardLimitMs);
  guard.unref();

  async function stop(entry) {
    if (entry.exited) return;
    entry.child.kill('SIGTERM');
    const killer = setTimeout(() => entry.child.kill('SIGKILL'), 15_000);
    await new Promise((r) => (entry.exited ? r() : entry.child.once('exit', r)));
    clearTimeout(killer);
  }

  return {
    children,
    /** Spawns `node <args>` (on `core` when pinning) with LOG_LEVEL=warn and the given environment; `node` another Node binary. */
    start(childName, args, env, core, node = process.execPath) {
      const cmd = pin ? 'taskset' : node;
      const argv = pin ? ['-c', String(core), node, ...args] : args;
      const child = spawn(cmd, argv, { cwd: root, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const entry = { name: childName, child, exited: false };
      child.once('exit', () => {
        entry.exited = true;
        children.delete(entry);
      });
      children.add(entry);
      return entry;
    },
    stop,
    /** Polls url until 200 while the child lives. */
    async waitReady(entry, url, timeoutMs = 180_000) {
      const started = performance.now();
      while (performance.now() - started < timeoutMs) {
        if (entry.exited) throw new Error(`${entry.name} exited before becoming ready`);
        try {
          if ((await fetch(url)).status === 200) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`${entry.name} did not become ready`);
    },
    /** Stops every child (last started first) and removes the data dirs. */
    async stopAll() {
      for (const e of [...children].reverse()) await stop(e);
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

/**
 * Production mode for part of the platform: `sicora serve` for `services` (gateway first in `services`,
 * ports from basePort in that order) on `databaseUrl`, users first (it holds the service clients and the
 * admin), the others in order, the gateway last; every service not served points at a closed port. Returns
 * the URL of each, the process group (to read pids) and the time to ready; `stop()` stops them all.
 */
export async function serveServices({ name, services, basePort, databaseUrl, hardLimitMs, admin, env = {} }) {
  const port = Object.fromEntries(services.map((s, i) => [s, basePort + i]));
  const url = (s) => `http://127.0.0.1:${port[s]}`;
  const dir = mkdtempSync(join(tmpdir(), `sicora-bench-${name}-pg-`));
  const group = processGroup({ name, hardLimitMs, dirs: [dir] });
  const secrets = Object.fromEntries(SERVICES.filter((s) => s !== 'users').map((s) => [s, `bench-${s}-${randomUUID()}`]));
  const common = {
    SICORA_DATA_DIR: dir, DATABASE_URL: databaseUrl, REDIS_URL: '', ...env,
    ...Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_URL`, port[s] ? url(s) : 'http://127.0.0.1:9'])),
  };
  const sicora = join(root, 'bin/sicora');
  const t0 = performance.now();
  try {
    const users = group.start('users', [sicora, 'serve', 'users'], { ...common, USERS_PORT: String(port.users), SERVICE_CLIENTS: JSON.stringify(secrets), SICORA_ADMIN_EMAIL: admin.email, SICORA_ADMIN_PASSWORD: admin.password });
    await group.waitReady(users, `${url('users')}/health/ready`);
    for (const s of [...services.filter((x) => x !== 'users' && x !== 'gateway'), 'gateway']) {
      const entry = group.start(s, [sicora, 'serve', s], { ...common, [`${s.toUpperCase()}_PORT`]: String(port[s]), SERVICE_CLIENT_SECRET: secrets[s] });
      await group.waitReady(entry, `${url(s)}/health/ready`);
    }
  } catch (err) {
    await group.stopAll();
    throw err;
  }
  return { url, group, ready_ms: Math.round(performance.now() - t0), stop: () => group.stopAll() };
}
