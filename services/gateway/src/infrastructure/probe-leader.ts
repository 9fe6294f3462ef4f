/**
 * R56: active probes are run by one instance at a time, the holder of a session-level PostgreSQL
 * advisory lock kept on a dedicated connection. Every round a follower tries the lock, so when the
 * holder stops (its connection, and with it the lock, goes away) another instance takes over within one
 * probe interval. PGlite is a single process: the lock is trivially held.
 */
import type pg from 'pg';
import { advisoryKey, type Database } from '@sicora/platform/db';

export type ProbeRole = 'leader' | 'follower';

export interface ProbeLeader {
  /** Keeps or tries to take the lock; `leader` also when the database cannot say (probing alone beats nobody probing). */
  acquire(): Promise<ProbeRole>;
  release(): Promise<void>;
}

export function createProbeLeader(deps: { database: Database; name: string; onError?: (err: unknown) => void }): ProbeLeader {
  const pool = deps.database.pool;
  if (deps.database.kind !== 'postgres' || !pool) return { acquire: async () => 'leader', release: async () => undefined };
  const key = advisoryKey(deps.name).toString();
  let client: pg.PoolClient | undefined;
  let held = false;
  let stopped = false;
  // A checked-out client losing its socket emits 'error'; unheard, that would end the process.
  const onLost = (err: Error) => {
    held = false;
    deps.onError?.(err);
  };

  function drop(err?: Error) {
    // Destroying the connection ends its session, which frees a lock it may hold.
    client?.off('error', onLost);
    client?.release(err ?? true);
    client = undefined;
    held = false;
  }

  return {
    async acquire() {
      // After release (shutdown) no connection is taken again: it would keep the pool from closing.
      if (stopped) return 'follower';
      try {
        if (client && held) {
          // The lock lives as long as this session: check the connection is still there.
          await client.query('SELECT 1');
          return 'leader';
        }
        if (client && !held) drop();
        client = await pool.connect();
        client.on('error', onLost);
        const rows = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
        held = rows.rows[0]?.locked === true;
        if (stopped) {
          drop();
          return 'follower';
        }
        if (!held) {
          client.off('error', onLost);
          client.release();
          client = undefined;
        }
        return held ? 'leader' : 'follower';
      } catch (err) {
        deps.onError?.(err);
        drop(err as Error);
        return 'leader';
      }
    },
    async release() {
      stopped = true;
      drop();
    },
  };
}
