/**
 * Vitest setup file, run before each test file. Test files share their worker process (`isolate: false`
 * in vitest.config.ts), so what a fresh process used to give each file is given back here.
 *
 * undici's global dispatcher (behind `fetch` and undici's `request`) is one per process, and its pooled
 * keep-alive sockets outlive the file that opened them. Worse, whichever undici loads first creates it:
 * after a file that only used Node's built-in fetch, undici 7's `request` ran on Node's bundled agent,
 * which left a socket opened for an aborted request connected and unused, and a server being closed
 * waits for such a connection until its headers timeout (60 s). Each file gets a new agent of the
 * project's undici, as in a process of its own where the app's `import 'undici'` comes first.
 */
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll } from 'vitest';
import { releaseTestDatabases } from './db.ts';
import { guardOneQueryPerConnection } from './one-query-per-connection.ts';

const previous = getGlobalDispatcher();
setGlobalDispatcher(new Agent());
await previous.destroy().catch(() => undefined);

if (process.env.DATABASE_URL) guardOneQueryPerConnection();

// Hooks run in reverse order of registration: this one after the file's own afterAll hooks.
afterAll(() => releaseTestDatabases());
