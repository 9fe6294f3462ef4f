#!/usr/bin/env node
// `npm run build`: the CLI and every service bundled to plain JavaScript in `dist/` with esbuild, so that
// `sicora start|serve|worker|migrate|seed` run compiled code instead of TypeScript through tsx.
//
// Why a bundle and not tsc emit: one ESM graph split into shared chunks loads in a fraction of the
// module resolutions (measured in #11: 0.75× the CPU of tsx and ~100 MB less), the workspace packages stay
// source-only (`@sicora/platform` exports its .ts files, which vitest and tsx read directly), and the build
// takes about a second, so `npm start` can afford to run it every time. npm packages stay external: they
// are already JavaScript and some load files beside themselves (PGlite's wasm, pino's transports).
//
// Layout: `dist/<id>/sicora.js` (bin/cli/main.ts), `dist/<id>/service-<name>.js` (each manifest),
// `dist/<id>/chunk-*.js`, and `dist/current.json` naming the newest build.
// `import.meta.url`/`import.meta.dirname` in a source file are rewritten to that source file's own
// location (relative to the repo, so `dist/` can move with it), because the code finds its migrations,
// the service table and static pages beside its source: `new URL('../drizzle', import.meta.url)`.
//
//   node scripts/build.mjs            build (prints the time)
//   node scripts/build.mjs --quiet    no output unless the build fails
// Development does not need it: `npm run dev` runs the sources under `tsx watch`, and bin/sicora rebuilds a
// stale dist/ by itself.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
const args = new Set(process.argv.slice(2));

/** Every folder under services/ with a manifest: the same rule as the platform's service table. */
function serviceEntries() {
  const entries = {};
  for (const name of readdirSync(join(ROOT, 'services'))) {
    const manifest = join(ROOT, 'services', name, 'src', 'service.ts');
    if (existsSync(manifest)) entries[`service-${name}`] = manifest;
  }
  return entries;
}

/** Bare imports outside the workspace stay `import 'x'` in the output and resolve from node_modules. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@sicora/') || args.path.startsWith('node:')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** `import.meta.url` of the source file, not of the output file it lands in (see the header). */
const sourceLocation = {
  name: 'source-location',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      let code = readFileSync(args.path, 'utf8');
      if (code.includes('import.meta.')) {
        const url = `new URL(${JSON.stringify(relative(ROOT, args.path).split(sep).join('/'))}, __SICORA_ROOT__).href`;
        code = code
          .replaceAll('import.meta.url', url)
          .replaceAll('import.meta.dirname', `decodeURIComponent(new URL('.', ${url}).pathname).replace(/\\/$/, '')`);
      }
      return { contents: code, loader: 'ts' };
    });
  },
};

/** How many builds stay in dist/: a process started from an older one may still import its chunks. */
const KEEP_BUILDS = 3;
const PRUNE_AFTER_MS = 10 * 60_000;

export const buildOptions = (id) => ({
  absWorkingDir: ROOT,
  entryPoints: { sicora: join(ROOT, 'bin/cli/main.ts'), ...serviceEntries() },
  // Every output file directly in dist/<id>/, so that each one finds the repo root the same way (banner).
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  outdir: join(DIST, id),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  banner: { js: "const __SICORA_ROOT__ = new URL('../../', import.meta.url);" },
  // The build's id: the manifest loader imports the services' entries from this same build.
  define: { __SICORA_COMPILED__: JSON.stringify(id) },
  plugins: [externalPackages, sourceLocation],
  logLevel: 'warning',
  metafile: true,
});

/**
 * Builds into a new folder `dist/<id>/` and then points `dist/current.json` at it (written whole, by
 * rename). A running process keeps importing from the build it started with (the services' apps and
 * seeds are imported lazily), so a rebuild never pulls chunks from under it; the newest builds stay.
 * `current.json` also lists the sources the bundle came from (bin/sicora rebuilds when one is newer).
 */
export async function buildOnce({ quiet = false } = {}) {
  const started = performance.now();
  const id = `${Date.now().toString(36)}-${process.pid.toString(36)}`;
  const result = await build(buildOptions(id));
  const pointer = join(DIST, `current.json.${process.pid}`);
  writeFileSync(pointer, JSON.stringify({ id, inputs: Object.keys(result.metafile.inputs) }));
  renameSync(pointer, join(DIST, 'current.json'));
  const builds = readdirSync(DIST, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== id)
    .map((d) => ({ name: d.name, at: statSync(join(DIST, d.name)).mtimeMs }))
    .sort((x, y) => y.at - x.at);
  // Several `sicora` processes started together while sources change each build; one that has just picked
  // a build is still importing its chunks, so a build goes only when it is both old and not among the newest.
  const cutoff = Date.now() - PRUNE_AFTER_MS;
  for (const old of builds.slice(KEEP_BUILDS - 1)) if (old.at < cutoff) rmSync(join(DIST, old.name), { recursive: true, force: true });
  if (!quiet) {
    const outputs = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js')).length;
    process.stdout.write(`build: ${outputs} files in dist/${id}/ in ${Math.round(performance.now() - started)} ms\n`);
  }
  return id;
}

async function main() {
  await buildOnce({ quiet: args.has('--quiet') });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    process.stderr.write(`build failed: ${err.message}\n`);
    process.exit(1);
  });
}
