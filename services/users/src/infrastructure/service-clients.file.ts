/**
 * The embedded default of R22 when SERVICE_CLIENTS is unset: one client per calling service, generated once
 * into `<dataDir>/service-clients.json` (mode 0600), which the embedded start hands to each service.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { UPSTREAM_NAMES } from '@sicora/platform/services';

export function embeddedClientSecrets(dataDir: string): Record<string, string> {
  const file = join(dataDir, 'service-clients.json');
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  const names = ['gateway', ...UPSTREAM_NAMES.filter((n) => n !== 'users')];
  let changed = false;
  for (const name of names) {
    if (!existing[name]) {
      existing[name] = randomBytes(32).toString('base64url');
      changed = true;
    }
  }
  if (changed || !existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(existing, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return existing;
}
