/**
 * The platform's service table (00-conventions §1), read from the services themselves: every folder
 * `services/<name>` whose `package.json` has a `sicora` block is a service, with its default port, its
 * place in the start-up order, its label and whether the platform is down without it. Config, the CLI,
 * the gateway and the tests resolve `<SERVICE>_URL` / `<SERVICE>_PORT` from it, so a new service needs no
 * edit outside its folder. Read synchronously once: it is static data beside the code.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ServiceEntry {
  name: string;
  port: number;
  /** Start-up order: users first (it holds the keys), the gateway last. */
  order: number;
  label: string;
  /** The platform's aggregate health is down while this service is (gateway.md R53). */
  critical: boolean;
  /** Line coverage floor of `services/<name>/src` enforced by `npm test`. */
  coverageFloor: number;
  /** The service's folder (`services/<name>`). */
  dir: string;
}

export type ServiceName = string;
export type UpstreamName = string;

export const SERVICES_DIR = fileURLToPath(new URL('../../../services', import.meta.url));

const NAME = /^[a-z][a-z0-9]*$/;

function readCatalogue(dir: string): ServiceEntry[] {
  if (!existsSync(dir)) return [];
  const entries: ServiceEntry[] = [];
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, 'package.json');
    if (!NAME.test(name) || !existsSync(file)) continue;
    const block = (JSON.parse(readFileSync(file, 'utf8')) as { sicora?: Partial<ServiceEntry> }).sicora;
    if (!block) continue;
    if (!Number.isInteger(block.port) || !Number.isInteger(block.order)) {
      throw new Error(`services/${name}/package.json: "sicora" needs an integer "port" and "order"`);
    }
    entries.push({
      name,
      port: block.port!,
      order: block.order!,
      label: block.label ?? name,
      critical: block.critical === true,
      coverageFloor: Math.max(80, block.coverageFloor ?? 80),
      dir: join(dir, name),
    });
  }
  return entries.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

/** Every service in start-up order (users first, the gateway last). */
export const SERVICE_CATALOGUE: readonly ServiceEntry[] = readCatalogue(SERVICES_DIR);

export const SERVICE_NAMES: readonly ServiceName[] = SERVICE_CATALOGUE.map((s) => s.name);

export const DEFAULT_PORTS: Readonly<Record<ServiceName, number>> = Object.fromEntries(SERVICE_CATALOGUE.map((s) => [s.name, s.port]));

/** The services behind the gateway, in start-up order. */
export const UPSTREAM_NAMES: readonly UpstreamName[] = SERVICE_NAMES.filter((n) => n !== 'gateway');

export function serviceEntry(name: string): ServiceEntry | undefined {
  return SERVICE_CATALOGUE.find((s) => s.name === name);
}

export function envPrefix(service: ServiceName): string {
  return service.toUpperCase();
}
