/**
 * The live configuration of the gateway (gateway.md §3.1–§3.3, R40): service settings, route rules and
 * rate-limit policies, held by each process as one immutable snapshot that is swapped atomically.
 */
export type AccessKind = 'public' | 'authenticated';
export type KeyBy = 'ip' | 'user';
export type FailureMode = 'open' | 'closed';
export type CircuitOverride = 'forced_open' | 'forced_closed';

export interface ServiceSetting {
  name: string;
  display_name: string;
  base_url: string;
  base_url_override: string | null;
  health_path: string;
  docs_path: string;
  attempt_timeout_ms: number;
  deadline_ms: number;
  max_retries: number;
  critical: boolean;
  enabled: boolean;
  maintenance_message: string | null;
  circuit_override: CircuitOverride | null;
}

export interface RouteRule {
  id: string;
  name: string;
  methods: string[] | null;
  pattern: string;
  match: 'exact' | 'prefix';
  service: string;
  access: AccessKind;
  roles: string[] | null;
  rate_limit_policy: string | null;
  attempt_timeout_ms: number | null;
  deadline_ms: number | null;
  max_retries: number | null;
  body_limit_bytes: number | null;
  enabled: boolean;
  description: string;
}

export interface Policy {
  name: string;
  key_by: KeyBy;
  limit: number;
  window_seconds: number;
  failure_mode: FailureMode | null;
  enabled: boolean;
  builtin: boolean;
  description: string;
}

export interface ConfigSnapshot {
  version: number;
  services: ServiceSetting[];
  routes: RouteRule[];
  policies: Policy[];
}

export const BUILTIN_POLICIES = ['anonymous', 'user', 'ip-ceiling', 'service'];
export const RESERVED_PREFIXES = ['/health', '/metrics', '/docs', '/api/v1/gateway'];
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export function effectiveBaseUrl(s: ServiceSetting): string {
  return s.base_url_override ?? s.base_url;
}

export interface Timing {
  attemptTimeoutMs: number;
  deadlineMs: number;
  maxRetries: number;
}

/** A rule's overrides win over its service's timing; an attempt never outlives the deadline. */
export function timingFor(service: ServiceSetting, rule: RouteRule): Timing {
  const deadlineMs = rule.deadline_ms ?? service.deadline_ms;
  const attempt = rule.attempt_timeout_ms ?? service.attempt_timeout_ms;
  return { attemptTimeoutMs: Math.min(attempt, deadlineMs), deadlineMs, maxRetries: rule.max_retries ?? service.max_retries };
}

/** R20: a rule without a policy uses `anonymous` (public) or `user` (authenticated). */
export function policyNameFor(rule: RouteRule): string {
  return rule.rate_limit_policy ?? (rule.access === 'public' ? 'anonymous' : 'user');
}

/** The environment's blanket timing (`GATEWAY_ATTEMPT_TIMEOUT_MS`, `…_DEADLINE_MS`, `…_MAX_RETRIES`), unset parts left alone. */
export interface TimingOverride {
  attemptTimeoutMs?: number;
  deadlineMs?: number;
  maxRetries?: number;
}

/** An operator's override of every service's timing; per-service values stay in the database untouched. */
export function withTimingOverride(snap: ConfigSnapshot, o: TimingOverride): ConfigSnapshot {
  if (o.attemptTimeoutMs === undefined && o.deadlineMs === undefined && o.maxRetries === undefined) return snap;
  const services = snap.services.map((svc) => {
    const deadline = o.deadlineMs ?? svc.deadline_ms;
    return { ...svc, deadline_ms: deadline, attempt_timeout_ms: Math.min(o.attemptTimeoutMs ?? svc.attempt_timeout_ms, deadline), max_retries: o.maxRetries ?? svc.max_retries };
  });
  return { ...snap, services };
}
