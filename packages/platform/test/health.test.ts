import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { HealthRegistry } from '../src/health.ts';
import { closeOnSignals, listen, listenUrl } from '../src/lifecycle.ts';
import { createServer } from '../src/server.ts';

describe('HealthRegistry', () => {
  it('when every required check passes, then the report is ready, optional failures notwithstanding', async () => {
    const health = new HealthRegistry();
    health.add('database', { required: true, run: async () => undefined });
    health.add('sync', { required: true, run: () => true });
    health.add('cache', { required: false, run: () => false });
    health.add('search', { required: false, run: async () => { throw new Error('down'); } });
    expect(await health.report()).toEqual({ status: 'ready', checks: { database: 'ok', sync: 'ok', cache: 'error', search: 'error' } });
  });

  it('when a required check throws, resolves false or hangs past its timeout, then it is an error and the report not ready', async () => {
    const health = new HealthRegistry();
    health.add('throws', { required: true, run: () => { throw new Error('sync throw'); } });
    const started = Date.now();
    health.add('hangs', { required: true, timeoutMs: 100, run: () => new Promise<void>(() => undefined) });
    const report = await health.report();
    expect(report).toEqual({ status: 'not_ready', checks: { throws: 'error', hangs: 'error' } });
    expect(Date.now() - started).toBeLessThan(1500);

    const falsy = new HealthRegistry();
    falsy.add('redis', { required: true, run: async () => false });
    expect(await falsy.report()).toEqual({ status: 'not_ready', checks: { redis: 'error' } });
  });

  it('when checks are slow, then they run in parallel within one timeout', async () => {
    const health = new HealthRegistry();
    for (const name of ['a', 'b', 'c']) health.add(name, { required: true, timeoutMs: 1000, run: () => new Promise<void>((r) => setTimeout(r, 150)) });
    const started = Date.now();
    expect((await health.report()).status).toBe('ready');
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('when a dependency is not configured, then it is listed as not_configured and never run', async () => {
    const health = new HealthRegistry();
    let ran = false;
    health.add('redis', { required: true, run: () => { ran = true; return false; } });
    health.markNotConfigured('redis');
    health.markNotConfigured('smtp');
    expect(await health.report()).toEqual({ status: 'ready', checks: { redis: 'not_configured', smtp: 'not_configured' } });
    expect(ran).toBe(false);
    health.add('smtp', { required: false, run: () => true });
    expect((await health.report()).checks).toEqual({ redis: 'not_configured', smtp: 'ok' });
  });

  it('when the process is shutting down, then readiness turns not ready while checks still report', async () => {
    const health = new HealthRegistry();
    health.add('database', { required: true, run: () => true });
    health.shuttingDown = true;
    expect(await health.report()).toEqual({ status: 'not_ready', checks: { database: 'ok' } });
  });
});

describe('listen', () => {
  it('when a server listens on port 0, then the returned URL reaches it and close stops it', async () => {
    const app = await createServer({ name: 'probe', config: { logLevel: 'silent', corsOrigins: ['*'], bodyLimit: 1024, publicBaseUrl: 'http://localhost:8000' } });
    const server = await listen(app, '127.0.0.1', 0);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/health`);
    expect(await res.json()).toMatchObject({ status: 'ok', service: 'probe' });
    await server.close();
    expect(app.health.shuttingDown).toBe(true);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });

  it('when the host is an IPv6 literal or a wildcard, then the URL is one a client can use', () => {
    expect(listenUrl('::1', 8001)).toBe('http://[::1]:8001');
    expect(listenUrl('::', 8001)).toBe('http://[::1]:8001');
    expect(listenUrl('0.0.0.0', 8002)).toBe('http://127.0.0.1:8002');
    expect(listenUrl('localhost', 8003)).toBe('http://localhost:8003');
  });
});

describe('closeOnSignals', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sicora-signal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when a second signal arrives while closing or close fails, then close ran once and the exit code tells', async () => {
    const exits: Array<number | undefined> = [];
    const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      exits.push(code);
    }) as typeof process.exit);
    const before = new Set(process.listeners('SIGINT'));
    try {
      let closes = 0;
      let release!: () => void;
      const logged: string[] = [];
      closeOnSignals(() => { closes += 1; return new Promise<void>((r) => { release = r; }); }, (m) => logged.push(m));
      process.emit('SIGINT', 'SIGINT');
      // A second signal while the first close is still running forces the exit (close-with-grace).
      process.emit('SIGTERM', 'SIGTERM');
      release();
      await new Promise((r) => setTimeout(r, 10));
      expect({ closes, exits: exits.slice(0, 2), first: logged[0] }).toEqual({ closes: 1, exits: [1, 0], first: 'SIGINT received, shutting down' });
    } finally {
      for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'] as const) {
        for (const l of process.listeners(sig)) if (!before.has(l)) process.removeListener(sig, l);
      }
      exit.mockRestore();
    }
  });

  it('when close fails, then the process exits 1', async () => {
    const exits: Array<number | undefined> = [];
    const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      exits.push(code);
    }) as typeof process.exit);
    const before = new Set(process.listeners('SIGTERM'));
    try {
      closeOnSignals(async () => { throw new Error('close failed'); });
      process.emit('SIGTERM', 'SIGTERM');
      await new Promise((r) => setTimeout(r, 10));
      expect(exits[0]).toBe(1);
    } finally {
      for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'] as const) {
        for (const l of process.listeners(sig)) if (!before.has(l)) process.removeListener(sig, l);
      }
      for (const ev of ['uncaughtException', 'unhandledRejection'] as const) process.removeAllListeners(ev);
      exit.mockRestore();
    }
  });

  it('when SIGTERM arrives, then close runs once and the process exits 0', async () => {
    const lifecycle = fileURLToPath(new URL('../src/lifecycle.ts', import.meta.url));
    const marker = join(dir, 'closed.txt');
    const script = join(dir, 'child.ts');
    writeFileSync(
      script,
      [
        `import { appendFileSync } from 'node:fs';`,
        `import { closeOnSignals } from ${JSON.stringify(lifecycle)};`,
        `closeOnSignals(async () => { appendFileSync(${JSON.stringify(marker)}, 'closed\\n'); }, (m) => console.log(m));`,
        `setInterval(() => undefined, 1000);`,
        `console.log('ready');`,
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: fileURLToPath(new URL('../../..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      if (out.includes('ready') && !child.killed) {
        child.kill('SIGTERM');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(out).toContain('SIGTERM received, shutting down');
    expect(readFileSync(marker, 'utf8')).toBe('closed\n');
  });
});
