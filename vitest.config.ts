import { defineConfig } from 'vitest/config';
import { SERVICE_CATALOGUE } from './packages/platform/src/services.ts';

// Every service in the service table gets its floor (80 % of lines unless its package.json says more),
// so a new service is covered with no edit here.
const serviceFloors = Object.fromEntries(SERVICE_CATALOGUE.map((s) => [`services/${s.name}/src/**`, { lines: s.coverageFloor }]));

// Two groups: component and unit tests in parallel workers first, then the end-to-end journeys (real
// processes on real ports), which do not compete with the component files' CPU-bound work. The journeys
// spend most of their time waiting on timers the stories name (leases, probes, the revocation feed), so
// four run at once, each still inside its own deadlines (one by one they took 228 s). A journey with two
// long tests is two files, so the longest file sets the pace, not the longest pair.
export default defineConfig({
  test: {
    globalSetup: ['packages/platform/src/testing/global-setup.ts', 'test/build.global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'component',
          include: ['packages/*/test/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'services/*/test/**/*.test.ts', 'services/*/src/**/*.test.ts', 'test/repo/**/*.test.ts', 'test/contract/**/*.test.ts'],
          maxWorkers: 2,
          // Files share their worker's modules and its one PGlite (wiped between files, see
          // packages/platform/src/testing/db.ts): a fresh process per file spent more time loading
          // Fastify, Drizzle and PGlite's WebAssembly than most files spend testing.
          isolate: false,
          // …and what a process of its own used to reset between files is reset by this file.
          setupFiles: ['packages/platform/src/testing/file-setup.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          // The web app (apps/web, web.md): session logic, errors and the scanner's outcomes as component
          // tests in happy-dom; its journeys in headless Chromium are e2e files (test/e2e/web-*.e2e.test.ts).
          name: 'web',
          include: ['apps/web/test/**/*.test.{ts,tsx}', 'apps/web/src/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/e2e/web-*.e2e.test.ts'],
          maxWorkers: 4,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          // The browser journeys (web.md §5) each run a whole platform and a Chromium: on their own, after the
          // other journeys, two at a time, so neither they nor the timed waits of the crash journeys starve.
          name: 'web-e2e',
          include: ['test/e2e/web-*.e2e.test.ts'],
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts', 'services/*/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/testing/global-setup.ts', '**/main.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      thresholds: {
        'packages/platform/src/**': { lines: 80 },
        ...serviceFloors,
      },
    },
  },
});
