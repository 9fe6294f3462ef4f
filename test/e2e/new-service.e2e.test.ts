/**
 * "Adding a service is `npm run new:service demo`": in a throw-away copy of the repository, the generator
 * writes services/demo and nothing else (bar npm's two lock entries for the new workspace); `sicora start`
 * then runs it, the gateway reports it up and routes /api/v1/demo to it; and the demo's own tests plus the
 * shared platform suite cover it above the 80 % floor that `npm test` enforces from the service table.
 * Nothing is installed: the copy links the original's node_modules, except its own @sicora workspace links.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const NAME = 'demo';

let copy: string;
let dataDir: string;
const children = new Set<ChildProcess>();

/** The working tree's files (tracked and new, not ignored), so the copy is what `git status` would show. */
function copyRepository(from: string, to: string): void {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: from, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    const source = join(from, file);
    if (!existsSync(source) || !lstatSync(source).isFile()) continue; // deleted in the working tree
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(source, join(to, file));
  }
  // Every dependency is the original's; the workspace links are relative (../../services/x), so they are
  // recreated inside the copy to point at the copy's own packages and services.
  const modules = join(from, 'node_modules');
  mkdirSync(join(to, 'node_modules', '@sicora'), { recursive: true });
  for (const entry of readdirSync(modules)) {
    if (entry === '@sicora') {
      for (const link of readdirSync(join(modules, entry))) symlinkSync(readlinkSync(join(modules, entry, link)), join(to, 'node_modules', entry, link));
    } else if (!entry.startsWith('.') || entry === '.bin') {
      symlinkSync(join(modules, entry), join(to, 'node_modules', entry));
    }
  }
}

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@sicora.test', '-c', 'init.defaultBranch=main', ...args], { cwd: copy, encoding: 'utf8' });
}

/** The outer vitest's own variables would make a nested vitest (or the platform) think it is a test worker. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^VITEST/.test(k) && k !== 'SICORA_TEST_PGLITE_SNAPSHOT') env[k] = v;
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

/** Starts a child in its own process group, so stopping it also stops what it forked (vitest's workers). */
function launch(command: string, args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number> } {
  const child = spawn(command, args, { cwd: copy, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? (signal ? 128 : 1));
    }),
  );
  return { child, output: () => out, exited };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const force = setTimeout(() => signal('SIGKILL'), 15_000);
  await gone;
  clearTimeout(force);
}

/** Runs to completion, killed (with its group) after `timeoutMs`. */
async function run(command: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ code: number; output: string }> {
  const p = launch(command, args, env);
  const timer = setTimeout(() => void stop(p.child), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, output: p.output() };
}

/** The copy's service table, read the way the platform reads it: every services/<name> with a "sicora" block. */
function serviceNames(): string[] {
  return readdirSync(join(copy, 'services')).filter((n) => {
    const file = join(copy, 'services', n, 'package.json');
    return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).sicora !== undefined;
  });
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'sicora-new-service-'));
  dataDir = mkdtempSync(join(tmpdir(), 'sicora-new-service-data-'));
  copyRepository(ROOT, copy);
  expect(realpathSync(join(copy, 'node_modules/@sicora/platform'))).toBe(realpathSync(join(copy, 'packages/platform')));
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '--no-gpg-sign', '-m', 'before new:service');
}, 120_000);

afterAll(async () => {
  await Promise.all([...children].map(stop));
  if (copy) rmSync(copy, { recursive: true, force: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('npm run new:service', () => {
  it('when run for demo, then services/demo has the one-service shape and nothing else changed but npm\'s lock entries', async () => {
    const before = JSON.parse(readFileSync(join(copy, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    const generated = await run('npm', ['run', '--silent', 'new:service', '--', NAME], cleanEnv(), 120_000);
    expect(generated.code, generated.output).toBe(0);

    const prefix = `services/${NAME}/`;
    const changed = git('status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean).map((l) => l.slice(3));
    expect(changed.filter((p) => !p.startsWith(prefix))).toEqual(['package-lock.json']);
    expect(changed.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length)).sort()).toEqual([
      'README.md',
      'drizzle.config.ts',
      'drizzle/0000_init.sql',
      'drizzle/meta/0000_snapshot.json',
      'drizzle/meta/_journal.json',
      'package.json',
      'src/app.ts',
      'src/application/context.ts',
      'src/application/notes.job.ts',
      'src/application/notes.service.ts',
      'src/application/ports.ts',
      'src/application/views.ts',
      'src/config.ts',
      'src/domain/note.test.ts',
      'src/domain/note.ts',
      'src/http/notes.routes.ts',
      'src/http/notes.schemas.ts',
      'src/infrastructure/db/schema.ts',
      'src/infrastructure/notes.repo.ts',
      'src/infrastructure/repositories.ts',
      'src/service.ts',
      'test/harness.ts',
      'test/notes.api.test.ts',
      'test/notes.job.test.ts',
    ]);
    // The lock gains exactly the workspace's two entries (without them `npm ci` refuses the tree).
    const after = JSON.parse(readFileSync(join(copy, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    const added = Object.keys(after.packages).filter((k) => !(k in before.packages));
    expect(added.sort()).toEqual([`node_modules/@sicora/${NAME}`, `services/${NAME}`]);
    expect(Object.fromEntries(Object.keys(before.packages).map((k) => [k, after.packages[k]]))).toEqual(before.packages);

    const table = JSON.parse(readFileSync(join(copy, 'services', NAME, 'package.json'), 'utf8')).sicora;
    const others = serviceNames().filter((n) => n !== NAME).map((n) => JSON.parse(readFileSync(join(copy, 'services', n, 'package.json'), 'utf8')).sicora);
    expect(table).toMatchObject({ label: NAME, critical: false });
    expect(table.port).toBeGreaterThan(Math.max(...others.map((s: { port: number }) => s.port)));
    expect(others.map((s: { order: number }) => s.order)).not.toContain(table.order);

    // The generated code keeps the layer rules it teaches.
    const lint = await run(process.execPath, [join(copy, 'node_modules/eslint/bin/eslint.js'), `services/${NAME}`], cleanEnv(), 120_000);
    expect(lint.code, lint.output).toBe(0);
  }, 240_000);

  it('when the name is taken, malformed or reserved, then the generator refuses and writes nothing', async () => {
    for (const name of [NAME, 'Demo', '9lives', 'platform', 'a']) {
      const refused = await run(process.execPath, ['scripts/new-service.mjs', name], cleanEnv(), 30_000);
      expect(refused.code, `${name}: ${refused.output}`).toBe(2);
    }
    expect(git('status', '--porcelain', '--untracked-files=all').split('\n').filter((l) => l && !l.slice(3).startsWith(`services/${NAME}/`))).toEqual([' M package-lock.json']);
  }, 120_000);

  it('when the platform starts, then the gateway reports demo up and routes /api/v1/demo to it', async () => {
    const env = cleanEnv({ SICORA_DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn', MAIL_SINK_PORT: String(await freePort()) });
    const urls: Record<string, string> = {};
    for (const name of serviceNames()) {
      const port = await freePort();
      urls[name] = `http://127.0.0.1:${port}`;
      env[`${name.toUpperCase()}_PORT`] = String(port);
      env[`${name.toUpperCase()}_URL`] = urls[name];
    }
    expect(urls[NAME]).toBeDefined();
    const platform = launch(process.execPath, ['bin/sicora', 'start'], env);
    try {
      type Report = { services: Array<{ name: string; display_name: string; status: string; critical: boolean }> };
      const deadline = Date.now() + 180_000;
      let report: Report | undefined;
      while (Date.now() < deadline && platform.child.exitCode === null) {
        try {
          const body = (await (await fetch(`${urls.gateway}/health`)).json()) as { data?: Report; error?: { details?: Report } };
          report = body.data ?? body.error?.details;
          if (report?.services.some((s) => s.name === NAME && s.status === 'up')) break;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(report?.services.find((s) => s.name === NAME), platform.output()).toEqual(expect.objectContaining({ name: NAME, display_name: NAME, status: 'up', critical: false }));

      // Through the gateway with a real token: the administrator created on this first start.
      while (!/contraseña:\s+\S+/.test(platform.output()) && platform.child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const email = /correo:\s+(\S+)/.exec(platform.output())?.[1];
      const password = /contraseña:\s+(\S+)/.exec(platform.output())?.[1];
      expect(email && password, platform.output()).toBeTruthy();
      const post = (path: string, body: unknown, token?: string) =>
        fetch(`${urls.gateway}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        });
      const login = await post('/api/v1/auth/login', { identifier: email, password });
      expect(login.status).toBe(200);
      const first = ((await login.json()) as { data: { access_token: string } }).data.access_token;
      const changed = await post('/api/v1/auth/change-password', { current_password: password, new_password: 'Notas#Servicio-2027' }, first);
      expect(changed.status).toBe(200);
      const token = ((await changed.json()) as { data: { access_token: string } }).data.access_token;

      const created = await post(`/api/v1/${NAME}/notes`, { title: 'Primera nota' }, token);
      expect(created.status).toBe(201);
      const note = ((await created.json()) as { data: { id: string; title: string } }).data;
      expect(note.title).toBe('Primera nota');
      const listed = await fetch(`${urls.gateway}/api/v1/${NAME}/notes`, { headers: { authorization: `Bearer ${token}` } });
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as { data: Array<{ id: string }> }).data.map((n) => n.id)).toContain(note.id);
    } finally {
      await stop(platform.child);
    }
  }, 300_000);

  it('when its tests and the platform suite run with coverage, then demo is covered above the 80 % floor npm test enforces', async () => {
    // The floor comes from the service table: demo has one without any edit to vitest.config.ts.
    const floors = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', "const c = (await import('./vitest.config.ts')).default; console.log(JSON.stringify(c.test.coverage.thresholds))"],
      cleanEnv(),
      60_000,
    );
    expect(floors.code, floors.output).toBe(0);
    expect(JSON.parse(floors.output.trim().split('\n').at(-1)!)).toMatchObject({ [`services/${NAME}/src/**`]: { lines: 80 } });

    // The demo's tests and the platform suite's demo cases: a subset of `npm test`, so its coverage is a floor of the real one.
    const vitest = join(copy, 'node_modules/vitest/vitest.mjs');
    const args = ['run', '--project', 'component', `services/${NAME}`, 'test/repo/platform-routes.test.ts', '-t', `\\b${NAME}\\b`];
    const tested = await run(process.execPath, [vitest, ...args, '--coverage', `--coverage.include=services/${NAME}/src/**`], cleanEnv(), 300_000);
    expect(tested.code, tested.output.slice(-4000)).toBe(0);
    expect(tested.output).toMatch(/platform-routes\.test\.ts/);

    const summary = JSON.parse(readFileSync(join(copy, 'coverage', 'coverage-summary.json'), 'utf8')) as Record<string, { lines: { pct: number } }>;
    expect(summary.total.lines.pct).toBeGreaterThanOrEqual(80);
    const files = Object.keys(summary).filter((k) => k !== 'total');
    expect(files.every((f) => f.includes(`/services/${NAME}/src/`))).toBe(true);
    // The manifest is loaded only by the platform suite: its coverage proves that suite ran for demo.
    expect(summary[files.find((f) => f.endsWith(`/services/${NAME}/src/service.ts`))!].lines.pct).toBeGreaterThan(0);
  }, 400_000);
});
