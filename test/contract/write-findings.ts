/**
 * Writes the Markdown findings of a contract run: `CONTRACT_REPORT=<dir> npx vitest run …`
 * leaves one JSON report per service in <dir>; then `npx tsx test/contract/write-findings.ts <dir> <out.md>`.
 */
import { writeFileSync } from 'node:fs';
import { SERVICE_NAMES } from '@sicora/platform/services';
import { contractOptionsFromEnv } from '@sicora/platform/testing/contract';
import { findingsMarkdown } from '@sicora/platform/testing/contract-report';
import { readReports } from './suite.ts';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) {
  console.error('usage: npx tsx test/contract/write-findings.ts <report dir> <out.md>');
  process.exit(2);
}
const order = (name: string) => (SERVICE_NAMES.includes(name) ? SERVICE_NAMES.indexOf(name) : SERVICE_NAMES.length);
const reports = readReports(dir).sort((a, b) => order(a.service) - order(b.service));
const { seed, runs } = contractOptionsFromEnv();
writeFileSync(
  out,
  findingsMarkdown(reports, {
    command: 'CONTRACT_REPORT=<dir> npx vitest run --config test/contract/vitest.config.ts',
    seed,
    runs,
    backEnd: process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite',
    durationSeconds: process.env.CONTRACT_SECONDS ? Number(process.env.CONTRACT_SECONDS) : undefined,
    date: new Date().toISOString().slice(0, 10),
  }),
);
console.log(`wrote ${out}: ${reports.length} services`);
