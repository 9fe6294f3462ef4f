import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('../../..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd });
});

/** Lints `code` as if it were the file at `filePath` and returns the no-restricted-imports findings. */
async function restricted(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  expect(result.messages.filter((m) => m.fatal)).toEqual([]);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports');
}

const domainOf = (service: string, rest = 'x.ts') => `services/${service}/src/domain/${rest}`;

describe('domain import boundary', () => {
  it('when domain code imports fastify, then ESLint reports an error; the same code under http/ passes', async () => {
    const code = "import Fastify from 'fastify';\nexport const app = Fastify;\n";
    const inDomain = await restricted(domainOf('users'), code);
    expect(inDomain).toHaveLength(1);
    expect(inDomain[0]).toMatchObject({ severity: 2, line: 1 });
    expect(await restricted('services/users/src/http/x.ts', code)).toEqual([]);
  });

  it.each([
    "import helmet from '@fastify/helmet';",
    "import { eq } from 'drizzle-orm';",
    "import { pgTable } from 'drizzle-orm/pg-core';",
    "import pg from 'pg';",
    "import { ok } from '@sicora/platform/reply';",
    "import { errors as e } from '@sicora/platform/errors-extra';",
    "import { x } from '@sicora/users/src/domain/x.ts';",
    "import { x } from '@sicora/schedules';",
    "import { x } from '../../../schedules/src/domain/entry.ts';",
    "import { x } from '../../../../packages/platform/src/db.ts';",
    "import { x } from '../infrastructure/db/schema.ts';",
    "import { x } from '../http/users.routes.ts';",
    "export { x } from 'fastify';",
  ])('when domain code has %s, then it is refused', async (line) => {
    expect(await restricted(domainOf('users'), `${line}\n`)).toHaveLength(1);
  });

  it.each([
    "import { AppError, errors } from '@sicora/platform/errors';",
    "import { ROLES, type Role } from '@sicora/platform/roles';",
    "import { describe } from 'vitest';",
    "import { createHash } from 'node:crypto';",
    "import { x } from './entry.ts';",
    "import { y } from '../application/ports.ts';",
  ])('when domain code has %s, then it is allowed', async (line) => {
    expect(await restricted(domainOf('schedules'), `${line}\n`)).toEqual([]);
  });

  it('when a domain file sits in a subfolder, then climbing out of the service is counted from its depth', async () => {
    const nested = domainOf('attendance', 'rules/windows.ts');
    expect(await restricted(nested, "import { x } from '../../../../users/src/domain/x.ts';\n")).toHaveLength(1);
    expect(await restricted(nested, "import { x } from '../../http/x.ts';\n")).toHaveLength(1);
    expect(await restricted(nested, "import { x } from '../entry.ts';\n")).toEqual([]);
    expect(await restricted(nested, "import Fastify from 'fastify';\n")).toHaveLength(1);
  });

  it('when code outside services/*/src/domain imports anything, then the boundary rule stays silent', async () => {
    const code = "import pg from 'pg';\nimport { x } from '@sicora/users/src/app.ts';\nexport { pg, x };\n";
    expect(await restricted('services/users/src/infrastructure/x.repo.ts', code)).toEqual([]);
    expect(await restricted('packages/platform/src/x.ts', code)).toEqual([]);
  });
});
