/**
 * The layer arrows of 01-architecture §3 are enforced by ESLint (eslint.config.js, `layerBoundaries`):
 * each rule is proven here on a planted violation inside a real service folder, next to the same kind of
 * file written correctly. The files are linted from text (`lintText` with a `filePath`), never written.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd });
});

/** The boundary findings for `code` linted as the file at `filePath` (relative to the repository). */
async function boundary(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath });
  expect(result.messages.filter((m) => m.fatal)).toEqual([]);
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => ({ line: m.line, message: m.message }));
}

/** Exactly one finding, on line 1, whose message says `why`. */
async function refused(filePath: string, line: string, why: RegExp) {
  const found = await boundary(filePath, `${line}\nexport const planted = 1;\n`);
  expect(found, `${filePath}: ${line}`).toHaveLength(1);
  expect(found[0].line).toBe(1);
  expect(found[0].message).toMatch(why);
}

async function allowed(filePath: string, line: string) {
  expect(await boundary(filePath, `${line}\nexport const planted = 1;\n`), `${filePath}: ${line}`).toEqual([]);
}

const HTTP = 'services/schedules/src/http/planted.routes.ts';
const APPLICATION = 'services/schedules/src/application/planted.service.ts';
const DOMAIN = 'services/schedules/src/domain/planted.ts';
const INFRASTRUCTURE = 'services/schedules/src/infrastructure/planted.repo.ts';
const CORE = 'services/gateway/src/core/planted.ts';

describe('http/ has no database', () => {
  it.each([
    "import { eq } from 'drizzle-orm';",
    "import { pgTable } from 'drizzle-orm/pg-core';",
    "import pg from 'pg';",
    "import { PGlite } from '@electric-sql/pglite';",
  ])('when a route file has %s, then lint fails', async (line) => {
    await refused(HTTP, line, /http\/ no usa Drizzle/);
  });

  it.each([
    "import { campuses } from '../infrastructure/db/schema.ts';",
    "import { order } from '../infrastructure/db/helpers.ts';",
    "import { createCampusesRepo } from '../infrastructure/campuses.repo.ts';",
    "import type { CampusRow } from '../infrastructure/campuses.repo.ts';",
  ])('when a route file has %s, then lint fails', async (line) => {
    await refused(HTTP, line, /http\/ no importa el esquema de la base de datos ni un repositorio/);
  });

  it('when a file one folder deeper in http/ imports a repository, then the depth is counted', async () => {
    await refused('services/schedules/src/http/imports/planted.routes.ts', "import { x } from '../../infrastructure/groups.repo.ts';", /ni un repositorio/);
  });

  it.each([
    "import { Type } from 'typebox';",
    "import { requireAuth } from '@sicora/platform/auth';",
    "import { PlantedSchema } from './planted.schemas.ts';",
    "import type { createCampusesService } from '../application/campuses.service.ts';",
    "import { toIso } from '@sicora/platform/schemas';",
  ])('when a route file has %s, then it passes', async (line) => {
    await allowed(HTTP, line);
  });
});

describe('application/ has no HTTP and no Drizzle', () => {
  it('when a use case imports http/, then lint fails', async () => {
    await refused(APPLICATION, "import { PlantedSchema } from '../http/planted.schemas.ts';", /Solo src\/app.ts importa http\//);
  });

  it.each(["import { eq } from 'drizzle-orm';", "import pg from 'pg';", "import { PGlite } from '@electric-sql/pglite';"])(
    'when a use case has %s, then lint fails',
    async (line) => {
      await refused(APPLICATION, line, /application\/ no usa Drizzle/);
    },
  );

  it('when a use case imports the db schema, then lint fails', async () => {
    await refused(APPLICATION, "import { groups } from '../infrastructure/db/schema.ts';", /application\/ no importa el esquema/);
  });

  it.each([
    "import { scheduleErrors } from '../domain/errors.ts';",
    "import type { GroupsRepo } from './ports.ts';",
    "import type { GroupRow } from '../infrastructure/groups.repo.ts';",
    "import { onUniqueViolation } from '@sicora/platform/db-errors';",
  ])('when a use case has %s, then it passes', async (line) => {
    await allowed(APPLICATION, line);
  });
});

describe('domain/ (and the gateway core/) is pure', () => {
  it.each([
    "import Fastify from 'fastify';",
    "import { eq } from 'drizzle-orm';",
    "import pg from 'pg';",
    "import { readFileSync } from 'node:fs';",
    "import { request } from 'undici';",
  ])('when domain code has %s, then lint fails', async (line) => {
    await refused(DOMAIN, line, /domain\/ son reglas puras/);
  });

  it('when domain code imports a platform module with I/O, then lint fails', async () => {
    await refused(DOMAIN, "import { ok } from '@sicora/platform/reply';", /domain\/ solo usa @sicora\/platform\/errors/);
  });

  it('when domain code imports infrastructure/, then lint fails', async () => {
    await refused(DOMAIN, "import { x } from '../infrastructure/db/schema.ts';", /domain\/ no depende de infrastructure/);
  });

  it.each([
    "import { AppError } from '@sicora/platform/errors';",
    "import type { Role } from '@sicora/platform/roles';",
    "import { createHash } from 'node:crypto';",
    "import { x } from './entry.ts';",
  ])('when domain code has %s, then it passes', async (line) => {
    await allowed(DOMAIN, line);
  });

  it('when the gateway core imports a driver or a framework, then lint fails; the service table and errors pass', async () => {
    await refused(CORE, "import { request } from 'undici';", /core\/ son reglas puras/);
    await refused(CORE, "import { x } from '../infrastructure/config.repo.ts';", /core\/ no depende de infrastructure/);
    await allowed(CORE, "import { SERVICE_CATALOGUE } from '@sicora/platform/services';");
    await allowed(CORE, "import { errors } from '@sicora/platform/errors';");
  });
});

describe('nothing but app.ts imports http/', () => {
  it.each([
    ['services/schedules/src/service.ts', "import { registerRoutes } from './http/planted.routes.ts';"],
    [INFRASTRUCTURE, "import { PlantedSchema } from '../http/planted.schemas.ts';"],
    ['services/schedules/src/infrastructure/db/planted.ts', "import { x } from '../../http/planted.schemas.ts';"],
    [DOMAIN, "import { x } from '../http/planted.routes.ts';"],
    ['services/schedules/src/jobs/planted.job.ts', "import { x } from '../http/planted.routes.ts';"],
  ])('when %s imports http/, then lint fails', async (file, line) => {
    await refused(file, line, /Solo src\/app.ts importa http\//);
  });

  it('when app.ts registers the route plugins, or a test drives them, then it passes', async () => {
    await allowed('services/schedules/src/app.ts', "import { plantedRoutes } from './http/planted.routes.ts';");
    await allowed('services/schedules/test/planted.api.test.ts', "import { PlantedSchema } from '../src/http/planted.schemas.ts';");
    await allowed('services/schedules/src/infrastructure/planted.test.ts', "import { x } from '../http/planted.routes.ts';");
  });

  it('when an infrastructure module has its own http/ subfolder, then importing it is not mistaken for the service http/', async () => {
    await allowed(INFRASTRUCTURE, "import { x } from './http/agent.ts';");
  });
});

describe('a service never imports another service', () => {
  it.each([
    [INFRASTRUCTURE, "import { createUsersRepo } from '../../../users/src/infrastructure/users.repo.ts';"],
    [INFRASTRUCTURE, "import { x } from '@sicora/users/src/infrastructure/users.repo.ts';"],
    [HTTP, "import { x } from '@sicora/users';"],
    [APPLICATION, "import { x } from '../../../notification/src/domain/rules.ts';"],
    [DOMAIN, "import { x } from '@sicora/users/src/domain/users.errors.ts';"],
    ['services/schedules/src/app.ts', "import { buildApp } from '../../users/src/app.ts';"],
    ['services/schedules/test/planted.api.test.ts', "import { buildApp } from '../../users/src/app.ts';"],
    ['services/schedules/test/planted.api.test.ts', "import { buildApp } from '@sicora/users/src/app.ts';"],
    ['services/schedules/src/infrastructure/db/planted.ts', "import { x } from '../../../../../packages/platform/src/db.ts';"],
  ])('when %s has %s, then lint fails', async (file, line) => {
    await refused(file, line, /(otro servicio|no sale de la carpeta del servicio)/);
  });

  it('when the platform is imported by its package name, or a file of the same service relatively, then it passes', async () => {
    await allowed(INFRASTRUCTURE, "import { createServiceClient } from '@sicora/platform/http-client';");
    await allowed(INFRASTRUCTURE, "import { x } from '../domain/entry.ts';");
    await allowed('services/schedules/test/planted.api.test.ts', "import { createTestDatabase } from '@sicora/platform/testing/db';");
  });

  it('when the platform imports a service, then lint fails', async () => {
    await refused('packages/platform/src/planted.ts', "import { x } from '@sicora/users/src/app.ts';", /La plataforma no importa servicios/);
    await refused('packages/platform/src/planted.ts', "import { x } from '../../../services/users/src/app.ts';", /La plataforma no importa servicios/);
  });
});

describe('a clean service file', () => {
  it('when a route plugin imports only schemas, use-case types and the platform, then lint reports nothing at all', async () => {
    const code = [
      "import { requireAuth } from '@sicora/platform/auth';",
      "import { ok } from '@sicora/platform/reply';",
      "import type { App } from '@sicora/platform/server';",
      "import type { createPlantedService } from '../application/planted.service.ts';",
      "import { PlantedEnvelope } from './planted.schemas.ts';",
      '',
      'export async function plantedRoutes(app: App, opts: { planted: ReturnType<typeof createPlantedService> }) {',
      "  app.get('/api/v1/planted', { preHandler: requireAuth(), schema: { response: { 200: PlantedEnvelope } } }, async (request) => ok(request, await opts.planted.list()));",
      '}',
      '',
    ].join('\n');
    const [result] = await eslint.lintText(code, { filePath: HTTP });
    expect(result.messages).toEqual([]);
  });
});
