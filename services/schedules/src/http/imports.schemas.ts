/** TypeBox schemas of the CSV imports (P6, V7, G6, S8) and templates (S9). */
import { Type } from 'typebox';
import { Nullable, Uuid } from '@sicora/platform/schemas';

export const ImportReportSchema = Type.Object({
  dry_run: Type.Boolean(),
  total_rows: Type.Integer(),
  valid_rows: Type.Integer(),
  error_rows: Type.Integer(),
  created: Type.Integer(),
  skipped: Type.Integer(),
  errors: Type.Array(Type.Object({ line: Type.Integer(), column: Nullable(Type.String()), code: Type.String(), message: Type.String(), value: Nullable(Type.String()) })),
  errors_truncated: Type.Boolean(),
  created_ids: Type.Array(Type.Object({ line: Type.Integer(), id: Uuid })),
});

export const ImportQuery = Type.Object(
  { dry_run: Type.Optional(Type.Boolean()), on_existing: Type.Optional(Type.Union([Type.Literal('error'), Type.Literal('skip')])) },
  { additionalProperties: false },
);

export const TemplateParams = Type.Object({ kind: Type.Union(['schedules', 'groups', 'programs', 'venues'].map((k) => Type.Literal(k))) });
