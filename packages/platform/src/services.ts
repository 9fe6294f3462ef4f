/**
 * The platform's service table (00-conventions §1): names, default ports and schema names. Kept here
 * because config, the CLI and the gateway all resolve `<SERVICE>_URL` / `<SERVICE>_PORT` from it.
 */
export const SERVICE_NAMES = [
  'gateway',
  'users',
  'schedules',
  'attendance',
  'evalin',
  'kb',
  'ai',
  'projecteval',
  'notification',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];
export type UpstreamName = Exclude<ServiceName, 'gateway'>;

export const DEFAULT_PORTS: Record<ServiceName, number> = {
  gateway: 8000,
  users: 8001,
  schedules: 8002,
  attendance: 8003,
  evalin: 8004,
  kb: 8006,
  ai: 8007,
  projecteval: 8008,
  notification: 8009,
};

export const UPSTREAM_NAMES = SERVICE_NAMES.filter((n): n is UpstreamName => n !== 'gateway');

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}

export function envPrefix(service: ServiceName): string {
  return service.toUpperCase();
}
