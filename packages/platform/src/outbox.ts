/**
 * The platform outbox (00-conventions §9): a producer stores its request to another service in its own
 * write transaction, and a relay delivers it with the service token and the same idempotency key until the
 * callee accepts it (2xx), refuses it for good (other 4xx) or the attempts run out.
 */
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import type { Database, Db } from './db.ts';
import { AppError } from './errors.ts';
import type { HttpMethod, ServiceClient, TokenProvider } from './http-client.ts';
import type { OutboxTable } from './tables.ts';

export interface OutboxEntry {
  target: string;
  path: string;
  method?: HttpMethod;
  body: unknown;
  idempotencyKey: string;
}

const row = (entry: OutboxEntry) => ({
  target: entry.target,
  path: entry.path,
  method: entry.method ?? 'POST',
  body: entry.body,
  idempotencyKey: entry.idempotencyKey,
});

/** Inserts the entry; a duplicate idempotency key is ignored. Pass the producer's transaction as `db`. */
export async function enqueue(db: Pick<Db, 'insert'>, table: OutboxTable, entry: OutboxEntry): Promise<void> {
  await db.insert(table).values(row(entry)).onConflictDoNothing({ target: table.idempotencyKey });
}

/** Many entries in multi-row inserts of 1 000 (5 parameters each: far below the 65 535 per statement). */
export async function enqueueMany(db: Pick<Db, 'insert'>, table: OutboxTable, entries: readonly OutboxEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 1000) {
    await db.insert(table).values(entries.slice(i, i + 1000).map(row)).onConflictDoNothing({ target: table.idempotencyKey });
  }
}

export interface OutboxLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OutboxRelayOptions {
  database: Database;
  table: OutboxTable;
  clientFor: (target: string) => ServiceClient;
  /** When given, the relay holds the token itself; otherwise the client's own provider ('service'). */
  tokenProvider?: TokenProvider;
  intervalMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  /** First retry delay; doubles per attempt up to 10 minutes. */
  backoffBaseMs?: number;
  /** How long a claimed entry stays invisible to other relays while it is being delivered. */
  leaseMs?: number;
  now?: () => Date;
  logger?: OutboxLogger;
}

export interface RunResult {
  delivered: number;
  retried: number;
  failed: number;
}

type Row = OutboxTable['$inferSelect'];
type Outcome = { kind: 'delivered' | 'retry' | 'failed'; status: number | null; error: string | null };

const MAX_BACKOFF_MS = 10 * 60_000;

export interface OutboxRelay {
  /** One pass over the due entries (tests drive the relay with this instead of waiting for the timer). */
  runOnce(): Promise<RunResult>;
  start(): void;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

export function createOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const { database, table, clientFor, tokenProvider } = opts;
  const now = opts.now ?? (() => new Date());
  const intervalMs = opts.intervalMs ?? 1000;
  const batchSize = opts.batchSize ?? 50;
  const maxAttempts = opts.maxAttempts ?? 20;
  const backoffBaseMs = opts.backoffBaseMs ?? 1000;
  const leaseMs = opts.leaseMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> | undefined;
  let running = false;

  /**
   * One short statement claims the due rows: it pushes next_attempt_at forward as a lease, so no
   * transaction stays open during the HTTP calls and other replicas skip both locked and leased rows.
   */
  async function claim(at: Date): Promise<Row[]> {
    const db = database.db;
    const due = db
      .select({ id: table.id })
      .from(table)
      // PostgreSQL keeps microseconds and a Date milliseconds: a row written by the database's now() within
      // this millisecond is due too (it was, when the pass started).
      .where(and(eq(table.status, 'pending'), lte(table.nextAttemptAt, new Date(at.getTime() + 1))))
      .orderBy(asc(table.createdAt), asc(table.id))
      .limit(batchSize)
      .for('update', { skipLocked: true });
    const rows = await db.update(table).set({ nextAttemptAt: new Date(at.getTime() + leaseMs) }).where(inArray(table.id, due)).returning();
    return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  async function send(row: Row, fresh: boolean): Promise<number> {
    if (tokenProvider && fresh) tokenProvider.invalidate();
    const token = tokenProvider ? await tokenProvider.getToken() : 'service';
    const res = await clientFor(row.target).request({
      method: row.method as HttpMethod,
      path: row.path,
      body: row.body,
      token,
      headers: { 'idempotency-key': row.idempotencyKey },
    });
    return res.status;
  }

  async function deliver(row: Row): Promise<Outcome> {
    try {
      let status = await send(row, false);
      // The client renews a 'service' token itself; a token held here is renewed once the same way.
      if (status === 401 && tokenProvider) status = await send(row, true);
      if (status >= 200 && status < 300) return { kind: 'delivered', status, error: null };
      if (status === 401 || status === 429) return { kind: 'retry', status, error: `status_${status}` };
      return { kind: 'failed', status, error: `status_${status}` };
    } catch (err) {
      if (err instanceof AppError) {
        const details = (err.details ?? {}) as { reason?: string; status?: number };
        return { kind: 'retry', status: details.status ?? null, error: `${err.code}:${details.reason ?? ''}` };
      }
      opts.logger?.error({ err, outbox_id: row.id, target: row.target }, 'outbox delivery error');
      return { kind: 'retry', status: null, error: 'internal_error' };
    }
  }

  function backoff(attempts: number): number {
    const delay = Math.min(MAX_BACKOFF_MS, backoffBaseMs * 2 ** Math.max(0, attempts - 1));
    return delay / 2 + Math.random() * (delay / 2);
  }

  async function settle(row: Row, outcome: Outcome): Promise<keyof RunResult> {
    const at = now();
    const attempts = row.attempts + 1;
    const exhausted = outcome.kind === 'retry' && attempts >= maxAttempts;
    const kind = exhausted ? 'failed' : outcome.kind;
    await database.db
      .update(table)
      .set({
        attempts,
        lastStatus: outcome.status,
        lastError: outcome.error,
        ...(kind === 'delivered' ? { status: 'delivered' as const, deliveredAt: at } : {}),
        ...(kind === 'failed' ? { status: 'failed' as const } : {}),
        ...(kind === 'retry' ? { nextAttemptAt: new Date(at.getTime() + backoff(attempts)) } : {}),
      })
      .where(eq(table.id, row.id));
    if (kind === 'failed') {
      // Ids, target and path only: bodies carry personal data.
      opts.logger?.warn(
        { outbox_id: row.id, target: row.target, method: row.method, path: row.path, attempts, last_status: outcome.status, last_error: outcome.error },
        exhausted ? 'outbox entry failed after its last attempt' : 'outbox entry refused by the target',
      );
    }
    return kind === 'delivered' ? 'delivered' : kind === 'failed' ? 'failed' : 'retried';
  }

  async function runOnce(): Promise<RunResult> {
    const result: RunResult = { delivered: 0, retried: 0, failed: 0 };
    for (const row of await claim(now())) {
      result[await settle(row, await deliver(row))] += 1;
    }
    return result;
  }

  function schedule() {
    timer = setTimeout(() => {
      current = runOnce()
        .catch((err) => opts.logger?.error({ err }, 'outbox relay run failed'))
        .finally(() => {
          current = undefined;
          if (running) schedule();
        });
    }, intervalMs);
    timer.unref();
  }

  return {
    runOnce,
    start() {
      if (running) return;
      running = true;
      schedule();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
