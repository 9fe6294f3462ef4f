import { existsSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_FILE, DOCUMENT_PLATFORM_ENV, TYPES_FILE, documentText, fetchMergedDocument, normaliseDocument, typesText } from '@sicora/client/codegen';
import { portEnv, runSicora, tempDataDir, waitFor, type Child } from './support.ts';

// packages/client is committed generated code: its document and types must be what `npm run
// generate:client` would write now. One `sicora start` serves the merged document; the comparison runs on
// the normalised text (codegen.ts, the script's own code), so a service whose document changed without
// a regeneration fails here, not in the web app.
const REGENERATE = 'run `npm run generate:client` and commit packages/client/openapi.json and packages/client/src/schema.ts';

const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/** Which paths (with their methods) were added, removed or changed: a readable account of a 6 MB diff. */
function documentDrift(committedText: string, liveText: string): string {
  const paths = (text: string): Record<string, unknown> => (text ? ((JSON.parse(text) as { paths?: Record<string, unknown> }).paths ?? {}) : {});
  const before = paths(committedText);
  const after = paths(liveText);
  const added = Object.keys(after).filter((p) => !(p in before));
  const removed = Object.keys(before).filter((p) => !(p in after));
  const changed = Object.keys(after).filter((p) => p in before && JSON.stringify(before[p]) !== JSON.stringify(after[p]));
  const list = (label: string, items: string[]) => (items.length ? [`  ${label} (${items.length}): ${items.slice(0, 15).join(', ')}${items.length > 15 ? ', …' : ''}`] : []);
  const lines = [...list('paths new in the live document', added), ...list('paths gone from it', removed), ...list('paths changed', changed)];
  return lines.length ? lines.join('\n') : '  outside paths (info, tags or components)';
}

/** The first line where two texts part, with a little context. */
function firstDifference(committed: string, live: string): string {
  const a = committed.split('\n');
  const b = live.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `  first difference at line ${i + 1}:\n  - committed: ${(a[i] ?? '<end of file>').trim().slice(0, 200)}\n  + generated: ${(b[i] ?? '<end of file>').trim().slice(0, 200)}`;
}

describe('packages/client against a live sicora start', () => {
  let dataDir: string;
  let child: Child | undefined;
  let liveDocument: string;
  let liveTypes: string;

  beforeAll(async () => {
    dataDir = tempDataDir();
    const { env, urls } = await portEnv();
    child = runSicora(['start'], { ...env, ...DOCUMENT_PLATFORM_ENV, SICORA_DATA_DIR: dataDir });
    await waitFor(`${urls.gateway}/health/ready`, child, { timeoutMs: 120_000 });
    const normalised = normaliseDocument(await fetchMergedDocument(urls.gateway));
    // The document is all this file needs from the platform: stop it before the CPU-bound generation.
    await child.stop();
    liveDocument = documentText(normalised);
    liveTypes = await typesText(normalised);
  }, 180_000);

  afterAll(async () => {
    await child?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the gateway serves its merged document, then packages/client/openapi.json is that document, normalised', () => {
    const committed = read(DOCUMENT_FILE);
    const same = committed === liveDocument;
    expect(same, same ? '' : `packages/client/openapi.json differs from the live gateway's document: ${REGENERATE}.\n${documentDrift(committed, liveDocument)}`).toBe(true);
  });

  it('when openapi-typescript runs on that document, then packages/client/src/schema.ts is its output', () => {
    const committed = read(TYPES_FILE);
    const same = committed === liveTypes;
    expect(same, same ? '' : `packages/client/src/schema.ts differs from the types generated from the live document: ${REGENERATE}.\n${firstDifference(committed, liveTypes)}`).toBe(true);
  });
});
