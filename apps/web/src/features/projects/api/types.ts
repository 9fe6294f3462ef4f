/** The projecteval shapes the screens read (projecteval.md §3 and §4 "Responses add"). */
export interface TeamMember {
  student_id: string;
  name: string | null;
  role: string;
  joined_at: string;
  left_at: string | null;
}
export interface Team {
  id: string;
  name: string;
  group_id: string;
  group_number: string;
  advisor_id: string;
  advisor_name: string | null;
  leader_id: string | null;
  status: 'forming' | 'active' | 'closed';
  members: TeamMember[];
  member_count: number;
  project: { id: string; title: string; status: string } | null;
  idea_counts: Record<string, number>;
  created_at: string;
}
export interface Idea {
  id: string;
  team_id: string;
  title: string;
  description: string;
  objectives: string;
  technologies: string[];
  stakeholder_info: string | null;
  expected_impact: string | null;
  status: 'proposed' | 'revision_requested' | 'approved' | 'rejected' | 'not_selected' | 'withdrawn';
  viability_score: number | null;
  feedback: string | null;
  decided_at: string | null;
  created_at: string;
  updated_at: string;
}
export interface Project {
  id: string;
  team_id: string;
  idea_id: string;
  title: string;
  description: string;
  scope: string;
  project_type: string;
  status: string;
  scope_locked: boolean;
  scope_version: number;
  start_date: string;
  expected_end_date: string;
  repository_url: string | null;
  team: { id: string; name: string; group_number: string; advisor_id: string; status: string } | null;
  stakeholder: { id: string; name: string } | null;
}
export interface CurrentSubmission {
  id: string;
  version: number;
  status: string;
  final_score: number | null;
  band_label: string | null;
}
export interface Deliverable {
  id: string;
  project_id: string;
  title: string;
  description: string | null;
  deliverable_type: string;
  due_at: string;
  rubric_id: string;
  weight: number;
  is_open: boolean;
  overdue: boolean;
  current_submission: CurrentSubmission | null;
}
export interface CriterionScore {
  criterion_id: string;
  criterion_name: string;
  weight: number;
  score: number;
  comment: string | null;
}
export interface Evaluation {
  id: string;
  submission_id: string;
  session_id: string;
  evaluator_id: string;
  evaluator_name: string | null;
  rubric_id: string;
  status: 'draft' | 'completed' | 'published';
  general_comments: string | null;
  recommendations: string | null;
  total_score: number | null;
  band_code: string | null;
  completed_at: string | null;
  scores: CriterionScore[];
}
export interface SubmissionFile {
  id: string;
  original_name: string;
  mime_type: string;
  size_bytes: number;
}
export interface Submission {
  id: string;
  deliverable_id: string;
  deliverable_title: string | null;
  project_id: string;
  team_id: string;
  team_name: string | null;
  version: number;
  status: string;
  repository_url: string | null;
  deployment_url: string | null;
  notes: string | null;
  submitted_at: string;
  return_reason: string | null;
  final_score: number | null;
  band_code: string | null;
  band_label: string | null;
  is_passing: boolean | null;
  score_spread: number | null;
  needs_calibration: boolean | null;
  published_at: string | null;
  files: SubmissionFile[];
  criterion_averages: Array<{ criterion_id: string; average: number }>;
  evaluations: Evaluation[];
}
export interface RubricLevel {
  label: string;
  description?: string;
  min_score: number;
  max_score: number;
}
export interface RubricCriterion {
  id: string;
  position: number;
  name: string;
  description: string | null;
  weight: number;
  levels: RubricLevel[];
}
export interface GradeBand {
  code: string;
  label: string;
  min_score: number;
  is_passing: boolean;
}
export interface RubricSummary {
  id: string;
  name: string;
  description: string | null;
  program_code: string | null;
  trimester: number | null;
  status: 'draft' | 'active' | 'archived';
  version: number;
  weight_total: number;
  usage_count: number;
}
export interface Rubric extends RubricSummary {
  criteria: RubricCriterion[];
  grade_bands: GradeBand[];
}
export interface Juror {
  instructor_id: string;
  name: string | null;
  status: 'invited' | 'confirmed' | 'declined' | 'no_response' | 'removed';
  is_panel: boolean;
  decline_reason: string | null;
}
export interface AgendaItem {
  position: number;
  submission_id: string;
  team_id: string;
  team_name: string;
  deliverable_title: string;
  submission_status: string;
  slot_starts_at: string;
}
export interface EvalSession {
  id: string;
  title: string;
  session_type: 'progress_review' | 'final_presentation';
  starts_at: string;
  ends_at: string;
  location: string | null;
  virtual_url: string | null;
  minutes_per_team: number;
  max_teams: number;
  status: 'scheduled' | 'in_progress' | 'completed' | 'cancelled';
  cancel_reason: string | null;
  organizer_id: string;
  organizer_name: string | null;
  chair_id: string;
  chair_name: string | null;
  jurors: Juror[];
  agenda: AgendaItem[];
}
export interface PendingEvaluation {
  session: { id: string; title: string; starts_at: string };
  submission: { id: string; team_name: string; deliverable_title: string };
  evaluation_id: string | null;
  status: 'missing' | 'draft';
}
export interface UploadLimits {
  allowed_extensions: string[];
  max_file_bytes: number;
  max_submission_bytes: number;
  max_submission_files: number;
}
