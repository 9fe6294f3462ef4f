/**
 * Request-log rows (gateway.md R47): buffered and inserted in batches (every 1 s or 500 rows), at most
 * 10 000 held while the database is away (the oldest dropped and counted); never failing a request.
 */
import { getTableColumns, sql } from 'drizzle-orm';
import type { Database } from '@sicora/platform/db';
import { requestLogs } from './db/schema.ts';

export type RequestLogRow = typeof requestLogs.$inferInsert;

const BATCH = 500;
export const BUFFER_MAX = 10_000;

/**
 * A batch travels as one jsonb parameter expanded by jsonb_to_recordset, not as 500 rows × 21 bind
 * parameters: building those parameters took a tenth of the gateway's CPU under load, and parsing them
 * as much again inside the embedded PGlite. Columns and types come from the table definition (all but
 * the generated id), so the statement follows the schema.
 */
const COLUMNS = Object.entries(getTableColumns(requestLogs)).filter(([, column]) => column.name !== 'id');
const COLUMN_LIST = sql.raw(COLUMNS.map(([, column]) => `"${column.name}"`).join(', '));
const RECORD_TYPE = sql.raw(COLUMNS.map(([, column]) => `"${column.name}" ${column.getSQLType()}`).join(', '));

function batchJson(rows: readonly RequestLogRow[]): string {
  return JSON.stringify(
    rows.map((row) => {
      const record: Record<string, unknown> = {};
      for (const [key, column] of COLUMNS) record[column.name] = row[key as keyof RequestLogRow] ?? null;
      return record;
    }),
  );
}

export function createRequestLogWriter(deps: { database: Database; onDropped?: (n: number) => void; onError?: (err: unknown) => void; flushMs?: number }) {
  let buffer: RequestLogRow[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;

  async function writeAll(): Promise<void> {
    while (buffer.length > 0) {
      const batch = buffer.slice(0, BATCH);
      await deps.database.db.execute(
        sql`insert into ${requestLogs} (${COLUMN_LIST}) select ${COLUMN_LIST} from jsonb_to_recordset(${batchJson(batch)}::jsonb) as r(${RECORD_TYPE})`,
      );
      buffer = buffer.slice(batch.length);
    }
  }

  function flush(): Promise<void> {
    flushing ??= writeAll()
      .catch((err) => deps.onError?.(err))
      .finally(() => (flushing = undefined));
    return flushing;
  }

  return {
    add(row: RequestLogRow) {
      buffer.push(row);
      if (buffer.length > BUFFER_MAX) {
        const over = buffer.length - BUFFER_MAX;
        buffer.splice(0, over);
        deps.onDropped?.(over);
      }
      if (buffer.length >= BATCH) void flush();
    },
    flush,
    pending: () => buffer.length,
    start() {
      timer ??= setInterval(() => void flush(), deps.flushMs ?? 1_000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await flush();
    },
  };
}

export type RequestLogWriter = ReturnType<typeof createRequestLogWriter>;
