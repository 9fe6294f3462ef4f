/** The API shapes of teams, ideas, projects, stakeholders and rubrics (§3 "Responses add"). */
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import { isApprentice, type Actor, type Deps } from './context.ts';
import { names } from './people.ts';
import type { BandRow, CriterionRow, IdeaRow, ProjectRow, RubricRow, ScopeChangeRow, StakeholderRow, TeamRow } from './ports.ts';

export async function teamViews(deps: Pick<Deps, 'repos' | 'users'>, teams: TeamRow[]) {
  const ids = teams.map((t) => t.id);
  const [members, counts, projects] = await Promise.all([deps.repos.teams.members(ids), deps.repos.teams.ideaCounts(ids), deps.repos.teams.projectsOf(ids)]);
  const people = await names(deps, [...members.map((m) => m.studentId), ...teams.map((t) => t.advisorId)]);
  return teams.map((t) => {
    // A closed team shows its former members (R6 closes every membership).
    const mine = members.filter((m) => m.teamId === t.id && (t.status === 'closed' ? true : m.leftAt === null));
    const project = projects.find((p) => p.teamId === t.id);
    const ideaCounts: Record<string, number> = {};
    for (const c of counts.filter((c) => c.teamId === t.id)) ideaCounts[c.status] = c.n;
    return {
      id: t.id,
      name: t.name,
      group_id: t.groupId,
      group_number: t.groupNumber,
      advisor_id: t.advisorId,
      advisor_name: people.name(t.advisorId),
      leader_id: t.leaderId,
      status: t.status,
      close_reason: t.closeReason,
      members: mine.map((m) => ({ student_id: m.studentId, name: people.name(m.studentId), role: m.role, joined_at: toIso(m.joinedAt), left_at: toIsoOrNull(m.leftAt) })),
      member_count: mine.filter((m) => m.leftAt === null).length,
      project: project ? { id: project.id, title: project.title, status: project.status } : null,
      idea_counts: ideaCounts,
      created_by: t.createdBy,
      created_at: toIso(t.createdAt),
      updated_at: toIso(t.updatedAt),
      closed_at: toIsoOrNull(t.closedAt),
    };
  });
}

export function ideaView(i: IdeaRow) {
  return {
    id: i.id,
    team_id: i.teamId,
    title: i.title,
    description: i.description,
    objectives: i.objectives,
    technologies: i.technologies,
    stakeholder_id: i.stakeholderId,
    stakeholder_info: i.stakeholderInfo,
    expected_impact: i.expectedImpact,
    status: i.status,
    viability_score: i.viabilityScore,
    feedback: i.feedback,
    proposed_by: i.proposedBy,
    decided_by: i.decidedBy,
    decided_at: toIsoOrNull(i.decidedAt),
    created_at: toIso(i.createdAt),
    updated_at: toIso(i.updatedAt),
  };
}

export function stakeholderView(s: StakeholderRow) {
  return {
    id: s.id,
    name: s.name,
    stakeholder_type: s.stakeholderType,
    status: s.status,
    contact_person: s.contactPerson,
    email: s.email,
    phone: s.phone,
    sector: s.sector,
    website: s.website,
    notes: s.notes,
    created_by: s.createdBy,
    created_at: toIso(s.createdAt),
    updated_at: toIso(s.updatedAt),
  };
}

export async function projectViews(deps: Pick<Deps, 'repos' | 'users'>, actor: Actor, rows: ProjectRow[]) {
  const teamRows = await deps.repos.teams.byIds([...new Set(rows.map((p) => p.teamId))]);
  const counts = await deps.repos.projects.deliverableCounts(rows.map((p) => p.id));
  const stakeholderIds = [...new Set(rows.map((p) => p.stakeholderId).filter((id): id is string => Boolean(id)))];
  const stakeholders = await Promise.all(stakeholderIds.map((id) => deps.repos.stakeholders.byId(id)));
  return rows.map((p) => {
    const team = teamRows.find((t) => t.id === p.teamId);
    const s = stakeholders.find((x) => x?.id === p.stakeholderId);
    // R15: apprentices see only the public fields of their project's stakeholder.
    const stakeholder = s ? (isApprentice(actor) ? { id: s.id, name: s.name, stakeholder_type: s.stakeholderType, sector: s.sector, website: s.website } : stakeholderView(s)) : null;
    return {
      id: p.id,
      team_id: p.teamId,
      idea_id: p.ideaId,
      title: p.title,
      description: p.description,
      objectives: p.objectives,
      scope: p.scope,
      technologies: p.technologies,
      project_type: p.projectType,
      stakeholder_id: p.stakeholderId,
      status: p.status,
      status_reason: p.statusReason,
      scope_locked: p.scopeLocked,
      scope_locked_at: toIsoOrNull(p.scopeLockedAt),
      scope_locked_by: p.scopeLockedBy,
      scope_lock_reason: p.scopeLockReason,
      scope_version: p.scopeVersion,
      start_date: p.startDate,
      expected_end_date: p.expectedEndDate,
      repository_url: p.repositoryUrl,
      stakeholder_expectations_documented: p.stakeholderExpectationsDocumented,
      stakeholder_limitations_communicated: p.stakeholderLimitationsCommunicated,
      intellectual_property_owner: p.intellectualPropertyOwner,
      created_by: p.createdBy,
      created_at: toIso(p.createdAt),
      updated_at: toIso(p.updatedAt),
      completed_at: toIsoOrNull(p.completedAt),
      team: team ? { id: team.id, name: team.name, group_id: team.groupId, group_number: team.groupNumber, advisor_id: team.advisorId, status: team.status } : null,
      stakeholder,
      deliverable_counts: { total: counts.find((c) => c.projectId === p.id)?.n ?? 0 },
    };
  });
}

export function scopeChangeView(c: ScopeChangeRow) {
  return {
    id: c.id,
    project_id: c.projectId,
    scope_version: c.scopeVersion,
    changes: c.changes,
    change_request_id: c.changeRequestId,
    reason: c.reason,
    changed_by: c.changedBy,
    changed_at: toIso(c.changedAt),
  };
}

export function rubricDetailView(r: RubricRow, extra: { weightTotal: number; usage: number }, content: { criteria: CriterionRow[]; bands: BandRow[] }) {
  return {
    ...rubricView(r, extra),
    criteria: content.criteria.map((c) => ({ id: c.id, position: c.position, name: c.name, description: c.description, weight: c.weight, levels: c.levels })),
    grade_bands: content.bands,
  };
}

export function rubricView(r: RubricRow, extra: { weightTotal: number; usage: number }) {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    program_code: r.programCode,
    trimester: r.trimester,
    status: r.status,
    version: r.version,
    derived_from_id: r.derivedFromId,
    created_by: r.createdBy,
    activated_at: toIsoOrNull(r.activatedAt),
    archived_at: toIsoOrNull(r.archivedAt),
    created_at: toIso(r.createdAt),
    updated_at: toIso(r.updatedAt),
    weight_total: extra.weightTotal,
    usage_count: extra.usage,
  };
}
