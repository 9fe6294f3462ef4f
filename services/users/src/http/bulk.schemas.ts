/**
 * Schemas of the files and bulk operations B1–B5.
 */
import { Type } from 'typebox';
import { Nullable, Uuid } from '@sicora/platform/schemas';
import { oneOfValues } from './common.schemas.ts';
import { UpdateFields } from './users.schemas.ts';

export const ImportQuery = Type.Object({
  dry_run: Type.Boolean({ default: false, description: 'Valida todo sin escribir (200)' }),
  // The roles a CSV may load (§6.1), `apprentice` being aprendiz's alias; a row's own `role` column wins.
  role: Type.Optional(oneOfValues(['aprendiz', 'instructor', 'apprentice'], { description: 'Rol de las filas sin columna `role`' })),
  on_existing: Type.Unsafe<'error' | 'skip'>({ type: 'string', enum: ['error', 'skip'], default: 'error', description: '`skip`: una fila cuyo correo y documento son de un mismo usuario existente se omite' }),
}, { additionalProperties: false });

export const ImportReportSchema = Type.Object({
  dry_run: Type.Boolean(), total_rows: Type.Integer(), valid_rows: Type.Integer(), error_rows: Type.Integer(), created: Type.Integer(),
  skipped: Type.Integer(), errors_truncated: Type.Optional(Type.Boolean()),
  errors: Type.Array(Type.Object({ line: Type.Integer(), column: Nullable(Type.String()), code: Type.String(), message: Type.String(), value: Nullable(Type.String()) })),
  created_users: Type.Array(Type.Object({
    line: Type.Integer(), id: Uuid, email: Type.String(), document_number: Type.String(),
    role: oneOfValues(['aprendiz', 'instructor']), group_number: Nullable(Type.String()),
  })),
});

export const BulkUpdateBody = Type.Object({
  items: Type.Array(Type.Object({ id: Uuid, ...UpdateFields }, { additionalProperties: false, minProperties: 2 }), { minItems: 1, maxItems: 500 }),
}, { additionalProperties: false });
export const BulkUpdateResult = Type.Object({ updated: Type.Integer(), items: Type.Array(Type.Object({ index: Type.Integer(), id: Type.String(), ok: Type.Boolean() })) });

export const BulkDeleteBody = Type.Object({ ids: Type.Array(Uuid, { minItems: 1, maxItems: 500, uniqueItems: true }) }, { additionalProperties: false });
export const BulkDeleteResult = Type.Object({ deleted: Type.Integer() });
