/**
 * Listening and graceful shutdown for one service process (`main.ts`, `sicora serve`).
 */
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
  const close = async () => {
    // Readiness answers 503 from here on, so a balancer stops routing while in-flight requests finish.
    if (app.health) app.health.shuttingDown = true;
    await app.close();
  };
  return { app, url: listenUrl(host, actualPort), close };
}

/** The URL a bound address is reached at: IPv6 literals need brackets; a wildcard is reached through loopback. */
export function listenUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** Closes everything once on SIGTERM/SIGINT: readiness turns 503 first, in-flight requests finish. */
export function closeOnSignals(close: () => Promise<void>, log: (msg: string) => void = () => undefined): void {
  let closing = false;
  const handler = (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal} received, shutting down`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    const finish = (code: number) => {
      clearTimeout(force);
      process.exit(code);
    };
    close().then(
      () => finish(0),
      () => finish(1),
    );
  };
  process.once('SIGTERM', () => handler('SIGTERM'));
  process.once('SIGINT', () => handler('SIGINT'));
}
