/**
 * The upstream services the gateway fronts: Spanish labels, criticality (R37) and the default timing of
 * R29. Pure data; the full gateway issue moves it into the `services` table (gateway.md §3.1).
 */
import type { UpstreamName } from '@sicora/platform/services';

export interface ServiceTiming {
  attemptTimeoutMs: number;
  deadlineMs: number;
  maxRetries: number;
}

export interface UpstreamService {
  name: UpstreamName;
  displayName: string;
  critical: boolean;
  timing: ServiceTiming;
}

const standard: ServiceTiming = { attemptTimeoutMs: 5_000, deadlineMs: 10_000, maxRetries: 2 };

export const UPSTREAM_SERVICES: readonly UpstreamService[] = [
  { name: 'users', displayName: 'Usuarios', critical: true, timing: { attemptTimeoutMs: 5_000, deadlineMs: 8_000, maxRetries: 2 } },
  { name: 'schedules', displayName: 'Horarios', critical: true, timing: standard },
  { name: 'attendance', displayName: 'Asistencia', critical: true, timing: standard },
  { name: 'evalin', displayName: 'Evaluación de instructores', critical: false, timing: standard },
  { name: 'kb', displayName: 'Base de conocimiento', critical: false, timing: { attemptTimeoutMs: 15_000, deadlineMs: 30_000, maxRetries: 1 } },
  { name: 'ai', displayName: 'Asistente IA', critical: false, timing: { attemptTimeoutMs: 120_000, deadlineMs: 120_000, maxRetries: 0 } },
  { name: 'projecteval', displayName: 'Evaluación de proyectos', critical: false, timing: standard },
  { name: 'notification', displayName: 'Notificaciones', critical: false, timing: standard },
];

/** Environment overrides (GATEWAY_ATTEMPT_TIMEOUT_MS…) replace a service's defaults, all services alike. */
export function withTimingOverrides(service: UpstreamService, overrides: Partial<ServiceTiming>): UpstreamService {
  const timing = { ...service.timing };
  if (overrides.attemptTimeoutMs !== undefined) timing.attemptTimeoutMs = overrides.attemptTimeoutMs;
  if (overrides.deadlineMs !== undefined) timing.deadlineMs = overrides.deadlineMs;
  if (overrides.maxRetries !== undefined) timing.maxRetries = overrides.maxRetries;
  // The deadline bounds every attempt, so an attempt may never outlive it.
  timing.attemptTimeoutMs = Math.min(timing.attemptTimeoutMs, timing.deadlineMs);
  return { ...service, timing };
}
