/**
 * Schemas of the files and bulk operations B1–B5.
 */
import { Type } from 'typebox';
import { Nullable, Uuid } from '@sicora/platform/schemas';
import { UpdateFields } from './users.schemas.ts';

export const ImportQuery = Type.Object({
  dry_run: Type.Boolean({ default: false }),
  role: Type.Optional(Type.String({ maxLength: 30 })),
  on_existing: Type.Union([Type.Literal('error'), Type.Literal('skip')], { default: 'error' }),
}, { additionalProperties: false });

export const ImportReportSchema = Type.Object({
  dry_run: Type.Boolean(), total_rows: Type.Integer(), valid_rows: Type.Integer(), error_rows: Type.Integer(), created: Type.Integer(),
  skipped: Type.Integer(), errors_truncated: Type.Optional(Type.Boolean()),
  errors: Type.Array(Type.Object({ line: Type.Integer(), column: Nullable(Type.String()), code: Type.String(), message: Type.String(), value: Nullable(Type.String()) })),
  created_users: Type.Array(Type.Object({
    line: Type.Integer(), id: Type.String(), email: Type.String(), document_number: Type.String(), role: Type.String(), group_number: Nullable(Type.String()),
  })),
});

export const CsvText = Type.String({ description: 'text/csv' });

export const BulkUpdateBody = Type.Object({
  items: Type.Array(Type.Object({ id: Uuid, ...UpdateFields }, { additionalProperties: false, minProperties: 2 }), { minItems: 1, maxItems: 500 }),
}, { additionalProperties: false });
export const BulkUpdateResult = Type.Object({ updated: Type.Integer(), items: Type.Array(Type.Object({ index: Type.Integer(), id: Type.String(), ok: Type.Boolean() })) });

export const BulkDeleteBody = Type.Object({ ids: Type.Array(Uuid, { minItems: 1, maxItems: 500, uniqueItems: true }) }, { additionalProperties: false });
export const BulkDeleteResult = Type.Object({ deleted: Type.Integer() });
