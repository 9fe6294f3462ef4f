/**
 * The `projecteval` schema: every table of this service lives here and nowhere else (00-conventions §5).
 * Tables and enums follow projecteval.md §3. Scores are numeric(4,1) read as strings by the driver and
 * turned into numbers by the repositories; local dates are `date` strings.
 */
import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, numeric, primaryKey, smallint, text, uniqueIndex, uuid, varchar, pgSchema } from 'drizzle-orm/pg-core';
import { auditTimestamps, createdAt, outboxTable, seedRunsTable, timestamptz } from '@sicora/platform/tables';
import {
  CR_ORIGINS, CR_PRIORITIES, CR_STATUSES, CR_TYPES, DELIVERABLE_TYPES, DOCUMENT_STATUSES, DOCUMENT_TYPES, EVALUATION_STATUSES, IDEA_STATUSES,
  JUROR_STATUSES, MEMBER_ROLES, PROJECT_STATUSES, PROJECT_TYPES, RUBRIC_STATUSES, SESSION_STATUSES, SESSION_TYPES, STAKEHOLDER_STATUSES,
  STAKEHOLDER_TYPES, SUBMISSION_STATUSES, TEAM_STATUSES,
} from '../../domain/enums.ts';

export const projectevalSchema = pgSchema('projecteval');

export const outbox = outboxTable(projectevalSchema);
export const seedRuns = seedRunsTable(projectevalSchema);

export const teamStatus = projectevalSchema.enum('team_status', TEAM_STATUSES);
export const memberRole = projectevalSchema.enum('member_role', MEMBER_ROLES);
export const ideaStatus = projectevalSchema.enum('idea_status', IDEA_STATUSES);
export const projectType = projectevalSchema.enum('project_type', PROJECT_TYPES);
export const projectStatus = projectevalSchema.enum('project_status', PROJECT_STATUSES);
export const stakeholderType = projectevalSchema.enum('stakeholder_type', STAKEHOLDER_TYPES);
export const stakeholderStatus = projectevalSchema.enum('stakeholder_status', STAKEHOLDER_STATUSES);
export const rubricStatus = projectevalSchema.enum('rubric_status', RUBRIC_STATUSES);
export const deliverableType = projectevalSchema.enum('deliverable_type', DELIVERABLE_TYPES);
export const submissionStatus = projectevalSchema.enum('submission_status', SUBMISSION_STATUSES);
export const sessionType = projectevalSchema.enum('session_type', SESSION_TYPES);
export const sessionStatus = projectevalSchema.enum('session_status', SESSION_STATUSES);
export const jurorStatus = projectevalSchema.enum('juror_status', JUROR_STATUSES);
export const evaluationStatus = projectevalSchema.enum('evaluation_status', EVALUATION_STATUSES);
export const crOrigin = projectevalSchema.enum('cr_origin', CR_ORIGINS);
export const crType = projectevalSchema.enum('cr_type', CR_TYPES);
export const crPriority = projectevalSchema.enum('cr_priority', CR_PRIORITIES);
export const crStatus = projectevalSchema.enum('cr_status', CR_STATUSES);
export const documentType = projectevalSchema.enum('document_type', DOCUMENT_TYPES);
export const documentStatus = projectevalSchema.enum('document_status', DOCUMENT_STATUSES);

const score = (name: string) => numeric(name, { precision: 4, scale: 1 });

export const teams = projectevalSchema.table(
  'teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: varchar('name', { length: 100 }).notNull(),
    groupId: uuid('group_id').notNull(),
    groupNumber: varchar('group_number', { length: 20 }).notNull(),
    advisorId: uuid('advisor_id').notNull(),
    leaderId: uuid('leader_id'),
    status: teamStatus('status').notNull().default('forming'),
    closeReason: varchar('close_reason', { length: 500 }),
    createdBy: uuid('created_by').notNull(),
    closedAt: timestamptz('closed_at'),
    ...auditTimestamps(),
  },
  (t) => [uniqueIndex('teams_group_name_uq').on(t.groupId, sql`lower(${t.name})`), index('teams_advisor_idx').on(t.advisorId)],
);

export const teamMembers = projectevalSchema.table(
  'team_members',
  {
    teamId: uuid('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    studentId: uuid('student_id').notNull(),
    role: memberRole('role').notNull().default('member'),
    joinedAt: timestamptz('joined_at').notNull(),
    leftAt: timestamptz('left_at'),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.studentId, t.joinedAt] }),
    uniqueIndex('team_members_open_uq').on(t.studentId).where(sql`${t.leftAt} IS NULL`),
  ],
);

export const stakeholders = projectevalSchema.table(
  'stakeholders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: varchar('name', { length: 200 }).notNull(),
    stakeholderType: stakeholderType('stakeholder_type').notNull(),
    status: stakeholderStatus('status').notNull().default('active'),
    contactPerson: varchar('contact_person', { length: 150 }).notNull(),
    email: varchar('email', { length: 254 }).notNull(),
    phone: varchar('phone', { length: 20 }),
    sector: varchar('sector', { length: 100 }),
    website: varchar('website', { length: 500 }),
    notes: varchar('notes', { length: 2000 }),
    createdBy: uuid('created_by').notNull(),
    ...auditTimestamps(),
  },
  (t) => [uniqueIndex('stakeholders_name_uq').on(sql`lower(${t.name})`)],
);

export const ideas = projectevalSchema.table(
  'ideas',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: uuid('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    title: varchar('title', { length: 200 }).notNull(),
    description: text('description').notNull(),
    objectives: text('objectives').notNull(),
    technologies: text('technologies').array().notNull().default(sql`'{}'::text[]`),
    stakeholderId: uuid('stakeholder_id').references(() => stakeholders.id),
    stakeholderInfo: varchar('stakeholder_info', { length: 1000 }),
    expectedImpact: varchar('expected_impact', { length: 2000 }),
    status: ideaStatus('status').notNull().default('proposed'),
    viabilityScore: smallint('viability_score'),
    feedback: varchar('feedback', { length: 2000 }),
    proposedBy: uuid('proposed_by').notNull(),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamptz('decided_at'),
    ...auditTimestamps(),
  },
  (t) => [index('ideas_team_idx').on(t.teamId), uniqueIndex('ideas_one_approved_uq').on(t.teamId).where(sql`${t.status} = 'approved'`)],
);

export const projects = projectevalSchema.table(
  'projects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: uuid('team_id').notNull().unique('projects_team_uq').references(() => teams.id),
    ideaId: uuid('idea_id').notNull().unique('projects_idea_uq').references(() => ideas.id),
    title: varchar('title', { length: 200 }).notNull(),
    description: text('description').notNull(),
    objectives: text('objectives').notNull(),
    scope: text('scope').notNull(),
    technologies: text('technologies').array().notNull().default(sql`'{}'::text[]`),
    projectType: projectType('project_type').notNull(),
    stakeholderId: uuid('stakeholder_id').references(() => stakeholders.id),
    status: projectStatus('status').notNull().default('active'),
    statusReason: varchar('status_reason', { length: 1000 }),
    scopeLocked: boolean('scope_locked').notNull().default(false),
    scopeLockedAt: timestamptz('scope_locked_at'),
    scopeLockedBy: uuid('scope_locked_by'),
    scopeLockReason: varchar('scope_lock_reason', { length: 1000 }),
    scopeVersion: integer('scope_version').notNull().default(1),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    expectedEndDate: date('expected_end_date', { mode: 'string' }).notNull(),
    repositoryUrl: varchar('repository_url', { length: 500 }),
    stakeholderExpectationsDocumented: boolean('stakeholder_expectations_documented').notNull().default(false),
    stakeholderLimitationsCommunicated: boolean('stakeholder_limitations_communicated').notNull().default(false),
    intellectualPropertyOwner: varchar('intellectual_property_owner', { length: 10 }).notNull().default('SENA'),
    createdBy: uuid('created_by').notNull(),
    completedAt: timestamptz('completed_at'),
    ...auditTimestamps(),
  },
);

export const scopeChanges = projectevalSchema.table(
  'scope_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    scopeVersion: integer('scope_version').notNull(),
    changes: jsonb('changes').$type<Record<string, { from: unknown; to: unknown }>>().notNull(),
    changeRequestId: uuid('change_request_id'),
    reason: varchar('reason', { length: 1000 }),
    changedBy: uuid('changed_by').notNull(),
    changedAt: timestamptz('changed_at').notNull(),
  },
  (t) => [uniqueIndex('scope_changes_version_uq').on(t.projectId, t.scopeVersion)],
);

export interface Level {
  label: string;
  description?: string;
  min_score: number;
  max_score: number;
}

export const rubrics = projectevalSchema.table(
  'rubrics',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: varchar('name', { length: 200 }).notNull(),
    description: varchar('description', { length: 2000 }),
    programCode: varchar('program_code', { length: 20 }),
    trimester: smallint('trimester'),
    status: rubricStatus('status').notNull().default('draft'),
    version: integer('version').notNull().default(1),
    derivedFromId: uuid('derived_from_id'),
    createdBy: uuid('created_by').notNull(),
    activatedAt: timestamptz('activated_at'),
    archivedAt: timestamptz('archived_at'),
    ...auditTimestamps(),
  },
  (t) => [uniqueIndex('rubrics_name_uq').on(sql`lower(${t.name})`)],
);

export const rubricCriteria = projectevalSchema.table(
  'rubric_criteria',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    rubricId: uuid('rubric_id').notNull().references(() => rubrics.id, { onDelete: 'cascade' }),
    position: smallint('position').notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    description: varchar('description', { length: 1000 }),
    weight: smallint('weight').notNull(),
    levels: jsonb('levels').$type<Level[]>().notNull().default([]),
  },
  (t) => [uniqueIndex('rubric_criteria_position_uq').on(t.rubricId, t.position)],
);

export const rubricBands = projectevalSchema.table(
  'rubric_bands',
  {
    rubricId: uuid('rubric_id').notNull().references(() => rubrics.id, { onDelete: 'cascade' }),
    code: varchar('code', { length: 10 }).notNull(),
    label: varchar('label', { length: 50 }).notNull(),
    minScore: score('min_score').notNull(),
    isPassing: boolean('is_passing').notNull(),
  },
  (t) => [primaryKey({ columns: [t.rubricId, t.code] })],
);

export const deliverables = projectevalSchema.table(
  'deliverables',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    title: varchar('title', { length: 200 }).notNull(),
    description: text('description'),
    deliverableType: deliverableType('deliverable_type').notNull(),
    dueAt: timestamptz('due_at').notNull(),
    rubricId: uuid('rubric_id').notNull().references(() => rubrics.id),
    weight: smallint('weight').notNull().default(1),
    createdBy: uuid('created_by').notNull(),
    ...auditTimestamps(),
  },
  (t) => [uniqueIndex('deliverables_title_uq').on(t.projectId, sql`lower(${t.title})`), index('deliverables_due_idx').on(t.dueAt)],
);

export const storedFiles = projectevalSchema.table('stored_files', {
  id: uuid('id').primaryKey(),
  storageKey: varchar('storage_key', { length: 300 }).notNull(),
  originalName: varchar('original_name', { length: 255 }).notNull(),
  mimeType: varchar('mime_type', { length: 150 }).notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  sha256: varchar('sha256', { length: 64 }).notNull(),
  uploadedBy: uuid('uploaded_by').notNull(),
  createdAt: createdAt(),
});

export const submissions = projectevalSchema.table(
  'submissions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deliverableId: uuid('deliverable_id').notNull().references(() => deliverables.id),
    projectId: uuid('project_id').notNull().references(() => projects.id),
    teamId: uuid('team_id').notNull().references(() => teams.id),
    version: integer('version').notNull(),
    status: submissionStatus('status').notNull().default('submitted'),
    repositoryUrl: varchar('repository_url', { length: 500 }),
    deploymentUrl: varchar('deployment_url', { length: 500 }),
    notes: varchar('notes', { length: 2000 }),
    submittedBy: uuid('submitted_by').notNull(),
    submittedAt: timestamptz('submitted_at').notNull(),
    returnReason: varchar('return_reason', { length: 1000 }),
    returnedBy: uuid('returned_by'),
    returnedAt: timestamptz('returned_at'),
    finalScore: score('final_score'),
    bandCode: varchar('band_code', { length: 10 }),
    bandLabel: varchar('band_label', { length: 50 }),
    isPassing: boolean('is_passing'),
    scoreSpread: score('score_spread'),
    needsCalibration: boolean('needs_calibration'),
    criterionAverages: jsonb('criterion_averages').$type<Array<{ criterion_id: string; average: number }>>(),
    publishedBy: uuid('published_by'),
    publishedAt: timestamptz('published_at'),
    ...auditTimestamps(),
  },
  (t) => [
    uniqueIndex('submissions_current_uq').on(t.deliverableId, t.teamId).where(sql`${t.status} <> 'superseded'`),
    uniqueIndex('submissions_version_uq').on(t.deliverableId, t.teamId, t.version),
    index('submissions_team_idx').on(t.teamId),
  ],
);

export const submissionFiles = projectevalSchema.table(
  'submission_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    submissionId: uuid('submission_id').notNull().references(() => submissions.id, { onDelete: 'cascade' }),
    storedFileId: uuid('stored_file_id').notNull().references(() => storedFiles.id),
    originalName: varchar('original_name', { length: 255 }).notNull(),
  },
  (t) => [index('submission_files_submission_idx').on(t.submissionId)],
);

export const sessions = projectevalSchema.table(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: varchar('title', { length: 200 }).notNull(),
    sessionType: sessionType('session_type').notNull(),
    startsAt: timestamptz('starts_at').notNull(),
    location: varchar('location', { length: 200 }),
    virtualUrl: varchar('virtual_url', { length: 500 }),
    minutesPerTeam: smallint('minutes_per_team').notNull().default(30),
    maxTeams: smallint('max_teams').notNull().default(10),
    status: sessionStatus('status').notNull().default('scheduled'),
    cancelReason: varchar('cancel_reason', { length: 500 }),
    organizerId: uuid('organizer_id').notNull(),
    chairId: uuid('chair_id').notNull(),
    startedAt: timestamptz('started_at'),
    completedAt: timestamptz('completed_at'),
    ...auditTimestamps(),
  },
  (t) => [index('sessions_starts_idx').on(t.startsAt)],
);

export const sessionJurors = projectevalSchema.table(
  'session_jurors',
  {
    sessionId: uuid('session_id').notNull().references(() => sessions.id, { onDelete: 'cascade' }),
    instructorId: uuid('instructor_id').notNull(),
    status: jurorStatus('status').notNull().default('invited'),
    isPanel: boolean('is_panel').notNull().default(false),
    respondedAt: timestamptz('responded_at'),
    declineReason: varchar('decline_reason', { length: 500 }),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.instructorId] }), index('session_jurors_instructor_idx').on(t.instructorId)],
);

export const agendaItems = projectevalSchema.table(
  'agenda_items',
  {
    sessionId: uuid('session_id').notNull().references(() => sessions.id, { onDelete: 'cascade' }),
    submissionId: uuid('submission_id').notNull().references(() => submissions.id),
    position: smallint('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.submissionId] }), uniqueIndex('agenda_items_position_uq').on(t.sessionId, t.position), index('agenda_items_submission_idx').on(t.submissionId)],
);

export const evaluations = projectevalSchema.table(
  'evaluations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    submissionId: uuid('submission_id').notNull().references(() => submissions.id),
    sessionId: uuid('session_id').notNull().references(() => sessions.id),
    evaluatorId: uuid('evaluator_id').notNull(),
    rubricId: uuid('rubric_id').notNull().references(() => rubrics.id),
    status: evaluationStatus('status').notNull().default('draft'),
    generalComments: text('general_comments'),
    recommendations: text('recommendations'),
    totalScore: score('total_score'),
    bandCode: varchar('band_code', { length: 10 }),
    completedAt: timestamptz('completed_at'),
    publishedAt: timestamptz('published_at'),
    ...auditTimestamps(),
  },
  (t) => [uniqueIndex('evaluations_submission_evaluator_uq').on(t.submissionId, t.evaluatorId), index('evaluations_session_idx').on(t.sessionId)],
);

export const criterionScores = projectevalSchema.table(
  'criterion_scores',
  {
    evaluationId: uuid('evaluation_id').notNull().references(() => evaluations.id, { onDelete: 'cascade' }),
    criterionId: uuid('criterion_id').notNull().references(() => rubricCriteria.id),
    score: score('score').notNull(),
    comment: varchar('comment', { length: 2000 }),
  },
  (t) => [primaryKey({ columns: [t.evaluationId, t.criterionId] })],
);

export const changeRequests = projectevalSchema.table(
  'change_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    origin: crOrigin('origin').notNull(),
    stakeholderId: uuid('stakeholder_id').references(() => stakeholders.id),
    requestedBy: uuid('requested_by').notNull(),
    changeType: crType('change_type').notNull(),
    priority: crPriority('priority').notNull().default('medium'),
    status: crStatus('status').notNull().default('submitted'),
    title: varchar('title', { length: 200 }).notNull(),
    description: text('description').notNull(),
    justification: varchar('justification', { length: 2000 }).notNull(),
    proposedChanges: jsonb('proposed_changes').$type<Record<string, unknown>>(),
    impactOnTimeline: varchar('impact_on_timeline', { length: 2000 }),
    impactOnLearning: varchar('impact_on_learning', { length: 2000 }),
    reviewComments: varchar('review_comments', { length: 2000 }),
    reviewedBy: uuid('reviewed_by'),
    reviewedAt: timestamptz('reviewed_at'),
    decisionReason: varchar('decision_reason', { length: 2000 }),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamptz('decided_at'),
    appliedScopeVersion: integer('applied_scope_version'),
    quarter: varchar('quarter', { length: 7 }).notNull(),
    ...auditTimestamps(),
  },
  (t) => [index('change_requests_project_idx').on(t.projectId)],
);

export const documents = projectevalSchema.table(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id').notNull().references(() => projects.id, { onDelete: 'cascade' }),
    title: varchar('title', { length: 200 }).notNull(),
    documentType: documentType('document_type').notNull(),
    description: varchar('description', { length: 2000 }),
    status: documentStatus('status').notNull().default('draft'),
    currentVersion: integer('current_version').notNull().default(1),
    approvedVersion: integer('approved_version'),
    reviewComments: varchar('review_comments', { length: 2000 }),
    reviewedBy: uuid('reviewed_by'),
    reviewedAt: timestamptz('reviewed_at'),
    createdBy: uuid('created_by').notNull(),
    ...auditTimestamps(),
  },
  (t) => [uniqueIndex('documents_title_uq').on(t.projectId, sql`lower(${t.title})`)],
);

export const documentVersions = projectevalSchema.table(
  'document_versions',
  {
    documentId: uuid('document_id').notNull().references(() => documents.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    storedFileId: uuid('stored_file_id').notNull().references(() => storedFiles.id),
    changeNote: varchar('change_note', { length: 500 }),
    uploadedBy: uuid('uploaded_by').notNull(),
    uploadedAt: timestamptz('uploaded_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.version] })],
);
