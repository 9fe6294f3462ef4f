/**
 * A gateway database that a test can take away and bring back (R59). With DATABASE_URL the gateway's
 * pool connects through a loopback TCP proxy that is closed (sockets dropped, connections refused) and
 * reopened on the same port. On PGlite, which has no port, every call into the client is refused while
 * "down", which is what the gateway's pool sees of a closed port.
 */
import type { PGlite } from '@electric-sql/pglite';
import { fromPglite, openPool, type Database } from '@sicora/platform/db';
import type { TestDatabase } from '@sicora/platform/testing/db';
import { startTcpProxy } from './tcp-proxy.ts';

export interface OutageDatabase {
  /** The database to hand to buildApp (overrides.database). */
  database: Database;
  down(): Promise<void>;
  up(): Promise<void>;
  /** Closes the proxy side only; the test database is destroyed by its owner. */
  close(): Promise<void>;
}

function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED (simulated database outage)'), { code: 'ECONNREFUSED' });
}

export async function createOutageDatabase(db: TestDatabase): Promise<OutageDatabase> {
  if (db.kind === 'postgres') {
    const url = (db.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    const proxy = await startTcpProxy(url);
    const database = openPool(proxy.url, { max: 5 });
    let isDown = false;
    return {
      database,
      down: async () => {
        if (isDown) return;
        isDown = true;
        await proxy.stop();
      },
      up: async () => {
        if (!isDown) return;
        isDown = false;
        await proxy.start();
      },
      close: async () => {
        await database.close();
        if (!isDown) await proxy.stop();
      },
    };
  }
  const client = db.pglite!;
  let isDown = false;
  const intercepted = new Set(['query', 'exec', 'transaction', 'sql']);
  const proxied = new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const fn = (value as (...args: unknown[]) => unknown).bind(target);
      if (!intercepted.has(String(prop))) return fn;
      return (...args: unknown[]) => (isDown ? Promise.reject(refused()) : fn(...args));
    },
  }) as PGlite;
  return {
    // `shared`: closing the gateway must not close the test's PGlite.
    database: fromPglite(proxied, { shared: true }),
    down: async () => {
      isDown = true;
    },
    up: async () => {
      isDown = false;
    },
    close: async () => undefined,
  };
}
