/**
 * C1–C5 (gateway.md §4.6, §6.2): reload, versions, rollback, and the configuration file that C4 writes
 * and C5 reads.
 */
import { Type } from 'typebox';
import { INT4_MAX, Nullable, Uuid } from '@sicora/platform/schemas';
import { FORMAT } from '../core/config-import.ts';
import { Policy, PolicyCreate } from './policies.schemas.ts';
import { Route, RouteCreate } from './route-rules.schemas.ts';
import { Instant } from './schema-parts.ts';
import { ServiceNameEnum, ServicePatch } from './services.schemas.ts';

export const ReloadResult = Type.Object({ config_version: Type.Integer(), loaded_at: Instant });

export const VersionRow = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  created_at: Instant,
  created_by: Nullable(Uuid),
  change_summary: Type.String(),
});

export const RollbackBody = Type.Object({ version: Type.Integer({ minimum: 1, maximum: INT4_MAX }) }, { additionalProperties: false });

export const VersionResult = Type.Object({ config_version: Type.Integer() });

export const ImportQuery = Type.Object({
  mode: Type.Optional(Type.Union([Type.Literal('merge'), Type.Literal('replace')], { default: 'merge' })),
  dry_run: Type.Optional(Type.Boolean({ default: false })),
});

export const ImportResult = Type.Object({
  dry_run: Type.Boolean(),
  created: Type.Integer({ minimum: 0 }),
  updated: Type.Integer({ minimum: 0 }),
  deleted: Type.Integer({ minimum: 0 }),
  config_version: Type.Integer(),
});

const { config_version: _rv, id: _id, ...routeOut } = Route.properties;
const { config_version: _pv, routes_using: _ru, ...policyOut } = Policy.properties;
const { expected_config_version: _sv, ...serviceIn } = ServicePatch.properties;
const { expected_config_version: _rc, ...routeIn } = RouteCreate.properties;
const { expected_config_version: _pc, ...policyIn } = PolicyCreate.properties;

const serviceOut = {
  name: ServiceNameEnum,
  base_url_override: Nullable(Type.String()),
  attempt_timeout_ms: Type.Integer(),
  deadline_ms: Type.Integer(),
  max_retries: Type.Integer(),
  critical: Type.Boolean(),
  enabled: Type.Boolean(),
  maintenance_message: Nullable(Type.String()),
};

/** C4: the file of §6.2 as exported (every field of every entry). */
export const ConfigFile = Type.Object({
  format: Type.Literal(FORMAT),
  format_version: Type.Literal(1),
  exported_at: Instant,
  config_version: Type.Integer(),
  services: Type.Array(Type.Object(serviceOut)),
  routes: Type.Array(Type.Object(routeOut)),
  rate_limit_policies: Type.Array(Type.Object(policyOut)),
});

/**
 * C5: the same file as read. Entries are matched by `name`: a service is only updated (any of its
 * settings), a rule or policy takes the fields of RT2/P2; `exported_at`, `config_version` and a policy's
 * `builtin` are read back from an export and ignored. A file that breaks this schema is refused like one
 * that breaks the configuration rules: 422 CONFIG_IMPORT_INVALID naming the entry and field.
 */
export const ConfigImport = Type.Object(
  {
    format: Type.Literal(FORMAT),
    format_version: Type.Literal(1),
    exported_at: Type.Optional(Type.String()),
    config_version: Type.Optional(Type.Integer()),
    services: Type.Optional(Type.Array(Type.Object({ name: Type.String(), ...serviceIn }, { additionalProperties: false }))),
    routes: Type.Optional(Type.Array(Type.Object(routeIn, { additionalProperties: false }))),
    rate_limit_policies: Type.Optional(Type.Array(Type.Object({ ...policyIn, builtin: Type.Optional(Type.Boolean()) }, { additionalProperties: false }))),
  },
  { additionalProperties: false },
);
