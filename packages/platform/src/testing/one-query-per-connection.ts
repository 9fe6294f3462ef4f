/**
 * A transaction is one connection, and a connection runs one query at a time: node-postgres 8 queues a
 * second query sent while the first runs (with a deprecation warning, once per process), node-postgres 9
 * refuses it. Code that sends two at once inside a transaction (`Promise.all` over `tx` queries) works
 * today by accident and hides its order. On the PostgreSQL run every test file gets this guard: such a
 * query fails at once, naming both statements, so the test that reaches it fails instead of a warning
 * nobody reads. (Pools are not concerned: `pool.query` takes an idle connection each time.)
 */
import pg from 'pg';

const GUARDED = Symbol.for('sicora.oneQueryPerConnection');

export function guardOneQueryPerConnection(): void {
  const proto = pg.Client.prototype as unknown as Record<symbol, unknown> & { query: (...args: unknown[]) => unknown };
  if (proto[GUARDED]) return;
  proto[GUARDED] = true;
  const query = proto.query;
  const textOf = (q: unknown) => String(typeof q === 'string' ? q : ((q as { text?: string } | null)?.text ?? '')).slice(0, 160);
  proto.query = function guarded(this: { _activeQuery?: unknown; _queryQueue?: unknown[]; __lastText?: string }, ...args: unknown[]) {
    // node-postgres 8's own fields: the query on the wire and those waiting behind it.
    const busy = Boolean(this._activeQuery) || (this._queryQueue?.length ?? 0) > 0;
    if (busy) throw new Error(`two queries at once on one connection (a transaction?): "${textOf(args[0])}" sent while "${this.__lastText}" runs`);
    this.__lastText = textOf(args[0]);
    return query.apply(this, args);
  };
}
