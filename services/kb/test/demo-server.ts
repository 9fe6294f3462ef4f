/**
 * kb with its demo data, served alone for another service's tests (ai's US-AI-01 against the real kb):
 * a test database of its own (PGlite, or PostgreSQL with DATABASE_URL, as the harness), the §11 demo seed,
 * tokens checked against the JWKS the calling test passes in `KB_DEMO_JWKS` (its own test keys), listening
 * on 127.0.0.1 at `KB_DEMO_PORT` (default: a port the system picks). Prints one line `KB_DEMO_URL=<url>` when ready; stops and drops
 * its database on SIGTERM, SIGINT or when its stdin closes (the parent test ended).
 *
 *   node --import tsx services/kb/test/demo-server.ts
 *
 * Another service's test starts it as a process and talks to it over HTTP only (no import of kb's code).
 */
import { createLocalVerifier } from '@sicora/platform/auth';
import { createTestDatabase } from '@sicora/platform/testing/db';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { seedKbDemo } from '../src/seed/demo.seed.ts';

const jwks = process.env.KB_DEMO_JWKS;
if (!jwks) throw new Error('KB_DEMO_JWKS (the calling test\'s public JWKS) is required');
const db = await createTestDatabase();
const config = loadConfig({ LOG_LEVEL: process.env.TEST_LOG ?? 'silent', KB_OUTBOX_RELAY: 'false' });
const app = await buildApp(config, { database: db, verifier: createLocalVerifier(JSON.parse(jwks), config.jwt), outboxRelay: false, jobs: false });
await seedKbDemo(db);
await app.listen({ host: '127.0.0.1', port: Number(process.env.KB_DEMO_PORT ?? 0) });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('kb demo server: no TCP address');
process.stdout.write(`KB_DEMO_URL=http://127.0.0.1:${address.port}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await app.close().catch(() => undefined);
  await db.destroy().catch(() => undefined);
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.on('close', () => void stop());
process.stdin.resume();
