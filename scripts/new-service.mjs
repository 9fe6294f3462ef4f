#!/usr/bin/env node
// `npm run new:service <name> [-- --description "<one line>"]`: writes services/<name>/ in the shape of
// services/schedules, the model service (01-architecture §3), from scripts/templates/new-service: a `notes`
// example resource through every layer (repositories behind a unit of work, use cases over injected deps,
// a route plugin with its schemas, a daily job on the platform scheduler), its migration, its tests; plus
// the package.json whose "sicora" block puts the service in the service table. Nothing else is edited by
// hand: the CLI, the embedded start, the coverage floors, the shared platform suite and the gateway's
// routes all read the table (docs/new-service.md). The one change outside the folder is npm's own: the
// lock file records each workspace (two entries), or `npm ci` refuses to install; npm writes them here,
// offline, so the lock matches the tree that was just created.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TEMPLATES = join(ROOT, 'scripts', 'templates', 'new-service');
const SERVICES = join(ROOT, 'services');

// Same rule as the service table (packages/platform/src/services.ts): the name is the folder, the Postgres
// schema and the `<NAME>_…` variable prefix, so only lower-case letters and digits, starting with a letter.
const NAME = /^[a-z][a-z0-9]{1,29}$/;
// Taken by workspace packages (`@sicora/<name>`) or by the platform's own words.
const RESERVED = new Set(['platform', 'client', 'web', 'public', 'api', 'docs', 'health', 'metrics', 'sicora']);
// Generated services start after the domain services and before notification (order 80), which others call.
const ORDER_CANDIDATES = [75, 76, 77, 78, 79, 71, 72, 73, 74, ...Array.from({ length: 19 }, (_, i) => 81 + i)];

function usage(message) {
  process.stderr.write(`${message}\n\nUso: npm run new:service <nombre> [-- --description "<una línea>"]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  let name;
  let description;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--description') description = argv[++i];
    else if (arg.startsWith('--description=')) description = arg.slice('--description='.length);
    else if (arg.startsWith('-')) usage(`opción desconocida: ${arg}`);
    else if (name === undefined) name = arg;
    else usage(`sobra el argumento: ${arg}`);
  }
  if (name === undefined) usage('falta el nombre del servicio');
  if (description !== undefined && (description.trim() === '' || /[\r\n]/.test(description))) usage('--description es una sola línea no vacía');
  return { name, description: description?.trim() };
}

/** Every service folder's "sicora" block (the service table), and the names taken by other packages. */
function readTable() {
  const services = [];
  for (const dir of readdirSync(SERVICES, { withFileTypes: true })) {
    const file = join(SERVICES, dir.name, 'package.json');
    if (!dir.isDirectory() || !existsSync(file)) continue;
    const block = JSON.parse(readFileSync(file, 'utf8')).sicora;
    if (block) services.push({ name: dir.name, port: block.port, order: block.order });
  }
  const packages = existsSync(join(ROOT, 'packages')) ? readdirSync(join(ROOT, 'packages')) : [];
  return { services, packages };
}

function validate(name, table) {
  if (!NAME.test(name)) usage(`nombre no válido: "${name}" (minúsculas y dígitos, empieza por letra, 2 a 30 caracteres)`);
  if (RESERVED.has(name) || table.packages.includes(name)) usage(`"${name}" está reservado`);
  if (existsSync(join(SERVICES, name))) usage(`services/${name} ya existe`);
}

/** The next port above every service's, skipping any already taken. */
function nextPort(services) {
  const used = new Set(services.map((s) => s.port));
  let port = Math.max(8000, ...services.map((s) => s.port)) + 1;
  while (used.has(port)) port += 1;
  return port;
}

function nextOrder(services) {
  const used = new Set(services.map((s) => s.order));
  const order = ORDER_CANDIDATES.find((o) => !used.has(o));
  if (order === undefined) usage('no queda un lugar libre en el orden de arranque (71–99)');
  return order;
}

function* templateFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* templateFiles(path);
    else yield path;
  }
}

const pascal = (name) => name[0].toUpperCase() + name.slice(1);
const tsString = (text) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function render(text, file, values) {
  // In TypeScript the description sits inside a quoted string; elsewhere (README) it is plain text.
  const quoted = file.endsWith('.ts') ? text.replaceAll("'__DESCRIPTION__'", tsString(values.description)) : text;
  return quoted
    .replaceAll('__DESCRIPTION__', values.description)
    .replaceAll('__SNAPSHOT_ID__', values.snapshotId)
    .replaceAll('__name__', values.name)
    .replaceAll('__Name__', pascal(values.name))
    .replaceAll('__NAME__', values.name.toUpperCase());
}

function write(target, rel, content) {
  const path = join(target, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return rel;
}

/** Adds the workspace's two entries to package-lock.json through npm itself (no download, no node_modules). */
function recordWorkspace() {
  if (!existsSync(join(ROOT, 'package-lock.json'))) return true;
  try {
    execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return true;
  } catch (err) {
    process.stderr.write(`aviso: package-lock.json no se actualizó (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); ejecute npm install\n`);
    return false;
  }
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const table = readTable();
  validate(args.name, table);
  const name = args.name;
  const port = nextPort(table.services);
  const order = nextOrder(table.services);
  const values = { name, description: args.description ?? `${pascal(name)} service.`, snapshotId: randomUUID() };
  const target = join(SERVICES, name);

  const written = [];
  for (const file of templateFiles(TEMPLATES)) {
    const rel = relative(TEMPLATES, file);
    written.push(write(target, rel, render(readFileSync(file, 'utf8'), rel, values)));
  }
  const pkg = {
    name: `@sicora/${name}`,
    private: true,
    version: '0.1.0',
    type: 'module',
    description: `SICORA ${name} service: ${values.description.replace(/\.$/, '')}`,
    // The service table (packages/platform/src/services.ts): default port, start-up order, the label the
    // gateway shows, and whether the platform is down without this service.
    sicora: { port, order, label: name, critical: false },
    dependencies: { '@sicora/platform': '*' },
  };
  written.push(write(target, 'package.json', `${JSON.stringify(pkg, null, 2)}\n`));
  // drizzle's migrator applies what the journal lists; `when` orders migrations, so it is the creation time.
  const journal = { version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: Date.now(), tag: '0000_init', breakpoints: true }] };
  written.push(write(target, join('drizzle', 'meta', '_journal.json'), `${JSON.stringify(journal, null, 2)}\n`));
  const locked = recordWorkspace();

  process.stdout.write(
    [
      `services/${name} creado (puerto ${port}, orden de arranque ${order}):`,
      ...written.sort().map((f) => `  ${f}`),
      ...(locked ? [`package-lock.json: espacio de trabajo @sicora/${name} registrado`] : []),
      '',
      'Siguientes pasos:',
      `  npm start                       ${name} arranca con la plataforma; el gateway lo enruta en /api/v1/${name}`,
      `  npx vitest run services/${name}   sus pruebas (y test/repo/platform-routes.test.ts lo cubre)`,
      '  docs/new-service.md             qué va en cada archivo y las reglas de capas',
      '',
    ].join('\n'),
  );
}

main();
