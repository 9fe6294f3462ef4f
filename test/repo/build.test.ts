/**
 * The compiled build (scripts/build.mjs) and the launcher that runs it (bin/sicora): every service is in
 * the bundle, the bundle is plain JavaScript that finds the files its sources read beside themselves, a
 * source edited after the build is rebuilt before the next run, and an older Node hands over to the pinned
 * one.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_CATALOGUE } from '@sicora/platform/services';

const ROOT = join(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const run = promisify(execFile);
const PINNED = join(ROOT, 'node_modules', 'node', 'bin', 'node');
/** A node from PATH other than the pinned one (the machine's own), if there is one. */
const SYSTEM_NODE = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => existsSync(p));
const SYSTEM_MAJOR = SYSTEM_NODE ? Number(execFileSync(SYSTEM_NODE, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' })) : undefined;

/** Child processes must not think they are vitest workers. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VITEST') && k !== 'NODE_OPTIONS') out[k] = v;
  return { ...out, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn', ...extra };
}

type Builder = { buildOnce: (o: { quiet: boolean }) => Promise<string> };
const builder = async () => (await import(pathToFileURL(join(ROOT, 'scripts', 'build.mjs')).href)) as Builder;
const current = () => JSON.parse(readFileSync(join(DIST, 'current.json'), 'utf8')) as { id: string; inputs: string[] };
let BUILD: string;

beforeAll(async () => {
  BUILD = await (await builder()).buildOnce({ quiet: true });
}, 60_000);

describe('npm run build', () => {
  it('when built, then every service of the service table has its entry and the bundle imports no TypeScript', () => {
    expect(current().id).toBe(BUILD);
    const out = join(DIST, BUILD);
    for (const s of SERVICE_CATALOGUE) expect(existsSync(join(out, `service-${s.name}.js`)), s.name).toBe(true);
    expect(existsSync(join(out, 'sicora.js'))).toBe(true);
    for (const file of readdirSync(out).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(out, file), 'utf8');
      expect(code, file).not.toMatch(/from\s*["'][^"']+\.ts["']|import\(["'][^"']+\.ts["']\)/);
      expect(code, file).not.toMatch(/["']tsx(\/[^"']*)?["']/);
      expect(code, file).not.toContain('import.meta.dirname');
    }
    const inputs = current().inputs;
    expect(inputs).toContain('bin/cli/main.ts');
    for (const s of SERVICE_CATALOGUE) expect(inputs).toContain(`services/${s.name}/src/service.ts`);
  });

  it('when the bundle migrates a service, then it finds the migrations beside the service\'s source, not beside dist/', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sicora-build-'));
    try {
      const out = await run(PINNED, [join(DIST, BUILD, 'sicora.js'), 'migrate', 'schedules'], { cwd: tmpdir(), env: env({ SICORA_DATA_DIR: dataDir }), timeout: 60_000 });
      expect(out.stdout).toContain('migraciones aplicadas: schedules');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('bin/sicora', () => {
  const source = join(ROOT, 'bin', 'cli', 'seeds.ts');
  let original: { atime: Date; mtime: Date };
  beforeAll(() => {
    const st = statSync(source);
    original = { atime: st.atime, mtime: st.mtime };
  });
  afterAll(() => utimesSync(source, original.atime, original.mtime));

  it('when run, then it runs the compiled bundle on Node 24; with SICORA_SOURCE=1 the TypeScript', async () => {
    const compiled = await run(PINNED, [join(ROOT, 'bin', 'sicora'), 'version'], { env: env(), timeout: 30_000 });
    expect(compiled.stdout).toMatch(new RegExp(`^sicora \\(Node v24\\.\\d+\\.\\d+, compiled, build ${current().id}\\)`));
    const source = await run(PINNED, [join(ROOT, 'bin', 'sicora'), 'version'], { env: env({ SICORA_SOURCE: '1' }), timeout: 30_000 });
    expect(source.stdout).toMatch(/TypeScript via tsx/);
  }, 60_000);

  it('when a rebuild happens, then the older builds stay importable for the processes started from them', async () => {
    const before = current().id;
    const next = await (await builder()).buildOnce({ quiet: true });
    expect(next).not.toBe(before);
    expect(current().id).toBe(next);
    const older = readFileSync(join(DIST, before, 'service-gateway.js'), 'utf8');
    for (const chunk of older.match(/chunk-[A-Z0-9]+\.js/g) ?? []) expect(existsSync(join(DIST, before, chunk)), chunk).toBe(true);
  }, 60_000);

  it('when a source is newer than the bundle, then it rebuilds before running', async () => {
    const stamp = join(DIST, 'current.json');
    const builtAt = statSync(stamp).mtimeMs;
    const edited = new Date(builtAt + 10);
    utimesSync(source, edited, edited);
    await run(PINNED, [join(ROOT, 'bin', 'sicora'), 'version'], { env: env(), timeout: 60_000 });
    expect(statSync(stamp).mtimeMs).toBeGreaterThan(edited.getTime());
    // …and a fresh bundle is not rebuilt again.
    const rebuilt = current().id;
    const again = await run(PINNED, [join(ROOT, 'bin', 'sicora'), 'version'], { env: env(), timeout: 60_000 });
    expect(current().id).toBe(rebuilt);
    expect(again.stdout).toContain(`build ${rebuilt}`);
  }, 90_000);

  // Only where the machine's own Node is older (this CI machine has Node 20); elsewhere there is nothing to hand over.
  it.runIf(SYSTEM_MAJOR !== undefined && SYSTEM_MAJOR < 24)(
    'when started by an older Node, then it hands over to the pinned Node 24',
    async () => {
      const out = await run(SYSTEM_NODE!, [join(ROOT, 'bin', 'sicora'), 'version'], { env: env(), timeout: 30_000 });
      expect(out.stdout).toMatch(/Node v24\./);
    },
    60_000,
  );
});
