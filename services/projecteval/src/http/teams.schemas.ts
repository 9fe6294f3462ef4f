/** Schemas of P1–P9 (teams) and P10–P15 (ideas). */
import { Type } from 'typebox';
import { Nullable, Uuid } from '@sicora/platform/schemas';
import { IDEA_STATUSES, MEMBER_ROLES, TEAM_STATUSES } from '../domain/enums.ts';
import { Instant, NInstant, NString, NUuid, OneOf, PageQuery, SortQuery, Text } from './common.schemas.ts';

export const TeamSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  group_id: Uuid,
  group_number: Type.String(),
  advisor_id: Uuid,
  advisor_name: NString,
  leader_id: NUuid,
  status: OneOf(TEAM_STATUSES),
  close_reason: NString,
  members: Type.Array(Type.Object({ student_id: Uuid, name: NString, role: OneOf(MEMBER_ROLES), joined_at: Instant, left_at: NInstant })),
  member_count: Type.Integer(),
  project: Nullable(Type.Object({ id: Uuid, title: Type.String(), status: Type.String() })),
  idea_counts: Type.Record(Type.String(), Type.Integer()),
  created_by: Uuid,
  created_at: Instant,
  updated_at: Instant,
  closed_at: NInstant,
});

export const TeamListQuery = Type.Object({
  ...PageQuery,
  group_id: Type.Optional(Uuid),
  status: Type.Optional(OneOf(TEAM_STATUSES)),
  advisor_id: Type.Optional(Uuid),
  student_id: Type.Optional(Uuid),
  search: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  sort: SortQuery(['name', 'created_at']),
});

const Member = Type.Object({ student_id: Uuid, role: Type.Optional(OneOf(MEMBER_ROLES)) }, { additionalProperties: false });

export const TeamCreateBody = Type.Object(
  {
    name: Text(3, 100),
    group_id: Uuid,
    advisor_id: Type.Optional(Uuid),
    members: Type.Optional(Type.Array(Member, { maxItems: 5 })),
    leader_id: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const TeamPatchBody = Type.Object({ name: Type.Optional(Text(3, 100)), leader_id: Type.Optional(Uuid), advisor_id: Type.Optional(Uuid) }, { additionalProperties: false, minProperties: 1 });
export const MemberBody = Member;
export const CloseBody = Type.Object({ reason: Text(10, 500) }, { additionalProperties: false });

export const IdeaSchema = Type.Object({
  id: Uuid,
  team_id: Uuid,
  title: Type.String(),
  description: Type.String(),
  objectives: Type.String(),
  technologies: Type.Array(Type.String()),
  stakeholder_id: NUuid,
  stakeholder_info: NString,
  expected_impact: NString,
  status: OneOf(IDEA_STATUSES),
  viability_score: Nullable(Type.Integer()),
  feedback: NString,
  proposed_by: Uuid,
  decided_by: NUuid,
  decided_at: NInstant,
  created_at: Instant,
  updated_at: Instant,
});

const ideaFields = {
  title: Text(5, 200),
  description: Text(20, 5000),
  objectives: Text(10, 2000),
  technologies: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 15 })),
  stakeholder_id: Type.Optional(Nullable(Uuid)),
  stakeholder_info: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  expected_impact: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
};
export const IdeaCreateBody = Type.Object(ideaFields, { additionalProperties: false });
export const IdeaPatchBody = Type.Object(
  { ...ideaFields, title: Type.Optional(ideaFields.title), description: Type.Optional(ideaFields.description), objectives: Type.Optional(ideaFields.objectives) },
  { additionalProperties: false, minProperties: 1 },
);
export const IdeaDecisionBody = Type.Object(
  {
    decision: OneOf(['approve', 'reject', 'request_revision'] as const),
    viability_score: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    feedback: Type.Optional(Text(10, 2000)),
  },
  { additionalProperties: false },
);
export const IdeaListQuery = Type.Object({
  ...PageQuery,
  team_id: Type.Optional(Uuid),
  group_id: Type.Optional(Uuid),
  status: Type.Optional(OneOf(IDEA_STATUSES)),
  sort: SortQuery(['created_at', 'title']),
});
