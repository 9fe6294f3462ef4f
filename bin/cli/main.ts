/**
 * sicora start | serve <service> | migrate [service…] | seed [--demo]
 */
import { readEnv } from '@sicora/platform/config';
import { runMigrations, type Database } from '@sicora/platform/db';
import { closeOnSignals, listen } from '@sicora/platform/lifecycle';
import { openServiceDatabase } from '@sicora/platform/service';
import { findManifest, loadManifests } from '@sicora/platform/manifests';
import { SERVICE_NAMES } from '@sicora/platform/services';
import { initdbSnapshot, saveTemplate } from '@sicora/platform/pglite-template';
import { migrateAll, openEmbedded, openEmbeddedDatabase, startEmbedded } from './embedded.ts';
import { runBootstrap, runHttpSeeds, runLocalSeeds } from './seeds.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const USAGE = `Uso: sicora <comando>

  start                 todos los servicios y el gateway en un proceso (PGlite embebido, datos demo)
  serve <servicio>      un servicio con los back ends de producción del entorno (DATABASE_URL, REDIS_URL…)
  worker <servicio>     los trabajadores de un servicio como proceso propio (notification)
  migrate [servicio…]   aplica las migraciones (todas, o las de los servicios nombrados)
  seed [--demo]         arranque inicial (claves, clientes de servicio, admin) y, con --demo, datos demo
  template              prepara la plantilla de PGlite (initdb y migraciones) para que el primer arranque sea rápido
  version               la versión de Node y si corre el código compilado (dist/) o el fuente

Servicios: ${SERVICE_NAMES.join(', ')}`;

async function waitForGateway(url: string, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/health`);
      last = await res.json();
      if (res.status === 200) return last;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

async function start(): Promise<void> {
  const started = Date.now();
  const platform = await startEmbedded();
  const gateway = platform.servers.find((s) => s.name === 'gateway');
  const health = gateway ? await waitForGateway(gateway.url, 30_000) : undefined;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const lines = [
    '',
    `SICORA listo en ${seconds} s (datos: ${platform.dataDir})`,
    ...platform.servers.map((s) => `  ${s.name.padEnd(13)} ${s.url}   docs: ${s.url}/docs`),
    '',
  ];
  const status = (health as { data?: { status?: string } } | undefined)?.data?.status;
  lines.push(`  salud de la plataforma: ${status ?? 'desconocida'} (${gateway?.url ?? ''}/health)`);
  if (platform.bootstrap.createdAdmin) {
    // Printed once, on the start that created the admin; never logged.
    lines.push(
      '',
      '  Primer ingreso del administrador (cámbiela al entrar):',
      `    correo:     ${platform.bootstrap.createdAdmin.email}`,
      `    contraseña: ${platform.bootstrap.createdAdmin.password}`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n\n');
  closeOnSignals(platform.close);
}

async function serve(name: string | undefined): Promise<void> {
  const entry = name ? await findManifest(name) : undefined;
  if (!entry) throw new UsageError(`servicio desconocido: ${name ?? '(ninguno)'}`);
  const config = entry.loadConfig(readEnv());
  // The users service reports a bootstrap admin it created with a generated password: shown once here,
  // on the terminal, never through the logger (users.md §11).
  const onBootstrap = ({ createdAdmin }: { createdAdmin?: { email: string; password: string } }) => {
    if (createdAdmin) process.stdout.write(`\nAdministrador creado: ${createdAdmin.email}  contraseña inicial: ${createdAdmin.password}\n\n`);
  };
  const app = await entry.buildApp(config, { onBootstrap });
  const server = await listen(app, config.host, config.port);
  app.log.info({ url: server.url }, `${entry.name} listening`);
  closeOnSignals(server.close, (msg) => app.log.info(msg));
}

async function worker(name: string | undefined): Promise<void> {
  const withWorkers = (await loadManifests()).filter((m) => m.worker);
  const entry = withWorkers.find((m) => m.name === name);
  if (!entry?.worker) {
    throw new UsageError(`servicios con trabajador: ${withWorkers.map((m) => m.name).join(', ')} (recibido: ${name ?? '(ninguno)'})`);
  }
  const config = entry.loadConfig(readEnv());
  const database = await openServiceDatabase(config);
  const running = await entry.worker(config, database);
  process.stdout.write(`trabajador de ${entry.name} en marcha (salud: ${running.url ?? 'sin servidor'})\n`);
  closeOnSignals(async () => {
    await running.stop();
    await database.close();
  });
}

async function migrate(names: string[]): Promise<void> {
  const env = readEnv();
  const all = await loadManifests();
  const targets = names.length > 0 ? names.map((n) => all.find((m) => m.name === n) ?? fail(n)) : all;
  // Services without a database URL share the one embedded PGlite of the data dir, opened once.
  let embedded: Database | undefined;
  try {
    for (const s of targets) {
      const config = s.loadConfig(env);
      const own = config.databaseUrl ? await openServiceDatabase(config) : undefined;
      const database = own ?? (embedded ??= await openEmbeddedDatabase(resolve(config.dataDir)));
      try {
        await runMigrations(database, { schema: s.name, migrationsFolder: s.migrationsFolder });
      } finally {
        await own?.close();
      }
      process.stdout.write(`migraciones aplicadas: ${s.name}\n`);
    }
  } finally {
    await embedded?.close();
  }
}

async function seed(flags: string[]): Promise<void> {
  const env = readEnv();
  const manifests = await loadManifests();
  const owner = manifests.find((m) => m.bootstrap);
  if (!owner) throw new Error('no service bootstraps the platform');
  const config = owner.loadConfig(env);
  const database = config.databaseUrl ? await openServiceDatabase(config) : await openEmbeddedDatabase(resolve(config.dataDir));
  try {
    if (!config.databaseUrl) await migrateAll(database, manifests);
    const result = await runBootstrap(manifests, { ...env, SICORA_DATA_DIR: resolve(config.dataDir) }, database);
    if (result.createdAdmin) {
      process.stdout.write(`Administrador creado: ${result.createdAdmin.email} / ${result.createdAdmin.password}\n`);
    }
    if (flags.includes('--demo')) {
      await runLocalSeeds(manifests, env, database);
      if (!config.databaseUrl) {
        // Embedded: the data dir's PGlite has one owner; `sicora start` loads the HTTP seeds itself.
        process.stdout.write('semillas HTTP: las carga `sicora start` (modo embebido, sin DATABASE_URL)\n');
      } else {
        // Production: the services run under `sicora serve`; each HTTP seed writes its own database.
        const shared = { ...database, close: async () => undefined };
        const outcome = await runHttpSeeds(manifests, env, result.serviceSecrets, {
          openDatabase: async (c) => (c.databaseUrl === config.databaseUrl ? shared : openServiceDatabase(c)),
        });
        if (outcome.unreachable.length > 0) {
          process.stdout.write(`semillas HTTP omitidas: no responden ${outcome.unreachable.join(', ')} (inicie los servicios con \`sicora serve\` y repita)\n`);
        } else if (outcome.ran.length > 0) {
          process.stdout.write(`semillas HTTP aplicadas: ${outcome.ran.join(', ')}\n`);
        }
      }
    }
    process.stdout.write('semillas aplicadas\n');
  } finally {
    await database.close();
  }
}

/** The build's id, defined only in the bundle (scripts/build.mjs). */
declare const __SICORA_COMPILED__: string | undefined;

/**
 * The PGlite templates a new embedded data dir starts from (pglite-template.ts): the initdb snapshot and
 * the database with every migration applied. Run by `npm ci` (the `prepare` script), so the first
 * `npm start` of a fresh clone opens a copy of an existing database instead of paying initdb (seconds of
 * CPU and twice the memory) in front of the user. Nothing to do when both are there.
 */
async function template(): Promise<void> {
  const manifests = await loadManifests();
  await initdbSnapshot();
  const dir = mkdtempSync(join(tmpdir(), 'sicora-template-'));
  try {
    const { database, template: target } = await openEmbedded(dir, manifests);
    try {
      await migrateAll(database, manifests);
      if (target) await saveTemplate(database.pglite!, join(dir, 'pglite'), target);
    } finally {
      await database.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write('plantilla de PGlite lista\n');
}

class UsageError extends Error {}

function fail(name: string): never {
  throw new UsageError(`servicio desconocido: ${name}`);
}

const [command, ...args] = process.argv.slice(2);
try {
  switch (command) {
    case 'start':
      await start();
      break;
    case 'serve':
      await serve(args[0]);
      break;
    case 'worker':
      await worker(args[0]);
      break;
    case 'migrate':
      await migrate(args);
      break;
    case 'seed':
      await seed(args);
      break;
    case 'template':
      await template();
      break;
    case 'version':
    case '--version':
      // Which runtime and which code answered: the launcher may have re-run on the pinned Node and
      // picked the bundle (bin/sicora).
      process.stdout.write(`sicora (Node ${process.version}, ${typeof __SICORA_COMPILED__ !== 'undefined' ? `compiled, build ${__SICORA_COMPILED__}` : 'TypeScript via tsx'})\n`);
      break;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE + '\n');
      break;
    default:
      throw new UsageError(`comando desconocido: ${command}`);
  }
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`sicora: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
