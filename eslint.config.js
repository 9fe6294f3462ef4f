// ESLint flat config for the whole repository (`npm run lint`).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Plain .js/.mjs scripts run on Node: the running Node's own globals (process, Buffer, fetch, …) are the
// ones they may use, which spares a dependency on a hand-kept globals list.
const nodeGlobals = Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly']));

// ── Layer boundaries (01-architecture §3: http → application → domain, infrastructure → domain; nothing
// imports http/ but app.ts; a service never imports another service's code). One `no-restricted-imports`
// block per kind of file: in flat config a later block matching the same file REPLACES the rule's options,
// so each block carries every pattern that applies to its files. Relative paths are counted from the
// file's depth below `src/` (d = 0 for `src/app.ts`, 1 for `src/http/x.ts`, …), hence one block per depth.
const MAX_DEPTH = 5;
const DEPTHS = Array.from({ length: MAX_DEPTH + 1 }, (_, d) => d);
const up = (d) => (d === 0 ? '\\./' : `(\\.\\./){${d}}`);
const below = (folder, d) => `services/*/src/${folder ? `${folder}/` : ''}${'*/'.repeat(d)}*.ts`;
const TESTS = ['**/*.test.ts'];

/** Every file of a service: no other service, by package name or by a relative path out of the folder. */
function crossService(d) {
  return [
    {
      regex: '^@sicora/(?!platform(/|$))',
      message: 'Un servicio no importa código de otro servicio (solo @sicora/platform): llámelo por su API con el cliente de servicio de la plataforma.',
    },
    {
      // src/<d folders>/file → src → <service> → services: d + 2 levels up leaves the service folder.
      regex: `^(\\.\\./){${d + 2},}`,
      message: 'Un import relativo no sale de la carpeta del servicio: otro servicio se llama por su API; la plataforma se importa como @sicora/platform/….',
    },
  ];
}

/** Nothing but src/app.ts (and tests) imports the service's own http/. */
function noHttp(d) {
  return [
    {
      regex: `^(${up(d)}|(\\.\\./){${d + 1}}src/)http(/|$)`,
      message: 'Solo src/app.ts importa http/ (registra las rutas como plugins); el resto del servicio no depende de HTTP.',
    },
  ];
}

const DRIVERS = {
  regex: '^(drizzle-orm|pg|@electric-sql/pglite[^/]*)(/.*)?$',
};

/** http/ (d ≥ 1): thin handlers over use cases; no driver, no table, no repository. */
function httpLayer(d) {
  return [
    { ...DRIVERS, message: 'http/ no usa Drizzle ni el driver de la base de datos: la consulta va en un repositorio de infrastructure/ y llega por un caso de uso.' },
    {
      regex: `^(\\.\\./){${d}}infrastructure/(db(/|$)|(.*/)?[^/]+\\.repo(\\.[cm]?[jt]s)?$)`,
      message: 'http/ no importa el esquema de la base de datos ni un repositorio: las rutas reciben los casos de uso de application/ por las opciones del plugin.',
    },
  ];
}

/** application/ (d ≥ 1): use cases get repositories, clients and the clock through their deps. */
function applicationLayer(d) {
  return [
    { ...DRIVERS, message: 'application/ no usa Drizzle ni el driver: los repositorios llegan inyectados (ports.ts) y devuelven filas planas.' },
    {
      regex: `^(\\.\\./){${d}}infrastructure/db(/|$)`,
      message: 'application/ no importa el esquema de la base de datos: las consultas viven en infrastructure/<recurso>.repo.ts.',
    },
  ];
}

/**
 * domain/ (and the gateway's core/, its pure rules): no HTTP, no database, no network, no file system, no
 * other service, and of the platform only its errors, roles and local time (core/ also reads the static
 * service table and the order of response statuses).
 */
function pureLayer(folder, d) {
  const platform = folder === 'core' ? 'errors|roles|services|status-order|local-time' : 'errors|roles|local-time';
  return [
    {
      regex: '^(fastify|@fastify/[^/]+|fastify-plugin|drizzle-orm|pg|pg-boss|@electric-sql/pglite[^/]*|undici|ioredis|bullmq|opossum|nodemailer|twilio|@aws-sdk/[^/]+|pino|prom-client|(node:)?(fs|net|http|https|http2|dgram|dns|child_process|worker_threads|cluster))(/.*)?$',
      message: `${folder}/ son reglas puras: sin HTTP, base de datos, red ni archivos; muévalo a http/ o infrastructure/.`,
    },
    {
      // Other services are refused by crossService, http/ by noHttp: each violation is reported once.
      regex: `^@sicora/platform(?!/(${platform})$)`,
      message: `${folder}/ solo usa @sicora/platform/${platform.split('|').join(', @sicora/platform/')}.`,
    },
    {
      regex: `^(\\.\\./){${d}}infrastructure(/|$)`,
      message: `${folder}/ no depende de infrastructure/ (ni de http/).`,
    },
  ];
}

function restrict(files, patterns, extra = {}) {
  return { files, ...extra, rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

const layerBoundaries = [
  // Everything in src/: no other service, no http/ (app.ts excepted below).
  ...DEPTHS.map((d) => restrict([below('', d)], [...crossService(d), ...noHttp(d)], { ignores: TESTS })),
  restrict(['services/*/src/app.ts'], crossService(0)),
  ...DEPTHS.slice(1).map((d) => restrict([below('http', d - 1)], [...crossService(d), ...httpLayer(d)], { ignores: TESTS })),
  ...DEPTHS.slice(1).map((d) => restrict([below('application', d - 1)], [...crossService(d), ...noHttp(d), ...applicationLayer(d)], { ignores: TESTS })),
  ...['domain', 'core'].flatMap((folder) =>
    DEPTHS.slice(1).map((d) => restrict([below(folder, d - 1)], [...crossService(d), ...noHttp(d), ...pureLayer(folder, d)])),
  ),
  // Tests may reach into http/ and set up databases, but never into another service.
  ...DEPTHS.map((d) => restrict([`services/*/src/${'*/'.repeat(d)}*.test.ts`, `services/*/test/${'*/'.repeat(d)}*.ts`], crossService(d))),
  // The platform is cross-cutting: it never imports a service (it finds them through the manifests).
  restrict(['packages/*/src/**/*.ts'], [
    { regex: '^@sicora/(?!platform(/|$))', message: 'La plataforma no importa servicios: los encuentra por sus manifiestos (manifests.ts).' },
    { regex: '(^|/)services/', message: 'La plataforma no importa servicios: los encuentra por sus manifiestos (manifests.ts).' },
  ]),
];

export default defineConfig(
  globalIgnores(['**/node_modules/', '**/coverage/', '**/data/', '**/drizzle/', '**/dist/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    rules: {
      // A defensive initial value overwritten on every path (`let ok = false; try { ok = … } catch { ok = false }`)
      // is a style point, not a defect: reported, not failing the build.
      'no-useless-assignment': 'warn',
      // `_`-prefixed names are deliberately unused (Fastify handler signatures, destructuring to drop a key).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['**/test/**/*.ts', '**/*.test.ts', 'packages/platform/src/testing/**/*.ts'],
    rules: {
      // Tests read JSON bodies whose shape the assertion itself checks.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  layerBoundaries,
);
