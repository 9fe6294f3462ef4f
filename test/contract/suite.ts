/**
 * The contract suite over every manifest (docs/api-contract.md), split into shards so that the test
 * files run side by side: a shard file only says which shard it is. Services go to shards by the size of
 * their source (a proxy for their number of operations, known only once built), largest first, each to
 * the lightest shard, so a new service lands in one with no edit here.
 *
 * It runs in `npm test` (both back ends in CI); `CONTRACT=0` leaves it out of a quick local run. The
 * self-test (packages/platform/src/testing/contract-harness.test.ts) always runs.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifests } from '@sicora/platform/manifests';
import type { ServiceManifest } from '@sicora/platform/manifest';
import { SERVICE_CATALOGUE } from '@sicora/platform/services';
import { createContractRun, describeFindings, OBJECT_LEVEL, type ContractRun, type ServiceReport } from '@sicora/platform/testing/contract';
import { startManifestTarget, type ManifestTarget } from '@sicora/platform/testing/contract-target';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';

export const CONTRACT_ENABLED = process.env.CONTRACT !== '0';

function sourceSize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += sourceSize(path);
    else if (entry.name.endsWith('.ts')) total += statSync(path).size;
  }
  return total;
}

/** The services of one shard (1-based), balanced by source size. */
export function shardServices(shard: number, shards: number): string[] {
  const loads = Array.from({ length: shards }, () => ({ size: 0, names: [] as string[] }));
  const sized = SERVICE_CATALOGUE.map((s) => ({ name: s.name, size: sourceSize(join(s.dir, 'src')) })).sort((a, b) => b.size - a.size || a.name.localeCompare(b.name));
  for (const s of sized) {
    const lightest = loads.reduce((min, l) => (l.size < min.size ? l : min), loads[0]);
    lightest.size += s.size;
    lightest.names.push(s.name);
  }
  return loads[shard - 1]?.names ?? [];
}

interface Built {
  manifest: ServiceManifest;
  target?: ManifestTarget;
  run?: ContractRun;
  error?: string;
}

/** Registers the contract tests of one shard's services: one test per operation. */
export async function contractSuite(shard: number, shards: number): Promise<void> {
  if (!CONTRACT_ENABLED) {
    describe(`contract suite, shard ${shard}/${shards}`, () => {
      it.skip('left out with CONTRACT=0', () => undefined);
    });
    return;
  }
  // CONTRACT_SERVICES=users,gateway: only these (while working on one service).
  const only = process.env.CONTRACT_SERVICES?.split(',').map((n) => n.trim()).filter(Boolean);
  const names = shardServices(shard, shards).filter((n) => !only || only.includes(n));
  const manifests = (await loadManifests()).filter((m) => names.includes(m.name));
  if (manifests.length === 0) {
    describe(`contract suite, shard ${shard}/${shards}`, () => {
      it.skip('no service of this shard is selected (CONTRACT_SERVICES)', () => undefined);
    });
    return;
  }
  // One database for the shard, as the embedded start shares one: each service keeps to its own schema.
  const db: TestDatabase = await createTestDatabase();
  const built: Built[] = [];
  // Built while the tests are collected: the operations to test come from each app's own document.
  for (const manifest of manifests) {
    try {
      const target = await startManifestTarget(manifest, { database: db });
      built.push({ manifest, target, run: createContractRun(target) });
    } catch (err) {
      built.push({ manifest, error: (err as Error).message.split('\n')[0] });
    }
  }

  afterAll(async () => {
    const dir = process.env.CONTRACT_REPORT;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      for (const b of built) {
        const report: ServiceReport = b.run ? b.run.report() : { service: b.manifest.name, operations: [], withoutRoles: [], ambientTables: [], skipped: b.error };
        writeFileSync(join(dir, `${b.manifest.name}.json`), JSON.stringify(report, null, 1));
      }
    }
    for (const b of built) await b.target?.close().catch(() => undefined);
    await db.destroy();
  });

  for (const b of built) {
    describe.sequential(`${b.manifest.name} contract`, () => {
      if (!b.run) {
        // A service the suite cannot build is a failure, never a skip: its operations would go unchecked.
        it('builds from its manifest', () => {
          expect.fail(`${b.manifest.name} did not build: ${b.error}`);
        });
        return;
      }
      const run = b.run;
      it('documents operations, and says which lack x-roles (reported, not failed)', () => {
        const missing = run.operations.filter((o) => !o.roles).map((o) => o.id);
        if (missing.length > 0) console.info(`${b.manifest.name}: operations without x-roles (role matrix reported, not asserted):\n  ${missing.join('\n  ')}`);
      });
      for (const op of run.operations) {
        it(op.id, async () => {
          const report = await run.check(op);
          if (report.findings.length > 0) expect.fail(`${report.findings.length} contract finding(s):\n${describeFindings(report.findings)}`);
        });
      }
      // Last: the operations above have left rows for the first person of each role to own.
      it(OBJECT_LEVEL, async () => {
        const report = await run.checkObjectLevel();
        if (report.findings.length > 0) expect.fail(`${report.findings.length} object-level finding(s):\n${describeFindings(report.findings)}`);
      });
    });
  }
}

/** Reads the JSON reports a CONTRACT_REPORT run wrote. */
export function readReports(dir: string): ServiceReport[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ServiceReport);
}
