/**
 * Every configuration change of the admin API (gateway.md R40–R43): computed from the stored
 * configuration, validated as a whole, written with its new version in one transaction, then applied
 * at once on this instance (other instances follow within 5 s).
 */
import { AppError, errors } from '@sicora/platform/errors';
import { planImport, type ImportDocument } from '../core/config-import.ts';
import type { ConfigSnapshot } from '../core/gateway-config.ts';
import { validateConfig, type ConfigProblem } from '../core/config-validation.ts';
import type { ConfigRepo } from './config.repo.ts';
import type { ConfigStore } from './config-store.ts';

export type ConfigBody = Omit<ConfigSnapshot, 'version'>;

const STATUS_CODES: Record<string, ['conflict' | 'not_found' | 'invalid', string]> = {
  ROUTE_CONFLICT: ['conflict', 'La regla es ambigua con otra regla habilitada'],
  ROUTE_NAME_EXISTS: ['conflict', 'Ya existe una regla con ese nombre'],
  POLICY_PROTECTED: ['conflict', 'Las políticas integradas no se pueden eliminar ni renombrar'],
  ROUTE_RESERVED_PATH: ['invalid', 'El patrón está bajo una ruta propia del gateway'],
  SERVICE_NOT_FOUND: ['not_found', 'El servicio no existe'],
  POLICY_NOT_FOUND: ['not_found', 'La política no existe'],
};

export function problemsError(problems: ConfigProblem[]): AppError {
  const coded = problems.find((p) => STATUS_CODES[p.code]);
  if (coded) {
    const [kind, message] = STATUS_CODES[coded.code];
    return new AppError(coded.code, kind, message, { field: coded.field, name: coded.name, message: coded.message });
  }
  return errors.validation(problems.map((p) => ({ field: p.field, reason: p.code, message: p.message })));
}

export function createConfigAdmin(deps: { repo: ConfigRepo; store: ConfigStore }) {
  async function change(
    opts: { by: string | null; summary: string | ((before: ConfigBody, after: ConfigBody) => string); expectedVersion?: number },
    mutate: (cfg: ConfigBody) => ConfigBody | Promise<ConfigBody>,
  ): Promise<{ version: number; config: ConfigBody }> {
    const stored = await deps.repo.load();
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== stored.version) {
      throw errors.conflict('CONFIG_VERSION_CONFLICT', 'La configuración cambió; recargue e intente de nuevo', { current_version: stored.version });
    }
    const before: ConfigBody = structuredClone({ services: stored.services, routes: stored.routes, policies: stored.policies });
    const next = await mutate(structuredClone(before));
    const problems = validateConfig(next);
    if (problems.length > 0) throw problemsError(problems);
    const summary = typeof opts.summary === 'string' ? opts.summary : opts.summary(before, next);
    const version = await deps.repo.save(next, { baseVersion: stored.version, summary, by: opts.by });
    await deps.store.load();
    return { version, config: next };
  }
  /** C3: a new version equal to an earlier one's routes, policies and service settings (base URLs stay the environment's). */
  async function rollback(version: number, by: string | null): Promise<{ version: number }> {
    const snap = await deps.repo.versionSnapshot(version);
    if (!snap) throw errors.notFound('CONFIG_VERSION_NOT_FOUND', 'La versión de configuración no existe');
    return change({ by, summary: `reversión a la versión ${version}` }, (cfg) => ({
      // Services are only updated (their base URLs stay the environment's).
      services: cfg.services.map((s) => {
        const old = snap.services.find((o) => o.name === s.name);
        return old ? { ...old, base_url: s.base_url, display_name: s.display_name } : s;
      }),
      routes: snap.routes,
      policies: snap.policies,
    }));
  }

  /** C5: the file merged into (or replacing) the stored configuration, validated as one; `dryRun` writes nothing. */
  async function importConfig(doc: ImportDocument, opts: { mode: 'merge' | 'replace'; dryRun: boolean; by: string | null }) {
    const current = await deps.repo.load();
    const plan = planImport(current, doc, opts.mode);
    // Indexes name the entry of the file, not of the merged configuration.
    const problems = (plan.errors.length ? plan.errors : validateConfig(plan.config)).map((p) =>
      p.section === 'routes' && p.index >= 0 ? { ...p, index: (doc.routes ?? []).findIndex((r) => r.name === p.name) } : p.section === 'rate_limit_policies' && p.index >= 0 ? { ...p, index: (doc.rate_limit_policies ?? []).findIndex((r) => r.name === p.name) } : p,
    );
    if (problems.length) throw new AppError('CONFIG_IMPORT_INVALID', 'invalid', 'El archivo de configuración no es válido', { errors: problems });
    if (opts.dryRun) return { dry_run: true, ...plan.counts, config_version: current.version };
    const { counts } = plan;
    const { version } = await change({ by: opts.by, summary: `importación (${opts.mode}): ${counts.created} creadas, ${counts.updated} actualizadas, ${counts.deleted} eliminadas` }, () => plan.config);
    return { dry_run: false, ...counts, config_version: version };
  }

  return {
    change,
    rollback,
    importConfig,
    validate: validateConfig,
    /** C2: versions newest first. */
    versions: (page: number, pageSize: number) => deps.repo.versions(page, pageSize),
  };
}

export type ConfigAdmin = ReturnType<typeof createConfigAdmin>;
