/**
 * Runs the contract suite on its own (`npx vitest run --config test/contract/vitest.config.ts`): the root
 * config's `component` project (global setup, forks, shared workers, setup files), with the contract
 * files as its tests — the shards here and the harness's self-test beside the harness.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import root from '../../vitest.config.ts';

const component = (root.test?.projects as TestProjectInlineConfiguration[] | undefined)?.find((p) => p.test?.name === 'component')?.test ?? {};
const { projects: _projects, coverage: _coverage, ...shared } = root.test ?? {};

export default defineConfig({
  root: fileURLToPath(new URL('../../', import.meta.url)),
  test: {
    ...shared,
    ...component,
    name: 'contract',
    include: ['test/contract/**/*.test.ts', 'packages/platform/src/testing/contract-*.test.ts'],
    // One operation's fuzz stays well under this; a whole service's build happens while collecting.
    testTimeout: 120_000,
  },
});
