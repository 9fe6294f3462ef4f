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
  return { app, url: `http://${host}:${actualPort}`, close: () => app.close() };
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
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => handler('SIGTERM'));
  process.once('SIGINT', () => handler('SIGINT'));
}
