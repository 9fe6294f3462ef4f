#!/usr/bin/env node
// Regenerates packages/client from the gateway's merged OpenAPI document (`npm run generate:client`):
// starts `bin/sicora start` on free ports with a temporary data dir and the embedded back ends, waits for
// the gateway's /health/ready and a document with every service in it, stops the platform, then writes
// packages/client/openapi.json (normalised) and packages/client/src/schema.ts (openapi-typescript).
// Usage: node scripts/generate-client.mjs [--from <saved-document.json>]
// The same normalisation and generation run in test/e2e/client-drift.e2e.test.ts (packages/client/src/codegen.ts).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { DOCUMENT_FILE, DOCUMENT_PLATFORM_ENV, TYPES_FILE, documentText, fetchMergedDocument, normaliseDocument, typesText } = await import(
  '../packages/client/src/codegen.ts'
);

let from;
try {
  ({ values: { from } } = parseArgs({ options: { from: { type: 'string' } }, strict: true }));
} catch (err) {
  console.error(`${err.message}\nusage: node scripts/generate-client.mjs [--from <document.json>]`);
  process.exit(2);
}

async function liveDocument() {
  const { portEnv, runSicora, tempDataDir, waitFor } = await import('../test/e2e/support.ts');
  const dataDir = tempDataDir();
  const { env, urls } = await portEnv();
  const child = runSicora(['start'], { ...env, ...DOCUMENT_PLATFORM_ENV, SICORA_DATA_DIR: dataDir });
  const stop = async () => {
    await child.stop(); // SIGTERM to its pid, SIGKILL after 15 s, and waits for the exit
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    await waitFor(`${urls.gateway}/health/ready`, child, { timeoutMs: 120_000 });
    return await fetchMergedDocument(urls.gateway);
  } finally {
    await stop();
  }
}

const started = performance.now();
const source = from ? resolve(from) : undefined;
const document = normaliseDocument(source ? JSON.parse(readFileSync(source, 'utf8')) : await liveDocument());
const types = await typesText(document);
writeFileSync(DOCUMENT_FILE, documentText(document));
writeFileSync(TYPES_FILE, types);
const operations = Object.values(document.paths ?? {}).reduce((n, item) => n + Object.keys(item).filter((k) => /^(get|put|post|delete|patch|options|head|trace)$/.test(k)).length, 0);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `client generated from ${source ? relative(process.cwd(), source) : 'a live sicora start'} in ${seconds} s: ` +
    `${Object.keys(document.paths ?? {}).length} paths, ${operations} operations → ${relative(process.cwd(), DOCUMENT_FILE)}, ${relative(process.cwd(), TYPES_FILE)}`,
);
