/**
 * C1–C5: configuration reload, versions, rollback, export and import (gateway.md §4.6, §6.2).
 */
import { Type } from 'typebox';
import { guardRoutes } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { PageQuery, pageRequest, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { RoutesPlugin } from '@sicora/platform/server';
import { exportDocument, type ImportDocument } from '../core/config-import.ts';
import type { OpenApiMerger } from '../infrastructure/openapi-merger.ts';
import { actor } from './admin-guard.ts';
import { ImportQuery, ImportResult, ReloadResult, RollbackBody, VersionResult, VersionRow } from './config.schemas.ts';
import type { GatewayRuntime } from './runtime.ts';

export interface ConfigRoutesOptions {
  rt: GatewayRuntime;
  openapi: Pick<OpenApiMerger, 'refresh'>;
}

const tags = ['gateway-config'];

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
    schema: { summary: 'Exportar configuración', description: 'C4: the configuration file of §6.2.', tags, response: { 200: Type.Unknown(), ...errorResponses(401, 403) } },
  }, async (_request, reply) => {
    const cfg = rt.config.current().snapshot;
    return reply
      .type('application/json; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="gateway_config_v${cfg.version}.json"`)
      .send(JSON.stringify(exportDocument(cfg, rt.now())));
  });

  app.post('/api/v1/gateway/config/import', {
    bodyLimit: 1_048_576,
    schema: {
      summary: 'Importar configuración',
      description: 'C5: merge (default) or replace; the whole file is validated as one configuration; dry_run validates only.',
      tags,
      querystring: ImportQuery,
      body: Type.Unknown(),
      response: { 200: Envelope(ImportResult), ...errorResponses(401, 403, 409, 413, 422) },
    },
  }, async (request) => {
    const mode = request.query.mode ?? 'merge';
    const result = await rt.configAdmin.importConfig(request.body as ImportDocument, { mode, dryRun: request.query.dry_run ?? false, by: actor(request) });
    return result.dry_run ? ok(request, result) : ok(request, result, { message: 'Configuración importada' });
  });
};
