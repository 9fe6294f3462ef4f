/**
 * Whole-configuration validation (gateway.md R40, §3.2, §3.3): every change is checked against the
 * configuration it would produce, so an invalid change leaves everything untouched.
 */
import { isRole } from '@sicora/platform/roles';
import { BUILTIN_POLICIES, HTTP_METHODS, RESERVED_PREFIXES, type ConfigSnapshot, type RouteRule } from './gateway-config.ts';

export interface ConfigProblem {
  section: 'services' | 'routes' | 'rate_limit_policies';
  index: number;
  name: string;
  field: string;
  code: string;
  message: string;
}

const ROUTE_NAME = /^[a-z0-9-]{2,60}$/;
const POLICY_NAME = /^[a-z0-9-]{2,40}$/;

export function isReservedPattern(pattern: string): boolean {
  return RESERVED_PREFIXES.some((p) => pattern === p || pattern.startsWith(`${p}/`) || (p !== '/health' && pattern.startsWith(p)));
}

function patternProblem(pattern: string): string | undefined {
  if (!pattern.startsWith('/') || pattern.length > 200) return 'debe empezar por / y tener hasta 200 caracteres';
  if (pattern.includes('..') || pattern.includes('//') || /[%?#]/.test(pattern)) return 'no puede contener .., //, %, ? ni #';
  // R1 refuses a request with a `.` segment, so a rule holding one could never match.
  if (pattern.split('/').includes('.')) return 'no puede contener segmentos .';
  return undefined;
}

function overlaps(a: RouteRule, b: RouteRule): boolean {
  if (!a.methods || !b.methods) return !a.methods && !b.methods ? true : false;
  return a.methods.some((m) => b.methods!.includes(m));
}

export function validateConfig(cfg: Omit<ConfigSnapshot, 'version'>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const services = new Set(cfg.services.map((s) => s.name));
  const policies = new Set(cfg.policies.map((p) => p.name));
  cfg.services.forEach((s, index) => {
    const add = (field: string, message: string) => problems.push({ section: 'services', index, name: s.name, field, code: 'invalid', message });
    if (s.attempt_timeout_ms < 100 || s.attempt_timeout_ms > 120_000) add('attempt_timeout_ms', 'Debe estar entre 100 y 120000');
    if (s.deadline_ms < s.attempt_timeout_ms || s.deadline_ms > 300_000) add('deadline_ms', 'Debe ser mayor o igual al tiempo por intento y hasta 300000');
    if (s.max_retries < 0 || s.max_retries > 3) add('max_retries', 'Debe estar entre 0 y 3');
    if (s.base_url_override !== null && !/^https?:\/\/[^\s]+$/.test(s.base_url_override)) add('base_url_override', 'Debe ser una URL http(s)');
    if (s.maintenance_message !== null && s.maintenance_message.length > 200) add('maintenance_message', 'Máximo 200 caracteres');
  });
  cfg.policies.forEach((p, index) => {
    const add = (field: string, message: string) => problems.push({ section: 'rate_limit_policies', index, name: p.name, field, code: 'invalid', message });
    if (!POLICY_NAME.test(p.name)) add('name', 'Solo minúsculas, dígitos y guiones (2 a 40)');
    if (!Number.isInteger(p.limit) || p.limit < 1 || p.limit > 1_000_000) add('limit', 'Debe estar entre 1 y 1000000');
    if (!Number.isInteger(p.window_seconds) || p.window_seconds < 1 || p.window_seconds > 86_400) add('window_seconds', 'Debe estar entre 1 y 86400');
  });
  for (const b of BUILTIN_POLICIES) {
    if (!policies.has(b)) problems.push({ section: 'rate_limit_policies', index: -1, name: b, field: 'name', code: 'POLICY_PROTECTED', message: 'Las políticas integradas no se pueden eliminar' });
  }
  const names = new Set<string>();
  cfg.routes.forEach((r, index) => {
    const add = (field: string, message: string, code = 'invalid') => problems.push({ section: 'routes', index, name: r.name, field, code, message });
    if (!ROUTE_NAME.test(r.name)) add('name', 'Solo minúsculas, dígitos y guiones (2 a 60)');
    if (names.has(r.name)) add('name', 'Nombre repetido', 'ROUTE_NAME_EXISTS');
    names.add(r.name);
    const bad = patternProblem(r.pattern);
    if (bad) add('pattern', `El patrón ${bad}`);
    else if (isReservedPattern(r.pattern)) add('pattern', 'El patrón está bajo una ruta propia del gateway', 'ROUTE_RESERVED_PATH');
    if (r.methods && (r.methods.length === 0 || r.methods.some((m) => !HTTP_METHODS.includes(m)))) add('methods', 'Métodos no válidos');
    if (!services.has(r.service)) add('service', 'El servicio no existe', 'SERVICE_NOT_FOUND');
    if (r.rate_limit_policy !== null && !policies.has(r.rate_limit_policy)) add('rate_limit_policy', 'La política no existe', 'POLICY_NOT_FOUND');
    if (r.roles !== null && (r.access === 'public' || r.roles.length === 0 || r.roles.some((x) => !isRole(x)))) add('roles', 'Roles no válidos para este acceso');
    if (r.body_limit_bytes !== null && (r.body_limit_bytes < 1024 || r.body_limit_bytes > 100 * 1_048_576)) add('body_limit_bytes', 'Debe estar entre 1 KiB y 100 MiB');
    if (r.attempt_timeout_ms !== null && (r.attempt_timeout_ms < 100 || r.attempt_timeout_ms > 120_000)) add('attempt_timeout_ms', 'Debe estar entre 100 y 120000');
    if (r.deadline_ms !== null && (r.deadline_ms < 100 || r.deadline_ms > 300_000)) add('deadline_ms', 'Debe estar entre 100 y 300000');
    if (r.max_retries !== null && (r.max_retries < 0 || r.max_retries > 3)) add('max_retries', 'Debe estar entre 0 y 3');
    if (r.description.length > 300) add('description', 'Máximo 300 caracteres');
    if (r.enabled) {
      const clash = cfg.routes.findIndex((o, j) => j < index && o.enabled && o.pattern === r.pattern && o.match === r.match && overlaps(o, r));
      if (clash !== -1) add('pattern', `Ambigua con la regla ${cfg.routes[clash].name}`, 'ROUTE_CONFLICT');
    }
  });
  return problems;
}
