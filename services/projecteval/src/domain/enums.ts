/** The enums of projecteval.md §3, one list each: the database enums, the schemas and the rules share them. */
export const TEAM_STATUSES = ['forming', 'active', 'closed'] as const;
export const MEMBER_ROLES = ['member', 'developer', 'analyst', 'designer', 'tester'] as const;
export const IDEA_STATUSES = ['proposed', 'revision_requested', 'approved', 'rejected', 'not_selected', 'withdrawn'] as const;
export const PROJECT_TYPES = ['web_application', 'mobile_application', 'desktop_application', 'api_service', 'data_analytics', 'other'] as const;
export const PROJECT_STATUSES = ['active', 'suspended', 'completed', 'cancelled'] as const;
export const STAKEHOLDER_TYPES = ['company', 'government', 'ngo', 'educational_institution', 'individual', 'internal_sena'] as const;
export const STAKEHOLDER_STATUSES = ['active', 'inactive'] as const;
export const RUBRIC_STATUSES = ['draft', 'active', 'archived'] as const;
export const DELIVERABLE_TYPES = ['documentation', 'source_code', 'presentation', 'demo_video', 'database_script', 'deployment_guide', 'user_manual', 'technical_specification', 'other'] as const;
export const SUBMISSION_STATUSES = ['submitted', 'returned', 'in_evaluation', 'evaluated', 'published', 'superseded'] as const;
export const SESSION_TYPES = ['progress_review', 'final_presentation'] as const;
export const SESSION_STATUSES = ['scheduled', 'in_progress', 'completed', 'cancelled'] as const;
export const JUROR_STATUSES = ['invited', 'confirmed', 'declined', 'no_response', 'removed'] as const;
export const EVALUATION_STATUSES = ['draft', 'completed', 'published'] as const;
export const CR_ORIGINS = ['team', 'stakeholder', 'instructor'] as const;
export const CR_TYPES = ['scope', 'requirements', 'technology', 'timeline', 'team'] as const;
export const CR_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export const CR_STATUSES = ['submitted', 'under_review', 'approved', 'rejected', 'withdrawn'] as const;
export const DOCUMENT_TYPES = ['requirements', 'specification', 'design', 'test_plan', 'user_manual', 'deployment_guide', 'report', 'presentation', 'other'] as const;
export const DOCUMENT_STATUSES = ['draft', 'in_review', 'approved', 'rejected'] as const;

export type TeamStatus = (typeof TEAM_STATUSES)[number];
export type MemberRole = (typeof MEMBER_ROLES)[number];
export type IdeaStatus = (typeof IDEA_STATUSES)[number];
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export type EvaluationStatus = (typeof EVALUATION_STATUSES)[number];

/** R12: the scope fields. */
export const SCOPE_FIELDS = ['title', 'description', 'objectives', 'scope', 'technologies'] as const;
export type ScopeField = (typeof SCOPE_FIELDS)[number];
