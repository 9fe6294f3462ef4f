/**
 * The configuration file of gateway.md §6.2: export, and the import plan (merge or replace) that is
 * validated as one configuration before anything is written.
 */
import { randomUUID } from 'node:crypto';
import type { ConfigProblem } from './config-validation.ts';
import type { ConfigSnapshot, Policy, RouteRule, ServiceSetting } from './gateway-config.ts';

export const FORMAT = 'sicora-gateway-config' as const;

type ServiceFields = Pick<ServiceSetting, 'name' | 'base_url_override' | 'attempt_timeout_ms' | 'deadline_ms' | 'max_retries' | 'critical' | 'enabled' | 'maintenance_message'>;

export interface ImportDocument {
  format?: unknown;
  format_version?: unknown;
  services?: Array<Partial<ServiceFields>>;
  routes?: Array<Partial<Omit<RouteRule, 'id'>>>;
  rate_limit_policies?: Array<Partial<Policy>>;
}

export function exportDocument(cfg: ConfigSnapshot, now: Date) {
  return {
    format: FORMAT,
    format_version: 1 as const,
    exported_at: now.toISOString(),
    config_version: cfg.version,
    services: cfg.services.map(({ name, base_url_override, attempt_timeout_ms, deadline_ms, max_retries, critical, enabled, maintenance_message }) => ({
      name, base_url_override, attempt_timeout_ms, deadline_ms, max_retries, critical, enabled, maintenance_message,
    })),
    routes: cfg.routes.map(({ id: _id, ...rest }) => rest),
    rate_limit_policies: cfg.policies,
  };
}

const ROUTE_DEFAULTS = { methods: null, roles: null, rate_limit_policy: null, attempt_timeout_ms: null, deadline_ms: null, max_retries: null, body_limit_bytes: null, enabled: true, description: '' };
const REQUIRED_ROUTE = ['name', 'pattern', 'match', 'service', 'access'] as const;
const REQUIRED_POLICY = ['name', 'key_by', 'limit', 'window_seconds'] as const;

export function planImport(current: ConfigSnapshot, doc: ImportDocument, mode: 'merge' | 'replace') {
  const errors: ConfigProblem[] = [];
  const counts = { created: 0, updated: 0, deleted: 0 };
  const problem = (section: ConfigProblem['section'], index: number, name: string, field: string, message: string) =>
    errors.push({ section, index, name, field, code: 'invalid', message });
  if (!doc || typeof doc !== 'object') {
    problem('routes', -1, '', 'format', 'El archivo debe ser un objeto JSON');
    return { errors, counts, config: current };
  }
  if (doc.format !== FORMAT) problem('routes', -1, '', 'format', `Debe ser "${FORMAT}"`);
  if (doc.format_version !== 1) problem('routes', -1, '', 'format_version', 'Debe ser 1');
  const services = current.services.map((s) => ({ ...s }));
  (doc.services ?? []).forEach((s, index) => {
    const target = services.find((x) => x.name === s.name);
    if (!target) return problem('services', index, String(s.name ?? ''), 'name', 'El servicio no existe');
    const { name: _n, ...fields } = s;
    Object.assign(target, fields);
    counts.updated++;
  });
  const policies = mode === 'replace' ? current.policies.filter((p) => p.builtin).map((p) => ({ ...p })) : current.policies.map((p) => ({ ...p }));
  (doc.rate_limit_policies ?? []).forEach((p, index) => {
    const missing = REQUIRED_POLICY.find((f) => p[f] === undefined);
    if (missing) return problem('rate_limit_policies', index, String(p.name ?? ''), missing, 'Campo obligatorio');
    const existing = policies.find((x) => x.name === p.name);
    const merged: Policy = { ...{ failure_mode: null, enabled: true, description: '' }, ...existing, ...(p as Policy), builtin: existing?.builtin ?? current.policies.some((c) => c.name === p.name && c.builtin) };
    if (existing) Object.assign(existing, merged);
    else policies.push(merged);
    if (current.policies.some((c) => c.name === p.name)) counts.updated++;
    else counts.created++;
  });
  const routes = mode === 'replace' ? [] : current.routes.map((r) => ({ ...r }));
  (doc.routes ?? []).forEach((r, index) => {
    const missing = REQUIRED_ROUTE.find((f) => r[f] === undefined);
    if (missing) return problem('routes', index, String(r.name ?? ''), missing, 'Campo obligatorio');
    const old = current.routes.find((x) => x.name === r.name);
    const rule: RouteRule = { ...ROUTE_DEFAULTS, ...(r as RouteRule), id: old?.id ?? randomUUID() };
    const at = routes.findIndex((x) => x.name === r.name);
    if (at === -1) routes.push(rule);
    else routes[at] = rule;
    if (old) counts.updated++;
    else counts.created++;
  });
  if (mode === 'replace') {
    counts.deleted += current.routes.filter((r) => !routes.some((x) => x.name === r.name)).length;
    counts.deleted += current.policies.filter((p) => !policies.some((x) => x.name === p.name)).length;
  }
  return { errors, counts, config: { services, routes, policies } };
}
