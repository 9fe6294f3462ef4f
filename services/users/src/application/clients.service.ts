/**
 * Service clients (R22): start-up upsert of the accepted clients, and the client-credentials grant of A7.
 */
import { randomBytes } from 'node:crypto';
import { userErrors } from '../domain/users.errors.ts';
import { sameSecret } from '../infrastructure/password.hasher.ts';
import { sha256Hex } from '../infrastructure/secrets.ts';
import type { Repos, RequestContext, UsersDeps } from './ports.ts';
import type { TokenIssuer } from './tokens.service.ts';

/** The relay's own identity: a row kept inactive so A7 never accepts it. */
export const SELF_CLIENT = 'users';

/** Upserts the accepted clients; clients no longer listed become inactive. */
export async function syncClients(repos: Pick<Repos, 'clients'>, secrets: Record<string, string>): Promise<void> {
  for (const [name, secret] of Object.entries(secrets)) await repos.clients.upsertActive(name, sha256Hex(secret));
  await repos.clients.ensureInactive(SELF_CLIENT, sha256Hex(randomBytes(32).toString('hex')));
  await repos.clients.deactivateAllBut([...Object.keys(secrets), SELF_CLIENT]);
}

export function createClientsService(deps: UsersDeps, tokens: TokenIssuer) {
  const { repos, now } = deps;
  return {
    async token(clientId: string, secret: string, ctx: RequestContext) {
      const at = now();
      const client = await repos.clients.find(clientId);
      const valid = sameSecret(sha256Hex(secret), client?.secretHash ?? sha256Hex(''));
      if (!client || !client.isActive || !valid) {
        await repos.events.record({ ...ctx, actorId: null, at }, 'SERVICE_CLIENT_REJECTED', null, {
          client_id: clientId.slice(0, 50), reason: !client ? 'unknown_client' : !client.isActive ? 'inactive_client' : 'wrong_secret',
        });
        throw userErrors.invalidClientCredentials();
      }
      await repos.clients.touch(client.id, at);
      return tokens.serviceToken(client, at);
    },
    /** The relay's token (R22): signed directly, `sub` = the inactive `users` row. */
    async selfToken() {
      const row = await repos.clients.find(SELF_CLIENT);
      return (await tokens.serviceToken({ id: row!.id, name: SELF_CLIENT }, now())).access_token;
    },
  };
}
