/**
 * First-start bootstrap (users.md R22, R23, §11; 01-architecture §1 step 3): the signing key, the service
 * clients and the admin. Idempotent, under an advisory lock, so replicas starting together do it once.
 */
import type { Database } from '@sicora/platform/db';
import { syncClients } from './application/clients.service.ts';
import { parseServiceClients, type UsersConfig } from './config.ts';
import { searchTextOf } from './domain/identity.rules.ts';
import { generatePassword } from './domain/password.policy.ts';
import { truncSeconds } from './domain/time.ts';
import { createKeyStore } from './infrastructure/keys.store.ts';
import { createPasswordHasher } from './infrastructure/password.hasher.ts';
import { createRepos } from './infrastructure/repos.ts';
import { embeddedClientSecrets } from './infrastructure/service-clients.file.ts';

export interface BootstrapResult {
  /** Only when the admin was created now with a generated password: printed once by the CLI, never logged. */
  createdAdmin?: { email: string; password: string };
  serviceSecrets: Record<string, string>;
}

export const ADMIN_DOCUMENT = '1000000001';

export async function bootstrapUsers(config: UsersConfig, database: Database, opts: { now?: () => Date } = {}): Promise<BootstrapResult> {
  const now = opts.now ?? (() => new Date());
  const s = config.settings;
  return database.withAdvisoryLock('sicora:users:bootstrap', async (db) => {
    const keys = createKeyStore({ database, dataDir: config.dataDir, privateKey: s.JWT_PRIVATE_KEY, publicKeys: s.JWT_PUBLIC_KEYS, now });
    await keys.ensure(db);
    const repos = createRepos(db);
    const serviceSecrets = parseServiceClients(s.SERVICE_CLIENTS) ?? embeddedClientSecrets(config.dataDir);
    await syncClients(repos, serviceSecrets);

    if ((await repos.users.count()) > 0) return { serviceSecrets };
    const email = s.SICORA_ADMIN_EMAIL.trim().toLowerCase();
    const person = { firstName: 'Administrador', lastName: 'SICORA', email, documentNumber: ADMIN_DOCUMENT };
    const password = s.SICORA_ADMIN_PASSWORD ?? generatePassword(16, person);
    const hasher = await createPasswordHasher({ memoryKib: s.USERS_ARGON2_MEMORY_KIB, iterations: s.USERS_ARGON2_ITERATIONS });
    const at = now();
    await repos.users.insertIfAbsent([{
      firstName: person.firstName,
      lastName: person.lastName,
      email,
      documentType: 'CC',
      documentNumber: ADMIN_DOCUMENT,
      role: 'admin',
      passwordHash: await hasher.hash(password),
      mustChangePassword: true,
      isActive: true,
      tokensValidAfter: truncSeconds(at),
      searchText: searchTextOf(person),
      createdAt: at,
      updatedAt: at,
    }]);
    return s.SICORA_ADMIN_PASSWORD ? { serviceSecrets } : { serviceSecrets, createdAdmin: { email, password } };
  });
}
