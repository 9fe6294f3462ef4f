/** Schemas of P16–P22 (projects) and P23–P26 (stakeholders). */
import { Type } from 'typebox';
import { Email, LocalDate, Nullable, Uuid } from '@sicora/platform/schemas';
import { PROJECT_STATUSES, PROJECT_TYPES, STAKEHOLDER_STATUSES, STAKEHOLDER_TYPES, TEAM_STATUSES } from '../domain/enums.ts';
import { HttpUrl, Instant, NInstant, NString, NUuid, OneOf, PageQuery, SortQuery, Text } from './common.schemas.ts';

export const StakeholderSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  stakeholder_type: OneOf(STAKEHOLDER_TYPES),
  status: OneOf(STAKEHOLDER_STATUSES),
  contact_person: Type.String(),
  email: Type.String(),
  phone: NString,
  sector: NString,
  website: NString,
  notes: NString,
  created_by: Uuid,
  created_at: Instant,
  updated_at: Instant,
});

/** R15: what an apprentice sees of their project's stakeholder. */
const PublicStakeholder = Type.Object({ id: Uuid, name: Type.String(), stakeholder_type: OneOf(STAKEHOLDER_TYPES), sector: NString, website: NString });

export const ProjectSchema = Type.Object({
  id: Uuid,
  team_id: Uuid,
  idea_id: Uuid,
  title: Type.String(),
  description: Type.String(),
  objectives: Type.String(),
  scope: Type.String(),
  technologies: Type.Array(Type.String()),
  project_type: OneOf(PROJECT_TYPES),
  stakeholder_id: NUuid,
  status: OneOf(PROJECT_STATUSES),
  status_reason: NString,
  scope_locked: Type.Boolean(),
  scope_locked_at: NInstant,
  scope_locked_by: NUuid,
  scope_lock_reason: NString,
  scope_version: Type.Integer(),
  start_date: LocalDate,
  expected_end_date: LocalDate,
  repository_url: NString,
  stakeholder_expectations_documented: Type.Boolean(),
  stakeholder_limitations_communicated: Type.Boolean(),
  intellectual_property_owner: Type.String(),
  created_by: Uuid,
  created_at: Instant,
  updated_at: Instant,
  completed_at: NInstant,
  team: Nullable(Type.Object({ id: Uuid, name: Type.String(), group_id: Uuid, group_number: Type.String(), advisor_id: Uuid, status: OneOf(TEAM_STATUSES) })),
  stakeholder: Nullable(Type.Union([StakeholderSchema, PublicStakeholder])),
  deliverable_counts: Type.Object({ total: Type.Integer() }),
});

const scopeFields = {
  title: Type.Optional(Text(5, 200)),
  description: Type.Optional(Text(20, 5000)),
  objectives: Type.Optional(Text(10, 2000)),
  scope: Type.Optional(Text(20, 5000)),
  technologies: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 15 })),
};
export const ScopeFields = Type.Object(scopeFields, { additionalProperties: false, minProperties: 1, maxProperties: 5 });

export const ProjectCreateBody = Type.Object(
  {
    ...scopeFields,
    idea_id: Uuid,
    project_type: OneOf(PROJECT_TYPES),
    scope: Text(20, 5000),
    expected_end_date: LocalDate,
    start_date: Type.Optional(LocalDate),
    stakeholder_id: Type.Optional(Nullable(Uuid)),
    repository_url: Type.Optional(Nullable(HttpUrl())),
  },
  { additionalProperties: false },
);

export const ProjectPatchBody = Type.Object(
  {
    ...scopeFields,
    project_type: Type.Optional(OneOf(PROJECT_TYPES)),
    stakeholder_id: Type.Optional(Nullable(Uuid)),
    repository_url: Type.Optional(Nullable(HttpUrl())),
    expected_end_date: Type.Optional(LocalDate),
    stakeholder_expectations_documented: Type.Optional(Type.Boolean()),
    stakeholder_limitations_communicated: Type.Optional(Type.Boolean()),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ProjectStatusBody = Type.Object({ status: OneOf(PROJECT_STATUSES), reason: Text(10, 1000) }, { additionalProperties: false });
export const ScopeLockBody = Type.Object({ locked: Type.Boolean(), reason: Text(10, 1000) }, { additionalProperties: false });

export const ProjectListQuery = Type.Object({
  ...PageQuery,
  group_id: Type.Optional(Uuid),
  team_id: Type.Optional(Uuid),
  status: Type.Optional(OneOf(PROJECT_STATUSES)),
  project_type: Type.Optional(OneOf(PROJECT_TYPES)),
  advisor_id: Type.Optional(Uuid),
  stakeholder_id: Type.Optional(Uuid),
  search: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  sort: SortQuery(['title', 'created_at']),
});

export const ScopeChangeSchema = Type.Object({
  id: Uuid,
  project_id: Uuid,
  scope_version: Type.Integer(),
  changes: Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() })),
  change_request_id: NUuid,
  reason: NString,
  changed_by: Uuid,
  changed_at: Instant,
});
export const ScopeHistoryQuery = Type.Object({ ...PageQuery, sort: Type.Optional(Type.Literal('-scope_version')) });

const stakeholderFields = {
  name: Text(2, 200),
  stakeholder_type: OneOf(STAKEHOLDER_TYPES),
  contact_person: Text(2, 150),
  email: Email,
  phone: Type.Optional(Nullable(Type.String({ maxLength: 20, pattern: '^[0-9+()\\s-]{5,20}$' }))),
  sector: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  website: Type.Optional(Nullable(HttpUrl())),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
};
export const StakeholderCreateBody = Type.Object(stakeholderFields, { additionalProperties: false });
export const StakeholderPatchBody = Type.Object(
  {
    ...stakeholderFields,
    name: Type.Optional(stakeholderFields.name),
    stakeholder_type: Type.Optional(stakeholderFields.stakeholder_type),
    contact_person: Type.Optional(stakeholderFields.contact_person),
    email: Type.Optional(Email),
    status: Type.Optional(OneOf(STAKEHOLDER_STATUSES)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const StakeholderDetail = Type.Object({
  ...StakeholderSchema.properties,
  projects: Type.Array(Type.Object({ id: Uuid, title: Type.String(), status: OneOf(PROJECT_STATUSES) })),
  change_requests: Type.Object({ submitted: Type.Integer(), approved: Type.Integer(), rejected: Type.Integer() }),
});
export const StakeholderListQuery = Type.Object({
  ...PageQuery,
  stakeholder_type: Type.Optional(OneOf(STAKEHOLDER_TYPES)),
  status: Type.Optional(OneOf(STAKEHOLDER_STATUSES)),
  search: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  sort: Type.Optional(Type.Literal('name')),
});
