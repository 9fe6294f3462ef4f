/**
 * The seed of gateway.md §11 (services, the route rules of §4.8 and the 11 policies), compiled into
 * the code so the gateway can also run on it when its database is unreachable at start (R42).
 */
import { createHash } from 'node:crypto';
import { SERVICE_CATALOGUE } from '@sicora/platform/services';
import type { ConfigSnapshot, Policy, RouteRule, ServiceSetting } from './gateway-config.ts';

const MiB = 1_048_576;
const TIMING: Record<string, [number, number, number]> = { users: [5_000, 8_000, 2], kb: [15_000, 30_000, 1], ai: [120_000, 120_000, 0] };
// The services behind the gateway, their ports, labels and criticality come from the service table
// (each service's package.json), so a new service is routed and probed with no edit here.
const UPSTREAMS = SERVICE_CATALOGUE.filter((s) => s.name !== 'gateway');

export const SERVICE_ORDER = UPSTREAMS.map((s) => s.name);

export function seedServices(baseUrls: Record<string, string | undefined> = {}): ServiceSetting[] {
  return UPSTREAMS.map(({ name, label, port, critical }) => {
    const [attempt, deadline, retries] = TIMING[name] ?? [5_000, 10_000, 2];
    return {
      name,
      display_name: label,
      base_url: baseUrls[name] ?? `http://127.0.0.1:${port}`,
      base_url_override: null,
      health_path: '/health/ready',
      docs_path: '/docs/json',
      attempt_timeout_ms: attempt,
      deadline_ms: deadline,
      max_retries: retries,
      critical,
      enabled: true,
      maintenance_message: null,
      circuit_override: null,
    };
  });
}

const policy = (name: string, key_by: Policy['key_by'], limit: number, window_seconds: number, builtin: boolean, description: string): Policy => ({
  name,
  key_by,
  limit,
  window_seconds,
  failure_mode: null,
  enabled: true,
  builtin,
  description,
});

export const SEED_POLICIES: Policy[] = [
  policy('anonymous', 'ip', 300, 60, true, 'Rutas públicas sin política propia'),
  policy('user', 'user', 600, 60, true, 'Rutas autenticadas sin política propia'),
  policy('ip-ceiling', 'ip', 5_000, 60, true, 'Techo por dirección IP para toda solicitud'),
  policy('service', 'user', 6_000, 60, true, 'Llamadas con rol service'),
  policy('auth', 'ip', 100, 60, false, 'Inicio de sesión'),
  policy('auth-refresh', 'ip', 300, 60, false, 'Renovación de sesión'),
  policy('auth-service', 'ip', 240, 60, false, 'Tokens de servicio'),
  policy('auth-recovery', 'ip', 20, 900, false, 'Recuperación de contraseña'),
  policy('auth-reset', 'ip', 20, 900, false, 'Restablecimiento de contraseña'),
  policy('ai', 'user', 60, 60, false, 'Asistente IA (costo del modelo)'),
  policy('uploads', 'user', 20, 300, false, 'Cargas e importaciones'),
];

/** Stable ids for the seed rules, so every instance seeding at once agrees (and tests can name them). */
function seedId(name: string): string {
  const h = createHash('sha256').update(`gateway-route:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type RuleSpec = [name: string, methods: string[] | null, pattern: string, match: 'exact' | 'prefix', service: string, roles: string[] | 'public' | null, policy: string | null, extra?: Partial<RouteRule>];
const ANY = null;
const deadline = (s: number, bodyMiB?: number): Partial<RouteRule> => ({
  deadline_ms: s * 1000,
  attempt_timeout_ms: s * 1000,
  ...(bodyMiB ? { body_limit_bytes: bodyMiB * MiB } : {}),
});

const SPECS: RuleSpec[] = [
  ['auth-login', ['POST'], '/api/v1/auth/login', 'exact', 'users', 'public', 'auth'],
  ['auth-refresh', ['POST'], '/api/v1/auth/refresh', 'exact', 'users', 'public', 'auth-refresh'],
  ['auth-forgot', ['POST'], '/api/v1/auth/forgot-password', 'exact', 'users', 'public', 'auth-recovery'],
  ['auth-reset', ['POST'], '/api/v1/auth/reset-password', 'exact', 'users', 'public', 'auth-reset'],
  ['auth-password-policy', ['GET'], '/api/v1/auth/password-policy', 'exact', 'users', 'public', 'anonymous'],
  ['auth-demo-accounts', ['GET'], '/api/v1/auth/demo-accounts', 'exact', 'users', 'public', 'anonymous'],
  ['auth-service-token', ['POST'], '/api/v1/auth/service-token', 'exact', 'users', 'public', 'auth-service'],
  ['jwks', ['GET'], '/.well-known/jwks.json', 'exact', 'users', 'public', 'anonymous'],
  ['auth-keys', null, '/api/v1/auth/keys', 'prefix', 'users', ['admin'], 'user'],
  ['auth-revocations', ['GET'], '/api/v1/auth/revocations', 'exact', 'users', ['service'], 'service'],
  ['auth', null, '/api/v1/auth', 'prefix', 'users', ANY, 'user'],
  ['users-me', null, '/api/v1/users/me', 'prefix', 'users', ANY, 'user'],
  ['users-security-events', ['GET'], '/api/v1/users/security-events', 'exact', 'users', ['admin'], 'user'],
  ['users-import', ['POST'], '/api/v1/users/import', 'exact', 'users', ['admin', 'coordinador', 'administrativo'], 'uploads', deadline(60)],
  ['users', null, '/api/v1/users', 'prefix', 'users', ['admin', 'coordinador', 'administrativo', 'instructor', 'service'], 'user'],
  ...(['campuses', 'venues', 'programs', 'groups', 'schedules'].map((r) => [r, null, `/api/v1/${r}`, 'prefix', 'schedules', ANY, 'user']) as RuleSpec[]),
  ['attendance', null, '/api/v1/attendance', 'prefix', 'attendance', ANY, 'user'],
  ['evalin', null, '/api/v1/evalin', 'prefix', 'evalin', ANY, 'user'],
  ['kb-pdf', ['POST'], '/api/v1/kb/imports/pdf', 'exact', 'kb', ['admin', 'coordinador', 'instructor'], 'uploads', deadline(120, 51)],
  ['kb-admin', null, '/api/v1/kb/admin', 'prefix', 'kb', ['admin', 'coordinador'], 'user', deadline(120, 21)],
  ['kb', null, '/api/v1/kb', 'prefix', 'kb', ANY, 'user'],
  ['ai', null, '/api/v1/ai', 'prefix', 'ai', ANY, 'ai'],
  ['projecteval', null, '/api/v1/projecteval', 'prefix', 'projecteval', ANY, 'user'],
  ['notifications-dashboard', ['GET'], '/api/v1/notifications/admin/dashboard', 'prefix', 'notification', 'public', 'anonymous'],
  ['notifications-twilio-status', ['POST'], '/api/v1/notifications/providers/twilio/status', 'exact', 'notification', 'public', 'anonymous'],
  ['notifications-admin', null, '/api/v1/notifications/admin', 'prefix', 'notification', ['admin'], 'user'],
  ['notifications-templates', null, '/api/v1/notifications/templates', 'prefix', 'notification', ['admin', 'coordinador'], 'user'],
  ['notifications', null, '/api/v1/notifications', 'prefix', 'notification', ANY, 'user'],
  ['attendance-justifications', ['POST'], '/api/v1/attendance/justifications', 'prefix', 'attendance', ANY, 'user', deadline(60, 16)],
  ['projecteval-submissions', ['POST'], '/api/v1/projecteval/deliverables', 'prefix', 'projecteval', ANY, 'user', deadline(120, 100)],
  ['projecteval-project-uploads', ['POST'], '/api/v1/projecteval/projects', 'prefix', 'projecteval', ANY, 'user', deadline(120, 26)],
  ['projecteval-document-versions', ['POST'], '/api/v1/projecteval/documents', 'prefix', 'projecteval', ANY, 'user', deadline(120, 26)],
  ...(['venues', 'programs', 'groups', 'schedules'].map((r) => [`${r}-import`, ['POST'], `/api/v1/${r}/import`, 'exact', 'schedules', ['admin', 'coordinador'], 'uploads', deadline(60)]) as RuleSpec[]),
  ['attendance-reports', ['GET'], '/api/v1/attendance/reports', 'prefix', 'attendance', ANY, 'user', { ...deadline(60), max_retries: 0 }],
  ['attendance-export', ['GET'], '/api/v1/attendance/records/export', 'exact', 'attendance', ANY, 'user', { ...deadline(60), max_retries: 0 }],
];

/**
 * Rules written after the first seed (§4.8 5a with the web app, 40–41 with attendance). A new installation
 * seeds them with the rest; an existing one gets each once, at its next start, as a new configuration
 * version (config.repo ensureSeed) — unless a rule of that name or on that path is already there, which an
 * operator's hand made and which is kept. Recorded in `seed_runs` as `rule:<name>`, so a rule an operator
 * deletes afterwards stays deleted.
 */
export const LATER_RULES: Readonly<Record<string, string>> = {
  'auth-demo-accounts': 'Regla 5a: cuentas de demostración públicas (users A9)',
  'attendance-reports': 'Reglas 40–41: reportes y exportación de asistencia con plazo de 60 s y sin reintentos',
  'attendance-export': 'Reglas 40–41: reportes y exportación de asistencia con plazo de 60 s y sin reintentos',
};

/** A service with no rule of §4.8 (one added after the seed was written) gets its `/api/v1/<name>` prefix. */
export function defaultRuleSpecs(serviceNames: readonly string[], specs: readonly RuleSpec[] = SPECS): RuleSpec[] {
  const routed = new Set(specs.map((s) => s[4]));
  return serviceNames.filter((n) => !routed.has(n)).map((n) => [n, ANY, `/api/v1/${n}`, 'prefix', n, ANY, 'user']);
}

export const SEED_ROUTES: RouteRule[] = [...SPECS, ...defaultRuleSpecs(SERVICE_ORDER)].map(([name, methods, pattern, match, service, roles, policyName, extra]) => ({
  id: seedId(name),
  name,
  methods,
  pattern,
  match,
  service,
  access: roles === 'public' ? 'public' : 'authenticated',
  roles: roles === 'public' ? null : roles,
  rate_limit_policy: policyName,
  attempt_timeout_ms: null,
  deadline_ms: null,
  max_retries: null,
  body_limit_bytes: null,
  enabled: true,
  description: `Regla sembrada ${name}`,
  ...extra,
}));

export function seedSnapshot(baseUrls: Record<string, string | undefined> = {}): ConfigSnapshot {
  return { version: 1, services: seedServices(baseUrls), routes: SEED_ROUTES.map((r) => ({ ...r })), policies: SEED_POLICIES.map((p) => ({ ...p })) };
}
