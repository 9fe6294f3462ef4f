import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CORE = fileURLToPath(new URL('../src/core', import.meta.url));
const FORBIDDEN = /from\s+['"](fastify|@fastify\/[^'"]+|undici|ioredis|drizzle-orm[^'"]*|opossum|pino|prom-client|pg|@sicora\/platform\/(server|service|db|auth|logging|metrics|reply))['"]/;

describe('import boundary (R58)', () => {
  it('when core modules are read, then none imports a framework, client, driver or logger', () => {
    const files = readdirSync(CORE).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(4);
    const offenders = files.filter((f) => FORBIDDEN.test(readFileSync(join(CORE, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
