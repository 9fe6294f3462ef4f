/**
 * Schemas of T1–T9: a template with its current version, version metadata and text, bodies of create,
 * new version, patch, rollback and preview.
 */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { INT4_MAX, Nullable, Uuid } from '@sicora/platform/schemas';
import { CATEGORIES, CHANNELS, TYPE_PATTERN } from '../domain/enums.ts';

const lit = (v: readonly string[]) => Type.Union(v.map((x) => Type.Literal(x)));
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const TemplateSchema = Type.Object({
  id: Type.String(), type: Type.String(), channel: Type.String(), locale: Type.String(), category: Type.String(), is_active: Type.Boolean(), is_system: Type.Boolean(),
  description: Nullable(Type.String()), current_version: Type.Integer(), subject: Nullable(Type.String()), body_text: Type.String(), body_html: Nullable(Type.String()),
  created_at: Type.String(), updated_at: Type.String(), updated_by: Nullable(Type.String()),
});
export const VersionMetaSchema = Type.Object({ version: Type.Integer(), change_note: Nullable(Type.String()), created_by: Nullable(Type.String()), created_at: Type.String() });
export const TemplateDetailSchema = Type.Intersect([TemplateSchema, Type.Object({ versions: Type.Array(VersionMetaSchema) })]);
export const VersionSchema = Type.Object({ version: Type.Integer(), subject: Nullable(Type.String()), body_text: Type.String(), body_html: Nullable(Type.String()), change_note: Nullable(Type.String()), created_by: Nullable(Type.String()), created_at: Type.String() });
export const PreviewSchema = Type.Object({
  subject: Nullable(Type.String()), text: Type.String(), html: Nullable(Type.String()),
  sms: Nullable(Type.Object({ encoding: Type.String(), length: Type.Integer(), segments: Type.Integer() })), warnings: Type.Array(Type.String()),
});

export const TemplateListQuery = Type.Object({
  ...PageQuery, type: Type.Optional(Type.String({ maxLength: 100 })), channel: Type.Optional(lit(CHANNELS)), locale: Type.Optional(Type.String({ maxLength: 35 })),
  category: Type.Optional(lit(CATEGORIES)), is_active: Type.Optional(Type.Boolean()), is_system: Type.Optional(Type.Boolean()), sort: Type.Optional(lit(['type'])),
}, { additionalProperties: false });

export const CreateTemplateBody = Type.Object({
  type: Type.String({ pattern: TYPE_PATTERN, maxLength: 100 }), channel: lit(CHANNELS), locale: Type.Optional(Type.String({ maxLength: 35, pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$' })),
  subject: Type.Optional(Text(500)), body_text: Text(20_000), body_html: Type.Optional(Text(100_000)), description: Type.Optional(Type.String({ maxLength: 300 })),
}, { additionalProperties: false });

export const PreviewBody = Type.Object({
  template_id: Type.Optional(Uuid), version: Type.Optional(Type.Integer({ minimum: 1, maximum: INT4_MAX })), type: Type.Optional(Type.String({ pattern: TYPE_PATTERN })), channel: Type.Optional(lit(CHANNELS)),
  subject: Type.Optional(Text(500)), body_text: Type.Optional(Text(20_000)), body_html: Type.Optional(Text(100_000)), data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  locale: Type.Optional(Type.String({ maxLength: 35 })),
}, { additionalProperties: false });

export const NewVersionBody = Type.Object({
  subject: Type.Optional(Nullable(Text(500))), body_text: Text(20_000), body_html: Type.Optional(Nullable(Text(100_000))), change_note: Type.Optional(Type.String({ maxLength: 300 })),
  expected_version: Type.Integer({ minimum: 1, maximum: INT4_MAX }),
}, { additionalProperties: false });

export const PatchTemplateBody = Type.Object({ is_active: Type.Optional(Type.Boolean()), description: Type.Optional(Type.String({ maxLength: 300 })) }, { additionalProperties: false });

export const VersionParams = Type.Object({ id: Uuid, version: Type.Integer({ minimum: 1, maximum: INT4_MAX }) });
export const RollbackBody = Type.Object({ version: Type.Integer({ minimum: 1, maximum: INT4_MAX }) }, { additionalProperties: false });
