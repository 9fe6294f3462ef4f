/**
 * TanStack Query hooks over evalin (evalin.md §4) through `@sicora/client`: what the apprentice evaluates
 * (E30–E37), the instructor's own results (E41–E43), and the staff's periods, reports, reminders and
 * moderation (E18–E29, E39–E51), plus the admin's question bank and questionnaires (E1–E17).
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../app/context.tsx';
import { errorFromResponse, networkError, unwrap } from '../../../lib/errors.ts';

export type QuestionType = 'likert' | 'single_choice' | 'multiple_choice' | 'text';
export type AnswerValue = number | string | string[];
export interface Answer {
  question_id: string;
  value: AnswerValue;
}

export interface InstructorToEvaluate {
  instructor_id: string;
  instructor_name: string;
  subjects: string[];
  status: 'pending' | 'draft' | 'submitted';
  evaluation_id: string | null;
  submitted_at: string | null;
}
export interface PeriodToEvaluate {
  period_id: string;
  name: string;
  end_date: string;
  days_remaining: number;
  is_open: boolean;
  total: number;
  submitted: number;
  instructors: InstructorToEvaluate[];
}

export interface FormQuestion {
  id: string;
  position: number;
  text: string;
  description: string | null;
  question_type: QuestionType;
  category: string;
  options: string[] | null;
  is_required: boolean;
}
export interface QuestionnaireForInstructor {
  period: { id: string; name: string; start_date: string; end_date: string; days_remaining: number };
  instructor: { id: string; name: string };
  questionnaire: { id: string; name: string; description: string | null };
  questions: FormQuestion[];
  likert_scale: Array<{ value: number; label: string }>;
  small_group_warning: boolean;
  evaluation: { id: string; status: 'draft' | 'submitted'; answers: Answer[] | null; general_comment: string | null } | null;
}

export interface EvaluationRecord {
  id: string;
  period_id: string;
  instructor_id: string;
  status: 'draft' | 'submitted';
  answered_count: number;
  required_count: number;
  submitted_at: string | null;
}

export interface EvalinConfig {
  settings: {
    min_responses_for_results: number;
    min_participation_percent_for_average: number;
    enable_qualitative_comments: boolean;
    comments_require_review: boolean;
    auto_reminder_days_before_end: number[];
    manual_reminder_min_interval_hours: number;
    notifications_enabled: boolean;
  };
  limits: { general_comment_max: number; text_answer_max: number; question_text: [number, number]; options: [number, number] };
  version: number;
}

export type PeriodStatus = 'draft' | 'scheduled' | 'active' | 'suspended' | 'closed' | 'published';
export interface Period {
  id: string;
  name: string;
  description: string | null;
  start_date: string;
  end_date: string;
  status: PeriodStatus;
  closed_reason: 'manual' | 'end_date' | null;
  suspend_reason: string | null;
  results_published_at: string | null;
  groups: Array<{ group_id: string; group_number: string }>;
  questionnaire: { id: string; name: string; question_count: number };
  is_open: boolean;
  days_remaining: number;
  participation?: { expected: number; submitted: number; rate: number | null; as_of?: string } | null;
}

export interface InstructorRow {
  instructor_id: string;
  instructor_name: string;
  response_count: number;
  expected_count: number;
  response_rate: number | null;
  results_shown: boolean;
  withheld_reason: 'insufficient_responses' | 'low_participation' | null;
  overall_average: number | null;
  rank: number | null;
}
export interface CategoryResult {
  category: string;
  average: number | null;
  answer_count: number;
}
export interface PeriodReport {
  period: Period;
  participation: {
    students_total: number;
    students_participated: number;
    students_completed: number;
    expected: number;
    submitted: number;
    rate: number | null;
    groups: Array<{ group_id: string; group_number: string; expected: number; submitted: number; rate: number | null; students_total?: number }>;
  };
  results_status: 'available' | 'period_open';
  results: {
    response_count: number;
    overall_average: number | null;
    median: number | null;
    std_dev: number | null;
    categories: CategoryResult[];
    instructors: InstructorRow[];
  } | null;
}

export interface QuestionResult {
  question_id: string;
  position: number;
  text: string;
  category: string;
  question_type: QuestionType;
  answer_count: number;
  likert: { average: number; median: number; std_dev: number; min: number; max: number; distribution: Record<string, number>; percentages: Record<string, number> } | null;
  choices: Array<{ option: string; count: number; percent: number }> | null;
}
export interface InstructorReport {
  period: Period;
  instructor: { id: string; name: string };
  response_count: number;
  expected_count: number;
  response_rate: number | null;
  results_shown: boolean;
  withheld_reason: 'insufficient_responses' | 'low_participation' | null;
  overall_average: number | null;
  median: number | null;
  std_dev: number | null;
  period_overall_average: number | null;
  categories: CategoryResult[];
  strengths: string[];
  improvement_areas: string[];
  questions: QuestionResult[];
  approved_comment_count: number;
}
export interface InstructorComment {
  id: string;
  question_id: string | null;
  question_text: string | null;
  text: string;
  group_number: string | null;
  status: string;
}
export interface TrendPoint {
  period_id: string;
  name: string;
  end_date: string;
  response_count: number;
  results_shown: boolean;
  withheld_reason: string | null;
  overall_average: number | null;
}

export interface ParticipationRow {
  group_id: string;
  group_number: string;
  student_id: string;
  student_name: string;
  total_instructors: number;
  submitted: number;
  draft: number;
  pending: number;
  percentage: number | null;
  status: 'pending' | 'partial' | 'complete';
}
export interface ReminderResult {
  group_number: string;
  total_students: number;
  pending_students: number;
  reminders_sent: number;
  skipped_recent: number;
  skipped_no_pending: number;
}
export interface ReminderLog {
  id: string;
  group_number: string;
  kind: 'auto_ending' | 'manual';
  message: string | null;
  recipient_count: number;
  skipped_count: number;
  delivery_status: string;
  created_at: string;
}
export interface ModerationComment {
  id: string;
  instructor: { id: string; name: string };
  group_number: string | null;
  question_text: string | null;
  text: string;
  flagged: boolean;
  status: 'pending' | 'approved' | 'hidden';
  moderation_note: string | null;
}

export interface Question {
  id: string;
  text: string;
  description: string | null;
  question_type: QuestionType;
  category: string;
  options: string[] | null;
  is_required: boolean;
  is_active: boolean;
  locked: boolean;
  questionnaire_count: number;
}
export interface Questionnaire {
  id: string;
  name: string;
  description: string | null;
  is_active: boolean;
  question_count: number;
  period_count: number;
  locked: boolean;
  questions?: Array<Question & { position: number }>;
}

interface Paged<T> {
  items: T[];
  total: number;
  totalPages: number;
}

export const evalinKeys = {
  all: ['evalin'] as const,
  toEvaluate: () => [...evalinKeys.all, 'to-evaluate'] as const,
  form: (instructor: string, period?: string) => [...evalinKeys.all, 'form', instructor, period ?? ''] as const,
  config: () => [...evalinKeys.all, 'config'] as const,
  periods: (filter: string, page: number) => [...evalinKeys.all, 'periods', filter, page] as const,
  period: (id: string) => [...evalinKeys.all, 'period', id] as const,
  periodReport: (id: string) => [...evalinKeys.all, 'period-report', id] as const,
  instructorReport: (period: string, instructor: string) => [...evalinKeys.all, 'instructor-report', period, instructor] as const,
  comments: (period: string, instructor: string) => [...evalinKeys.all, 'comments', period, instructor] as const,
  trend: (instructor: string) => [...evalinKeys.all, 'trend', instructor] as const,
  participation: (period: string, status: string, page: number) => [...evalinKeys.all, 'participation', period, status, page] as const,
  reminders: (period: string) => [...evalinKeys.all, 'reminders', period] as const,
  moderation: (period: string, status: string) => [...evalinKeys.all, 'moderation', period, status] as const,
  questions: (search: string, page: number) => [...evalinKeys.all, 'questions', search, page] as const,
  questionnaires: () => [...evalinKeys.all, 'questionnaires'] as const,
  questionnaire: (id: string) => [...evalinKeys.all, 'questionnaire', id] as const,
};

type Call = Promise<{ data?: unknown; error?: unknown; response: Response }>;
const data = <T,>(call: Call) => unwrap<T>(call as never);

async function paged<T>(call: Call): Promise<Paged<T>> {
  const result = await call;
  const items = await unwrap<T[]>(Promise.resolve(result) as never);
  const pagination = (result.data as { meta?: { pagination?: { total?: number; total_pages?: number } } } | undefined)?.meta?.pagination;
  return { items, total: pagination?.total ?? items.length, totalPages: pagination?.total_pages ?? 1 };
}

// ---------------------------------------------------------------- apprentice (E30–E37)

/** E30: the open (or suspended) periods of my ficha and the instructors in each. */
export function useToEvaluate() {
  const api = useApi();
  return useQuery({ queryKey: evalinKeys.toEvaluate(), queryFn: () => data<{ periods: PeriodToEvaluate[] }>(api.GET('/api/v1/evalin/instructors-to-evaluate' as never, {} as never) as Call) });
}

export interface MyEvaluationsSummary {
  total_instructors: number;
  submitted: number;
  draft: number;
  pending: number;
}

/** E37's summary: how many of my instructors I have evaluated in the open periods (Inicio's reminder). */
export function useMyEvaluationsSummary() {
  const api = useApi();
  return useQuery({
    queryKey: [...evalinKeys.toEvaluate(), 'summary'],
    queryFn: async () => (await data<{ summary: MyEvaluationsSummary }>(api.GET('/api/v1/evalin/my-evaluations', {}) as Call)).summary,
  });
}

/** E31: the questionnaire for one instructor, with my draft when there is one. */
export function useQuestionnaireFor(instructorId: string, periodId?: string) {
  const api = useApi();
  return useQuery({
    queryKey: evalinKeys.form(instructorId, periodId),
    queryFn: () =>
      data<QuestionnaireForInstructor>(
        api.GET('/api/v1/evalin/questionnaires/for-instructor/{instructor_id}' as never, { params: { path: { instructor_id: instructorId }, query: periodId ? { period_id: periodId } : {} } } as never) as Call,
      ),
    retry: false,
    // The form keeps what is typed in its own state: each visit reads the saved draft afresh (nothing
    // cached from an earlier visit), and a refetch on focus never brings back an older one.
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}

/** E52: the thresholds shown to everybody (anonymity promise, withheld results). */
export function useEvalinConfig() {
  const api = useApi();
  return useQuery({ queryKey: evalinKeys.config(), queryFn: () => data<EvalinConfig>(api.GET('/api/v1/evalin/config' as never, {} as never) as Call), staleTime: 60_000 });
}

export interface EvaluationBody {
  period_id: string;
  instructor_id: string;
  answers: Answer[];
  general_comment?: string;
}

/**
 * Draft save and submit (E32, E34, E35): the first save creates the record (E32 `submit=false`), later ones
 * replace it (E34); submitting a form that never had a draft is one E32, otherwise E34 then E35, so what
 * the apprentice sees is exactly what is sent.
 */
export function useEvaluationActions() {
  const api = useApi();
  const qc = useQueryClient();
  const create = (body: EvaluationBody, submit: boolean) => data<EvaluationRecord>(api.POST('/api/v1/evalin/evaluations' as never, { body: { ...body, submit } } as never) as Call);
  const replace = (id: string, body: EvaluationBody) =>
    data<EvaluationRecord>(api.PUT('/api/v1/evalin/evaluations/{evaluation_id}' as never, { params: { path: { evaluation_id: id } }, body: { answers: body.answers, general_comment: body.general_comment } } as never) as Call);
  const submit = (id: string) => data<EvaluationRecord>(api.POST('/api/v1/evalin/evaluations/{evaluation_id}/submit' as never, { params: { path: { evaluation_id: id } } } as never) as Call);
  const settle = () => qc.invalidateQueries({ queryKey: evalinKeys.toEvaluate() });

  const saveDraft = useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: EvaluationBody }) => (id ? replace(id, body) : create(body, false)),
    onSuccess: settle,
  });
  const send = useMutation({
    mutationFn: async ({ id, body }: { id: string | null; body: EvaluationBody }) => {
      if (!id) return create(body, true);
      await replace(id, body);
      return submit(id);
    },
    onSuccess: async (_r, v) => {
      qc.removeQueries({ queryKey: evalinKeys.form(v.body.instructor_id) });
      await settle();
    },
  });
  return { saveDraft, send };
}

// ---------------------------------------------------------------- instructor (E41–E43)

/** E18 as the instructor reads it: published periods, newest first. */
export function usePublishedPeriods() {
  const api = useApi();
  return useQuery({
    queryKey: evalinKeys.periods('published', 1),
    queryFn: () => paged<Period>(api.GET('/api/v1/evalin/periods' as never, { params: { query: { status: 'published', sort: '-start_date', page_size: 50 } } } as never) as Call),
  });
}

export function useInstructorReport(periodId: string | undefined, instructorId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: evalinKeys.instructorReport(periodId ?? '', instructorId ?? ''),
    enabled: Boolean(periodId && instructorId),
    retry: false,
    queryFn: () =>
      data<InstructorReport>(
        api.GET('/api/v1/evalin/reports/periods/{period_id}/instructors/{instructor_id}' as never, { params: { path: { period_id: periodId, instructor_id: instructorId } } } as never) as Call,
      ),
  });
}

export function useInstructorComments(periodId: string | undefined, instructorId: string | undefined, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: evalinKeys.comments(periodId ?? '', instructorId ?? ''),
    enabled: Boolean(periodId && instructorId) && enabled,
    retry: false,
    queryFn: () =>
      paged<InstructorComment>(
        api.GET('/api/v1/evalin/reports/periods/{period_id}/instructors/{instructor_id}/comments' as never, {
          params: { path: { period_id: periodId, instructor_id: instructorId }, query: { page_size: 100 } },
        } as never) as Call,
      ),
  });
}

export function useTrend(instructorId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: evalinKeys.trend(instructorId ?? ''),
    enabled: Boolean(instructorId),
    queryFn: () => data<TrendPoint[]>(api.GET('/api/v1/evalin/reports/instructors/{instructor_id}/trend' as never, { params: { path: { instructor_id: instructorId } } } as never) as Call),
  });
}

// ---------------------------------------------------------------- staff (E18–E29, E39–E51)

export function usePeriods(status: string, page: number) {
  const api = useApi();
  return useQuery({
    queryKey: evalinKeys.periods(status, page),
    placeholderData: keepPreviousData,
    queryFn: () =>
      paged<Period>(
        api.GET('/api/v1/evalin/periods' as never, { params: { query: { ...(status ? { status } : {}), sort: '-start_date', page, page_size: 10 } } } as never) as Call,
      ),
  });
}

export function usePeriod(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: evalinKeys.period(id ?? ''),
    enabled: Boolean(id),
    queryFn: () => data<Period>(api.GET('/api/v1/evalin/periods/{period_id}' as never, { params: { path: { period_id: id } } } as never) as Call),
  });
}

export function usePeriodReport(id: string | undefined, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: evalinKeys.periodReport(id ?? ''),
    enabled: Boolean(id) && enabled,
    queryFn: () => data<PeriodReport>(api.GET('/api/v1/evalin/reports/periods/{period_id}' as never, { params: { path: { period_id: id } } } as never) as Call),
  });
}

export function useParticipation(periodId: string, status: string, page: number) {
  const api = useApi();
  return useQuery({
    queryKey: evalinKeys.participation(periodId, status, page),
    placeholderData: keepPreviousData,
    queryFn: () =>
      paged<ParticipationRow>(
        api.GET('/api/v1/evalin/reports/periods/{period_id}/participation' as never, {
          params: { path: { period_id: periodId }, query: { ...(status ? { status } : {}), page, page_size: 20 } },
        } as never) as Call,
      ),
  });
}

export function useReminderLog(periodId: string) {
  const api = useApi();
  return useQuery({
    queryKey: evalinKeys.reminders(periodId),
    queryFn: () => paged<ReminderLog>(api.GET('/api/v1/evalin/periods/{period_id}/reminders' as never, { params: { path: { period_id: periodId }, query: { page_size: 20 } } } as never) as Call),
  });
}

export function useSendReminder(periodId: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { group_id: string; message?: string }) =>
      data<ReminderResult>(api.POST('/api/v1/evalin/periods/{period_id}/reminders' as never, { params: { path: { period_id: periodId } }, body } as never) as Call),
    onSuccess: () => qc.invalidateQueries({ queryKey: evalinKeys.reminders(periodId) }),
  });
}

export function useModeration(periodId: string, status: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: evalinKeys.moderation(periodId, status),
    enabled,
    retry: false,
    queryFn: () =>
      paged<ModerationComment>(api.GET('/api/v1/evalin/periods/{period_id}/comments' as never, { params: { path: { period_id: periodId }, query: { status, page_size: 100 } } } as never) as Call),
  });
}

export function useModerate(periodId: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { comment_ids: string[]; status: 'approved' | 'hidden'; moderation_note?: string }) =>
      data<{ updated: number }>(api.POST('/api/v1/evalin/comments/moderate' as never, { body } as never) as Call),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...evalinKeys.all, 'moderation', periodId] }),
  });
}

export type PeriodAction = 'activate' | 'revert-to-draft' | 'suspend' | 'resume' | 'extend' | 'close' | 'publish-results';
export function usePeriodAction(periodId: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: PeriodAction; body?: Record<string, unknown> }) =>
      data<Period>(api.POST(`/api/v1/evalin/periods/{period_id}/${action}` as never, { params: { path: { period_id: periodId } }, ...(body ? { body } : {}) } as never) as Call),
    onSuccess: () => qc.invalidateQueries({ queryKey: evalinKeys.all }),
  });
}

export function useDeletePeriod() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => noContent(api.DELETE('/api/v1/evalin/periods/{period_id}' as never, { params: { path: { period_id: id } } } as never) as Call),
    onSuccess: () => qc.invalidateQueries({ queryKey: evalinKeys.all }),
  });
}

export function useUpdatePeriod(periodId: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => data<Period>(api.PATCH('/api/v1/evalin/periods/{period_id}' as never, { params: { path: { period_id: periodId } }, body } as never) as Call),
    onSuccess: () => qc.invalidateQueries({ queryKey: evalinKeys.all }),
  });
}

export function useDeleteQuestion() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => noContent(api.DELETE('/api/v1/evalin/questions/{question_id}' as never, { params: { path: { question_id: id } } } as never) as Call),
    onSuccess: () => qc.invalidateQueries({ queryKey: evalinKeys.all }),
  });
}

export function useCreatePeriod() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; description?: string; start_date: string; end_date: string; questionnaire_id: string; group_ids: string[] }) =>
      data<Period>(api.POST('/api/v1/evalin/periods' as never, { body } as never) as Call),
    onSuccess: () => qc.invalidateQueries({ queryKey: evalinKeys.all }),
  });
}

/** A 204 has no envelope to unwrap: only a refusal matters. */
async function noContent(call: Call): Promise<void> {
  let result: Awaited<Call>;
  try {
    result = await call;
  } catch {
    throw networkError();
  }
  if (!result.response.ok) throw errorFromResponse(result.response, result.error);
}

// ---------------------------------------------------------------- admin (E1–E17)

export function useQuestions(search: string, page: number) {
  const api = useApi();
  return useQuery({
    queryKey: evalinKeys.questions(search, page),
    placeholderData: keepPreviousData,
    queryFn: () =>
      paged<Question>(api.GET('/api/v1/evalin/questions' as never, { params: { query: { ...(search ? { search } : {}), page, page_size: 20, sort: 'category' } } } as never) as Call),
  });
}

export function useCreateQuestion() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { text: string; question_type: QuestionType; category: string; description?: string; options?: string[]; is_required?: boolean }) =>
      data<Question>(api.POST('/api/v1/evalin/questions' as never, { body } as never) as Call),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...evalinKeys.all, 'questions'] }),
  });
}

export function useUpdateQuestion() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: Record<string, unknown> }) =>
      data<Question>(api.PATCH('/api/v1/evalin/questions/{question_id}' as never, { params: { path: { question_id: id } }, body } as never) as Call),
    onSuccess: () => qc.invalidateQueries({ queryKey: evalinKeys.all }),
  });
}

export function useQuestionnaires() {
  const api = useApi();
  return useQuery({
    queryKey: evalinKeys.questionnaires(),
    queryFn: () => paged<Questionnaire>(api.GET('/api/v1/evalin/questionnaires' as never, { params: { query: { page_size: 100 } } } as never) as Call),
  });
}

export function useQuestionnaire(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: evalinKeys.questionnaire(id ?? ''),
    enabled: Boolean(id),
    queryFn: () => data<Questionnaire>(api.GET('/api/v1/evalin/questionnaires/{questionnaire_id}' as never, { params: { path: { questionnaire_id: id } } } as never) as Call),
  });
}

export function useQuestionnaireActions() {
  const api = useApi();
  const qc = useQueryClient();
  const settle = () => qc.invalidateQueries({ queryKey: evalinKeys.all });
  const create = useMutation({
    mutationFn: (body: { name: string; description?: string }) => data<Questionnaire>(api.POST('/api/v1/evalin/questionnaires' as never, { body } as never) as Call),
    onSuccess: settle,
  });
  const addQuestions = useMutation({
    mutationFn: ({ id, question_ids }: { id: string; question_ids: string[] }) =>
      data<Questionnaire>(api.POST('/api/v1/evalin/questionnaires/{questionnaire_id}/questions' as never, { params: { path: { questionnaire_id: id } }, body: { question_ids } } as never) as Call),
    onSuccess: settle,
  });
  const removeQuestion = useMutation({
    mutationFn: ({ id, question_id }: { id: string; question_id: string }) =>
      data<Questionnaire>(
        api.DELETE('/api/v1/evalin/questionnaires/{questionnaire_id}/questions/{question_id}' as never, { params: { path: { questionnaire_id: id, question_id } } } as never) as Call,
      ),
    onSuccess: settle,
  });
  const reorder = useMutation({
    mutationFn: ({ id, question_ids }: { id: string; question_ids: string[] }) =>
      data<Questionnaire>(api.PUT('/api/v1/evalin/questionnaires/{questionnaire_id}/questions/order' as never, { params: { path: { questionnaire_id: id } }, body: { question_ids } } as never) as Call),
    onSuccess: settle,
  });
  const duplicate = useMutation({
    mutationFn: (id: string) => data<Questionnaire>(api.POST('/api/v1/evalin/questionnaires/{questionnaire_id}/duplicate' as never, { params: { path: { questionnaire_id: id } }, body: {} } as never) as Call),
    onSuccess: settle,
  });
  const setActive = useMutation({
    mutationFn: ({ id, is_active }: { id: string; is_active: boolean }) =>
      data<Questionnaire>(api.PATCH('/api/v1/evalin/questionnaires/{questionnaire_id}' as never, { params: { path: { questionnaire_id: id } }, body: { is_active } } as never) as Call),
    onSuccess: settle,
  });
  return { create, addQuestions, removeQuestion, reorder, duplicate, setActive };
}

/** Fichas for a new period (schedules G1, read by the admin with their own token). */
export function useGroups() {
  const api = useApi();
  return useQuery({
    queryKey: [...evalinKeys.all, 'groups'],
    queryFn: () => paged<{ id: string; number: string; is_active: boolean }>(api.GET('/api/v1/groups' as never, { params: { query: { page_size: 100, is_active: true } } } as never) as Call),
  });
}
