/** TypeBox schemas of the CSV imports (P6, V7, G6, S8) and templates (S9). */
import { Type } from 'typebox';
import { Nullable, Uuid } from '@sicora/platform/schemas';
import { OneOf } from './common.schemas.ts';

export const ImportReportSchema = Type.Object({
  dry_run: Type.Boolean(),
  total_rows: Type.Integer({ minimum: 0 }),
  valid_rows: Type.Integer({ minimum: 0 }),
  error_rows: Type.Integer({ minimum: 0 }),
  created: Type.Integer({ minimum: 0 }),
  skipped: Type.Integer({ minimum: 0 }),
  errors: Type.Array(Type.Object({ line: Type.Integer({ minimum: 1 }), column: Nullable(Type.String()), code: Type.String(), message: Type.String(), value: Nullable(Type.String()) }), { maxItems: 1000 }),
  errors_truncated: Type.Boolean(),
  created_ids: Type.Array(Type.Object({ line: Type.Integer({ minimum: 2 }), id: Uuid })),
});

const DRY_RUN = 'true: validate and report only (200), nothing written; false (default): write all rows or none (201).';
const ON_EXISTING = 'error (default): an existing code/number, or a schedule row identical to an ACTIVE entry, is a row error; skip: such rows are reported as skipped.';

/** The options as query parameters… */
export const ImportQuery = Type.Object(
  {
    dry_run: Type.Optional(Type.Boolean({ description: DRY_RUN })),
    on_existing: Type.Optional(OneOf(['error', 'skip'], { description: ON_EXISTING })),
  },
  { additionalProperties: false },
);

/** …or as form fields of the upload, sent before the `file` part (the query wins when both are given). */
export const ImportFormFields = {
  dry_run: Type.Optional(OneOf(['true', 'false'], { description: DRY_RUN })),
  on_existing: Type.Optional(OneOf(['error', 'skip'], { description: ON_EXISTING })),
};

export const TEMPLATE_KINDS = ['schedules', 'groups', 'programs', 'venues'] as const;
export const TemplateParams = Type.Object({ kind: OneOf(TEMPLATE_KINDS) });
