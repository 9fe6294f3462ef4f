/**
 * The admin's `/sistema` (web.md §4 admin): the gateway's aggregate health (H1), users' security log (U13)
 * and signing keys (K2, K3), and the settings of attendance (ST1/ST2), evalin (E52/E53) and ai risk.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../app/context.tsx';
import { errorFromResponse, networkError, unwrap } from '../../../lib/errors.ts';

export interface HealthReport {
  status: 'healthy' | 'degraded' | 'unhealthy';
  checked_at: string;
  gateway: { database: string; redis: string; jwks: string; config_version: number | null };
  services: Array<{ name: string; display_name: string; status: 'unknown' | 'up' | 'down' | 'disabled'; critical: boolean; latency_ms: number | null; checked_at: string | null; circuit: string }>;
  summary: { up: number; down: number; disabled: number; total: number };
}
export interface SecurityEvent {
  id: string;
  type: string;
  user_id: string | null;
  actor_id: string | null;
  ip_masked: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
  occurred_at: string;
}
export interface SigningKey {
  kid: string;
  alg: string;
  status: 'active' | 'retiring' | 'retired';
  source: 'generated' | 'config';
  created_at: string;
  retire_at: string | null;
}
export interface AttendanceSettings {
  open_before_minutes: number;
  late_after_minutes: number;
  auto_close_after_minutes: number;
  instructor_edit_days: number;
  roll_reminder_after_minutes: number;
  qr_ttl_seconds: number;
  qr_scan_grace_seconds: number;
  justification_deadline_business_days: number;
  advance_notice_max_days: number;
  justification_overdue_days: number;
  alert_window_days: number;
  alert_overdue_days: number;
  dismissal_suppression_days: number;
  consecutive_absences: { high: number; critical: number };
  low_attendance: { min_records: number; medium_below: number; high_below: number; critical_below: number };
  frequent_lateness: { low_at: number; medium_at: number };
  version: number;
  updated_at: string;
}
export interface EvalinSettings {
  min_responses_for_results: number;
  min_participation_percent_for_average: number;
  enable_qualitative_comments: boolean;
  comments_require_review: boolean;
  blocked_terms: string[];
  auto_reminder_days_before_end: number[];
  manual_reminder_min_interval_hours: number;
  allow_overlapping_periods: boolean;
  notifications_enabled: boolean;
}
export interface EvalinConfig {
  settings: EvalinSettings;
  version: number;
  updated_by: string | null;
  updated_at: string;
}
export interface Banded {
  bands: number[];
  points: number[];
  min_sessions_per_half?: number;
  min_attended?: number;
  max_age_days?: number;
}
export interface RiskSettings {
  version: number;
  values: {
    low_attendance: Banded;
    consecutive_absences: Banded;
    unjustified_absences: Banded;
    declining_trend: Banded;
    frequent_lateness: Banded;
    low_project_grade: Banded;
    evalin_not_submitted: { points: number[] };
  };
  level_cutoffs: { medium: number; high: number; critical: number };
  alert_min_level: 'medium' | 'high' | 'critical';
  created_by: string | null;
  created_at: string;
}
export type RiskDocument = Pick<RiskSettings, 'values' | 'level_cutoffs' | 'alert_min_level'>;

export const systemKeys = {
  all: ['system'] as const,
  health: () => [...systemKeys.all, 'health'] as const,
  events: (query: object) => [...systemKeys.all, 'events', query] as const,
  keys: () => [...systemKeys.all, 'keys'] as const,
  attendance: () => [...systemKeys.all, 'attendance'] as const,
  evalin: () => [...systemKeys.all, 'evalin'] as const,
  risk: () => [...systemKeys.all, 'risk'] as const,
};

/** H1: 200 healthy, 207 degraded, 503 unhealthy with the report in `error.details` — all three are a report. */
export async function readHealth(call: () => Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<HealthReport> {
  let result: Awaited<ReturnType<typeof call>>;
  try {
    result = await call();
  } catch {
    throw networkError();
  }
  if (result.response.ok) return (result.data as { data: HealthReport }).data;
  const details = (result.error as { error?: { details?: unknown } } | undefined)?.error?.details as HealthReport | undefined;
  if (result.response.status === 503 && details && Array.isArray(details.services)) return details;
  throw errorFromResponse(result.response, result.error);
}

export function useHealth() {
  const api = useApi();
  return useQuery({ queryKey: systemKeys.health(), queryFn: () => readHealth(() => api.GET('/health') as never), refetchInterval: 10_000 });
}

export function useSecurityEvents(query: { type?: string; user_id?: string; from?: string; to?: string; page: number }) {
  const api = useApi();
  return useQuery({
    queryKey: systemKeys.events(query),
    queryFn: async () => {
      const clean = Object.fromEntries(Object.entries({ ...query, page_size: 20, sort: '-occurred_at' }).filter(([, v]) => v !== undefined && v !== ''));
      const result = await api.GET('/api/v1/users/security-events', { params: { query: clean as never } });
      const items = await unwrap<SecurityEvent[]>(result as never);
      const p = (result.data as { meta?: { pagination?: { total: number; total_pages: number } } } | undefined)?.meta?.pagination;
      return { items, total: p?.total ?? items.length, totalPages: Math.max(1, p?.total_pages ?? 1) };
    },
    placeholderData: keepPreviousData,
  });
}

export function useSigningKeys() {
  const api = useApi();
  return useQuery({ queryKey: systemKeys.keys(), queryFn: () => unwrap<SigningKey[]>(api.GET('/api/v1/auth/keys') as never) });
}

export function useRotateKey() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap<{ active_kid: string; retiring_kid: string | null; retire_at: string | null }>(api.POST('/api/v1/auth/keys/rotate') as never),
    onSuccess: () => qc.invalidateQueries({ queryKey: systemKeys.keys() }),
  });
}

export function useAttendanceSettings() {
  const api = useApi();
  const qc = useQueryClient();
  return {
    read: useQuery({ queryKey: systemKeys.attendance(), queryFn: () => unwrap<AttendanceSettings>(api.GET('/api/v1/attendance/settings') as never) }),
    save: useMutation({
      mutationFn: (patch: Partial<Omit<AttendanceSettings, 'version' | 'updated_at'>>) => unwrap<AttendanceSettings>(api.PATCH('/api/v1/attendance/settings', { body: patch } as never) as never),
      onSuccess: (doc) => qc.setQueryData(systemKeys.attendance(), doc),
    }),
  };
}

export function useEvalinConfig() {
  const api = useApi();
  const qc = useQueryClient();
  return {
    read: useQuery({ queryKey: systemKeys.evalin(), queryFn: () => unwrap<EvalinConfig>(api.GET('/api/v1/evalin/config') as never) }),
    save: useMutation({
      mutationFn: (body: Partial<EvalinSettings> & { version: number }) => unwrap<EvalinConfig>(api.PATCH('/api/v1/evalin/config', { body } as never) as never),
      onSuccess: (doc) => qc.setQueryData(systemKeys.evalin(), doc),
      onError: () => qc.invalidateQueries({ queryKey: systemKeys.evalin() }),
    }),
  };
}

export function useRiskSettings() {
  const api = useApi();
  const qc = useQueryClient();
  return {
    read: useQuery({ queryKey: systemKeys.risk(), queryFn: () => unwrap<RiskSettings>(api.GET('/api/v1/ai/risk/settings') as never) }),
    save: useMutation({
      mutationFn: (body: RiskDocument) => unwrap<RiskSettings>(api.PUT('/api/v1/ai/risk/settings', { body } as never) as never),
      onSuccess: (doc) => qc.setQueryData(systemKeys.risk(), doc),
    }),
  };
}
