import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

function roots(): string[] {
  const dirs: string[] = [];
  for (const group of ['packages', 'services']) {
    for (const name of readdirSync(join(ROOT, group))) {
      const src = join(ROOT, group, name, 'src');
      try {
        if (statSync(src).isDirectory()) dirs.push(src);
      } catch {
        // a workspace without sources
      }
    }
  }
  return dirs;
}

// A code is "thrown" when it is the first argument of `new AppError(…)` or of an error factory
// (`errors.notFound(…)`, `scheduleErrors.inUse(…)`, …).
const THROWN = /(?:new\s+AppError|\b\w*[eE]rrors\.\w+)\(\s*['"]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)['"]/g;

describe('error-code catalogue (docs/errors.md)', () => {
  it('when a code is thrown anywhere in the sources, then docs/errors.md lists it', () => {
    const catalogue = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
    const listed = new Set([...catalogue.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    const missing: string[] = [];
    let found = 0;
    for (const dir of roots()) {
      for (const file of sourceFiles(dir)) {
        for (const match of readFileSync(file, 'utf8').matchAll(THROWN)) {
          found += 1;
          if (!listed.has(match[1])) missing.push(`${match[1]} (${relative(ROOT, file)})`);
        }
      }
    }
    expect(found).toBeGreaterThan(20);
    expect([...new Set(missing)].sort()).toEqual([]);
  });
});
