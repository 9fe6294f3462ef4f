import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../app/context.tsx';
import { unwrap } from '../../../lib/errors.ts';
import type { Deliverable, EvalSession, Evaluation, Idea, PendingEvaluation, Project, Rubric, RubricSummary, Submission, Team, UploadLimits } from './types.ts';

const P = '/api/v1/projecteval';
export const projectKeys = {
  all: ['projecteval'] as const,
  list: (what: string, query: object) => [...projectKeys.all, what, query] as const,
  one: (what: string, id: string) => [...projectKeys.all, what, id] as const,
};

type Query = Record<string, string | number | boolean | undefined>;
/** Drops empty filters so they are not sent as `?status=`. */
const clean = (q: Query) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string | number | boolean>;

/** A paginated list read whole up to 100 rows (the screens show one centre's worth). */
function useList<T>(what: string, path: string, query: Query, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: projectKeys.list(what, query),
    queryFn: () => unwrap<T[]>(api.GET(path as never, { params: { query: { page_size: 100, ...clean(query) } } } as never) as never),
    enabled,
  });
}

function useOne<T>(what: string, path: string, params: Record<string, string>, enabled = true) {
  const api = useApi();
  const id = Object.values(params).join('/');
  return useQuery({
    queryKey: projectKeys.one(what, id),
    queryFn: () => unwrap<T>(api.GET(path as never, { params: { path: params } } as never) as never),
    enabled: enabled && Object.values(params).every(Boolean),
  });
}

export const useTeams = (query: Query = {}, enabled = true) => useList<Team>('teams', `${P}/teams`, query, enabled);
export const useIdeas = (query: Query, enabled = true) => useList<Idea>('ideas', `${P}/ideas`, query, enabled);
export const useProjects = (query: Query = {}, enabled = true) => useList<Project>('projects', `${P}/projects`, query, enabled);
export const useProject = (id: string | undefined) => useOne<Project>('project', `${P}/projects/{project_id}`, { project_id: id ?? '' });
export const useDeliverables = (projectId: string | undefined) => useList<Deliverable>(`deliverables:${projectId}`, `${P}/projects/${projectId}/deliverables`, {}, Boolean(projectId));
export const useDeliverable = (id: string | undefined) => useOne<Deliverable>('deliverable', `${P}/deliverables/{deliverable_id}`, { deliverable_id: id ?? '' });
export const useSubmissions = (query: Query, enabled = true) => useList<Submission>('submissions', `${P}/submissions`, query, enabled);
export const useSubmission = (id: string | undefined) => useOne<Submission>('submission', `${P}/submissions/{submission_id}`, { submission_id: id ?? '' });
export const useRubrics = (query: Query = {}) => useList<RubricSummary>('rubrics', `${P}/rubrics`, query);
export const useRubric = (id: string | undefined) => useOne<Rubric>('rubric', `${P}/rubrics/{rubric_id}`, { rubric_id: id ?? '' });
export const useSessions = (query: Query = {}, enabled = true) => useList<EvalSession>('sessions', `${P}/sessions`, query, enabled);
export const useSession = (id: string | undefined) => useOne<EvalSession>('session', `${P}/sessions/{session_id}`, { session_id: id ?? '' });
export const useEvaluations = (query: Query, enabled = true) => useList<Evaluation>('evaluations', `${P}/evaluations`, query, enabled);

/** P57: the submissions this juror still has to score (missing or draft). */
export function usePendingEvaluations() {
  const api = useApi();
  return useQuery({ queryKey: [...projectKeys.all, 'pending'], queryFn: () => unwrap<PendingEvaluation[]>(api.GET(`${P}/evaluations/pending` as never, {} as never) as never) });
}

/** P81: §6's upload rules, shown and checked before a file is sent. */
export function useUploadLimits() {
  const api = useApi();
  return useQuery({ queryKey: [...projectKeys.all, 'upload-limits'], queryFn: () => unwrap<UploadLimits>(api.GET(`${P}/upload-limits`, {}) as never), staleTime: Infinity });
}

type Method = 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * Every write of the area: one call through the typed client, then every projecteval query is refreshed
 * (a decision changes the team's counts, a score the submission, a response the session).
 */
export interface CallInput {
  method: Method;
  path: string;
  params?: Record<string, string>;
  body?: unknown;
}

export function useProjectCall() {
  const api = useApi();
  const qc = useQueryClient();
  const mutation = useMutation({
    mutationFn: async ({ method, path, params, body }: CallInput): Promise<unknown> => {
      type T = unknown;
      const client = api as unknown as Record<Method, (p: string, init: unknown) => Promise<{ data?: { data: T }; error?: unknown; response: Response }>>;
      const result = client[method](`${P}${path}`, { params: { path: params ?? {} }, body });
      if (method === 'DELETE') {
        const settled = await result.catch(() => null);
        if (settled?.response.status === 204) return undefined as T;
      }
      return unwrap<T>(result);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: projectKeys.all }),
  });
  return { call: <T,>(input: CallInput) => mutation.mutateAsync(input) as Promise<T>, pending: mutation.isPending };
}
