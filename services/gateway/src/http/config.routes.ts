/**
 * C1–C5: configuration reload, versions, rollback, export and import (gateway.md §4.6, §6.2).
 */
import { Type } from 'typebox';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { AppError, errors } from '@sicora/platform/errors';
import { PageQuery, pageRequest, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import { planImport, exportDocument, type ImportDocument } from '../core/config-import.ts';
import { validateConfig } from '../core/config-validation.ts';
import type { OpenApiMerger } from '../infrastructure/openapi-merger.ts';
import { actor } from './admin-guard.ts';
import type { GatewayRuntime } from './runtime.ts';

const tags = ['gateway-config'];

export async function configRoutes(app: App, opts: { rt: GatewayRuntime; openapi: OpenApiMerger }): Promise<void> {
  const rt = opts.rt;
  app.addHook('preHandler', async (request) => rt.guard.requireAdmin(request));

  app.post('/api/v1/gateway/config/reload', {
    schema: { summary: 'Recargar configuración', description: 'C1: reloads the stored configuration on this instance now.', tags, response: { 200: Envelope(Type.Object({ config_version: Type.Integer(), loaded_at: Type.String() })), ...errorResponses(401, 403, 503) } },
  }, async (request) => {
    const cfg = await rt.config.load();
    // R52: C1 also refetches the services' documents (in the background; the last good copies serve meanwhile).
    void opts.openapi.refresh();
    return ok(request, { config_version: cfg.snapshot.version, loaded_at: cfg.loadedAt.toISOString() }, { message: 'Configuración recargada' });
  });

  app.get('/api/v1/gateway/config/versions', {
    schema: {
      summary: 'Versiones de configuración',
      description: 'C2: versions newest first, with their change summaries.',
      tags,
      querystring: Type.Object(PageQuery),
      response: {
        200: Envelope(Type.Array(Type.Object({ version: Type.Integer(), created_at: Type.String(), created_by: Type.Union([Type.String(), Type.Null()]), change_summary: Type.String() }))),
        ...errorResponses(401, 403, 422),
      },
    },
  }, async (request) => {
    const page = pageRequest(request.query);
    const { rows, total } = await rt.repo.versions(page.page, page.pageSize);
    return ok(request, rows, { pagination: paginationMeta(page, total) });
  });

  app.post('/api/v1/gateway/config/rollback', {
    schema: {
      summary: 'Volver a una versión',
      description: 'C3: a new version equal to the snapshot of an earlier one.',
      tags,
      body: Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      response: { 200: Envelope(Type.Object({ config_version: Type.Integer() })), ...errorResponses(401, 403, 404, 409, 422) },
    },
  }, async (request) => {
    const snap = await rt.repo.versionSnapshot(request.body.version);
    if (!snap) throw errors.notFound('CONFIG_VERSION_NOT_FOUND', 'La versión de configuración no existe');
    const { version } = await rt.configAdmin.change({ by: actor(request), summary: `reversión a la versión ${request.body.version}` }, (cfg) => ({
      // Services are only updated (their base URLs stay the environment's).
      services: cfg.services.map((s) => {
        const old = snap.services.find((o) => o.name === s.name);
        return old ? { ...old, base_url: s.base_url, display_name: s.display_name } : s;
      }),
      routes: snap.routes,
      policies: snap.policies,
    }));
    return ok(request, { config_version: version }, { message: 'Configuración revertida' });
  });

  app.get('/api/v1/gateway/config/export', {
    schema: { summary: 'Exportar configuración', description: 'C4: the configuration file of §6.2.', tags, response: { 200: Type.Unknown(), ...errorResponses(401, 403) } },
  }, async (_request, reply) => {
    const cfg = rt.config.current().snapshot;
    return reply
      .type('application/json; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="gateway_config_v${cfg.version}.json"`)
      .send(JSON.stringify(exportDocument(cfg, new Date())));
  });

  app.post('/api/v1/gateway/config/import', {
    bodyLimit: 1_048_576,
    schema: {
      summary: 'Importar configuración',
      description: 'C5: merge (default) or replace; the whole file is validated as one configuration; dry_run validates only.',
      tags,
      querystring: Type.Object({ mode: Type.Optional(Type.Union([Type.Literal('merge'), Type.Literal('replace')])), dry_run: Type.Optional(Type.Boolean()) }),
      body: Type.Unknown(),
      response: {
        200: Envelope(Type.Object({ dry_run: Type.Boolean(), created: Type.Integer(), updated: Type.Integer(), deleted: Type.Integer(), config_version: Type.Integer() })),
        ...errorResponses(401, 403, 409, 413, 422),
      },
    },
  }, async (request) => {
    const mode = request.query.mode ?? 'merge';
    const dry = request.query.dry_run ?? false;
    const current = await rt.repo.load();
    const plan = planImport(current, request.body as ImportDocument, mode);
    const doc = request.body as ImportDocument;
    // Indexes name the entry of the file, not of the merged configuration.
    const problems = (plan.errors.length ? plan.errors : validateConfig(plan.config)).map((p) =>
      p.section === 'routes' && p.index >= 0 ? { ...p, index: (doc.routes ?? []).findIndex((r) => r.name === p.name) } : p.section === 'rate_limit_policies' && p.index >= 0 ? { ...p, index: (doc.rate_limit_policies ?? []).findIndex((r) => r.name === p.name) } : p,
    );
    if (problems.length) throw new AppError('CONFIG_IMPORT_INVALID', 'invalid', 'El archivo de configuración no es válido', { errors: problems });
    if (dry) return ok(request, { dry_run: true, ...plan.counts, config_version: current.version });
    const { version } = await rt.configAdmin.change({ by: actor(request), summary: `importación (${mode}): ${plan.counts.created} creadas, ${plan.counts.updated} actualizadas, ${plan.counts.deleted} eliminadas` }, () => plan.config);
    return ok(request, { dry_run: false, ...plan.counts, config_version: version }, { message: 'Configuración importada' });
  });
}
