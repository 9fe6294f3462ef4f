/**
 * Service clients (R22): start-up upsert from SERVICE_CLIENTS or the embedded file, and the
 * client-credentials grant of A7.
 */
import { existsSync, readFileSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { eq, notInArray } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { UPSTREAM_NAMES } from '@sicora/platform/services';
import { userErrors } from '../domain/users.errors.ts';
import { findClient, touchClient } from '../infrastructure/auth-state.repo.ts';
import { serviceClients } from '../infrastructure/db/schema.ts';
import { recordEvent } from '../infrastructure/events.repo.ts';
import { sameSecret } from '../infrastructure/password.hasher.ts';
import { sha256Hex } from '../infrastructure/secrets.ts';
import type { RequestContext, UsersDeps } from './ports.ts';
import type { TokenIssuer } from './tokens.service.ts';

/** The relay's own identity: a row kept inactive so A7 never accepts it. */
export const SELF_CLIENT = 'users';

/** Embedded default: one client per calling service, generated once into `<dataDir>/service-clients.json`. */
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

/** Upserts the accepted clients; clients no longer listed become inactive. */
export async function syncClients(db: Db, secrets: Record<string, string>): Promise<void> {
  for (const [name, secret] of Object.entries(secrets)) {
    const secretHash = sha256Hex(secret);
    await db.insert(serviceClients).values({ name, secretHash, isActive: true })
      .onConflictDoUpdate({ target: serviceClients.name, set: { secretHash, isActive: true } });
  }
  await db.insert(serviceClients).values({ name: SELF_CLIENT, secretHash: sha256Hex(randomBytes(32).toString('hex')), isActive: false })
    .onConflictDoUpdate({ target: serviceClients.name, set: { isActive: false } });
  const listed = [...Object.keys(secrets), SELF_CLIENT];
  await db.update(serviceClients).set({ isActive: false }).where(notInArray(serviceClients.name, listed));
}

export function createClientsService(deps: UsersDeps, tokens: TokenIssuer) {
  const { database, now } = deps;
  return {
    async token(clientId: string, secret: string, ctx: RequestContext) {
      const at = now();
      const client = await findClient(database.db, clientId);
      const valid = sameSecret(sha256Hex(secret), client?.secretHash ?? sha256Hex(''));
      if (!client || !client.isActive || !valid) {
        await recordEvent(database.db, { ...ctx, actorId: null, at }, 'SERVICE_CLIENT_REJECTED', null, {
          client_id: clientId.slice(0, 50), reason: !client ? 'unknown_client' : !client.isActive ? 'inactive_client' : 'wrong_secret',
        });
        throw userErrors.invalidClientCredentials();
      }
      await touchClient(database.db, client.id, at);
      return tokens.serviceToken(client, at);
    },
    /** The relay's token (R22): signed directly, `sub` = the inactive `users` row. */
    async selfToken() {
      const [row] = await database.db.select().from(serviceClients).where(eq(serviceClients.name, SELF_CLIENT));
      return (await tokens.serviceToken({ id: row.id, name: SELF_CLIENT }, now())).access_token;
    },
  };
}
