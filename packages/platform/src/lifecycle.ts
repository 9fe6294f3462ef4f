/**
 * Listening and graceful shutdown for one service process (`sicora serve`, `sicora worker`, `sicora start`).
 */
import closeWithGrace from 'close-with-grace';
import type { App } from './server.ts';

export interface Listening {
  app: App;
  url: string;
  close(): Promise<void>;
}

export async function listen(app: App, host: string, port: number): Promise<Listening> {
  await app.listen({ host, port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return { app, url: listenUrl(host, actualPort), close: () => closeGracefully(app) };
}

/** How a process closes a service: readiness 503 at once, the service's own drain phases, then the close. */
export async function closeGracefully(app: App): Promise<void> {
  // Readiness answers 503 from here on, so a balancer stops routing while in-flight requests finish.
  if (app.health) app.health.shuttingDown = true;
  await app.drain?.();
  await app.close();
}

/** The URL a bound address is reached at: IPv6 literals need brackets; a wildcard is reached through loopback. */
export function listenUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * Closes everything once on a termination signal (or an uncaught error) through close-with-grace:
 * readiness turns 503 first, in-flight requests finish, the process exits 0 (1 after an error, a failed
 * close, a second signal or the 15 s deadline).
 */
export function closeOnSignals(close: () => Promise<void>, log: (msg: string) => void = () => undefined, opts: { delayMs?: number } = {}): void {
  closeWithGrace(
    // beforeExit is left alone: a CLI command that simply finishes must not be turned into a shutdown.
    { delay: opts.delayMs ?? 15_000, logger: { error: (msg: unknown) => log(String(msg)) }, skip: ['beforeExit'] },
    async ({ signal, err }) => {
      log(err ? `${err.message}: shutting down` : `${signal ?? 'close'} received, shutting down`);
      await close();
    },
  );
}
