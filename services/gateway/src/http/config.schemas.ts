/**
 * C1–C5 (gateway.md §4.6, §6.2): reload, versions, rollback, export and import.
 */
import { Type } from 'typebox';
import { INT4_MAX, Nullable } from '@sicora/platform/schemas';

export const ReloadResult = Type.Object({ config_version: Type.Integer(), loaded_at: Type.String() });

export const VersionRow = Type.Object({
  version: Type.Integer(),
  created_at: Type.String(),
  created_by: Nullable(Type.String()),
  change_summary: Type.String(),
});

export const RollbackBody = Type.Object({ version: Type.Integer({ minimum: 1, maximum: INT4_MAX }) }, { additionalProperties: false });

export const VersionResult = Type.Object({ config_version: Type.Integer() });

export const ImportQuery = Type.Object({
  mode: Type.Optional(Type.Union([Type.Literal('merge'), Type.Literal('replace')])),
  dry_run: Type.Optional(Type.Boolean()),
});

export const ImportResult = Type.Object({
  dry_run: Type.Boolean(),
  created: Type.Integer(),
  updated: Type.Integer(),
  deleted: Type.Integer(),
  config_version: Type.Integer(),
});
