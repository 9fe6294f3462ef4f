/**
 * C1–C5: configuration reload, versions, rollback, export and import (gateway.md §4.6, §6.2).
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { guardRoutes } from '@sicora/platform/auth';
import { attachment } from '@sicora/platform/csv-export';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { AppError } from '@sicora/platform/errors';
import { PageQuery, pageRequest, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { RoutesPlugin } from '@sicora/platform/server';
import { exportDocument, type ImportDocument } from '../core/config-import.ts';
import type { ConfigProblem } from '../core/config-validation.ts';
import type { OpenApiMerger } from '../infrastructure/openapi-merger.ts';
import { actor } from './admin-guard.ts';
import { ConfigFile, ConfigImport, ImportQuery, ImportResult, ReloadResult, RollbackBody, VersionResult, VersionRow } from './config.schemas.ts';
import type { GatewayRuntime } from './runtime.ts';

export interface ConfigRoutesOptions {
  rt: GatewayRuntime;
  openapi: Pick<OpenApiMerger, 'refresh'>;
}

const tags = ['gateway-config'];
const SECTIONS = new Set<string>(['services', 'routes', 'rate_limit_policies']);

interface SchemaError {
  instancePath: string;
  keyword: string;
  params: { missingProperty?: string; additionalProperty?: string };
  message?: string;
}

/**
 * §6.2: a file that breaks C5's schema is refused as one that breaks the configuration rules, with the
 * entry (section, index, name) and field of each problem, so the operator sees one kind of answer.
 */
function schemaProblems(body: unknown, validation: readonly SchemaError[]): ConfigProblem[] {
  const doc = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const problems = validation.map((e): ConfigProblem => {
    const [section, index, ...rest] = e.instancePath.split('/').slice(1);
    const key = e.params.missingProperty ?? e.params.additionalProperty;
    const inEntry = SECTIONS.has(section) && index !== undefined;
    const entry = inEntry ? (doc[section] as Array<Record<string, unknown>>)[Number(index)] : undefined;
    const field = inEntry ? [...rest, ...(key ? [key] : [])].join('.') || section : [section, ...(index !== undefined ? [index] : []), ...(key ? [key] : [])].filter(Boolean).join('.') || 'file';
    const message = e.keyword === 'required' ? 'Campo obligatorio' : e.keyword === 'additionalProperties' ? 'Campo desconocido' : `Valor no válido (${e.message ?? e.keyword})`;
    return {
      section: (inEntry ? section : 'routes') as ConfigProblem['section'],
      index: inEntry ? Number(index) : -1,
      name: typeof entry?.name === 'string' ? entry.name : '',
      field,
      code: 'invalid',
      message,
    };
  });
  // A nullable field refused by both branches of its union is one problem, not two.
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.section}/${p.index}/${p.field}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

/** C5 reads its own validation result (attachValidation); anything but the body is an ordinary 422. */
function refuseInvalidImport(request: FastifyRequest): void {
  const failed = request.validationError as (Error & { validation?: SchemaError[]; validationContext?: string }) | undefined;
  if (!failed) return;
  if (failed.validationContext !== 'body' || !failed.validation) throw failed;
  throw new AppError('CONFIG_IMPORT_INVALID', 'invalid', 'El archivo de configuración no es válido', { errors: schemaProblems(request.body, failed.validation) });
}

export const configRoutes: RoutesPlugin<ConfigRoutesOptions> = async (app, { rt, openapi }) => {
  guardRoutes(app, rt.guard.requireAdmin);

  app.post('/api/v1/gateway/config/reload', {
    schema: { summary: 'Recargar configuración', description: 'C1: reloads the stored configuration on this instance now.', tags, response: { 200: Envelope(ReloadResult), ...errorResponses(401, 403, 503) } },
  }, async (request) => {
    const cfg = await rt.config.load();
    // R52: C1 also refetches the services' documents (in the background; the last good copies serve meanwhile).
    void openapi.refresh();
    return ok(request, { config_version: cfg.snapshot.version, loaded_at: cfg.loadedAt.toISOString() }, { message: 'Configuración recargada' });
  });

  app.get('/api/v1/gateway/config/versions', {
    schema: {
      summary: 'Versiones de configuración',
      description: 'C2: versions newest first, with their change summaries.',
      tags,
      querystring: Type.Object(PageQuery),
      response: { 200: Envelope(Type.Array(VersionRow)), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => {
    const page = pageRequest(request.query);
    const { rows, total } = await rt.configAdmin.versions(page.page, page.pageSize);
    return ok(request, rows, { pagination: paginationMeta(page, total) });
  });

  app.post('/api/v1/gateway/config/rollback', {
    schema: {
      summary: 'Volver a una versión',
      description: 'C3: a new version equal to the snapshot of an earlier one.',
      tags,
      body: RollbackBody,
      response: { 200: Envelope(VersionResult), ...errorResponses(401, 403, 404, 409, 422) },
    },
  }, async (request) => {
    const { version } = await rt.configAdmin.rollback(request.body.version, actor(request));
    return ok(request, { config_version: version }, { message: 'Configuración revertida' });
  });

  app.get('/api/v1/gateway/config/export', {
    schema: {
      summary: 'Exportar configuración',
      description: 'C4: the configuration file of §6.2 (`Content-Disposition: attachment; filename="gateway_config_v<version>.json"`), which C5 reads back.',
      tags,
      response: { 200: ConfigFile, ...errorResponses(401, 403) },
    },
  }, async (_request, reply) => {
    const cfg = rt.config.current().snapshot;
    return reply
      .type('application/json; charset=utf-8')
      .header('Content-Disposition', attachment(`gateway_config_v${cfg.version}.json`))
      .send(exportDocument(cfg, rt.now()));
  });

  app.post('/api/v1/gateway/config/import', {
    bodyLimit: 1_048_576,
    // The handler turns a body that breaks the schema into CONFIG_IMPORT_INVALID (§6.2).
    attachValidation: true,
    schema: {
      summary: 'Importar configuración',
      description:
        'C5: merge (default) or replace; the whole file (≤ 1 MiB) is validated as one configuration; dry_run validates only. ' +
        'Any problem, of the schema or of the configuration rules → 422 CONFIG_IMPORT_INVALID with details.errors [ { section, index, name, field, code, message } ]; nothing is written.',
      tags,
      querystring: ImportQuery,
      body: ConfigImport,
      response: { 200: Envelope(ImportResult), ...errorResponses(401, 403, 409, 413, 422) },
    },
  }, async (request) => {
    refuseInvalidImport(request);
    const mode = request.query.mode ?? 'merge';
    const result = await rt.configAdmin.importConfig(request.body as ImportDocument, { mode, dryRun: request.query.dry_run ?? false, by: actor(request) });
    return result.dry_run ? ok(request, result) : ok(request, result, { message: 'Configuración importada' });
  });
};
