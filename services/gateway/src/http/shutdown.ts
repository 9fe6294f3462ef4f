/**
 * R34: on SIGTERM readiness turns 503 at once; after 2 s new requests get 503 `shutting_down`; in-flight
 * requests get up to 10 s; then the platform closes the app (which flushes the request-log buffer) and the
 * process exits (`closeGracefully` in packages/platform/src/lifecycle.ts calls `app.drain`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { errors } from '@sicora/platform/errors';
import type { App } from '@sicora/platform/server';

export interface ShutdownTiming {
  refuseAfterMs: number;
  drainMs: number;
}

const state = new WeakMap<App, { inflight: number; refusing: boolean; now: () => Date }>();

export function registerShutdownGate(app: App, now: () => Date): void {
  const s = { inflight: 0, refusing: false, now };
  state.set(app, s);
  app.addHook('onRequest', async () => {
    if (s.refusing) throw errors.unavailable({ reason: 'shutting_down' }, 'El gateway se está deteniendo', { 'Retry-After': '5' });
    s.inflight++;
  });
  const done = () => {
    s.inflight = Math.max(0, s.inflight - 1);
  };
  app.addHook('onResponse', async () => done());
  app.addHook('onRequestAbort', async (_request) => done());
}

/** The phases before the close: what `sicora serve gateway` and `sicora start` run on SIGTERM (via `app.drain`). */
export async function drainGateway(app: App, timing: ShutdownTiming = { refuseAfterMs: 2_000, drainMs: 10_000 }): Promise<void> {
  const s = state.get(app)!;
  app.health.shuttingDown = true;
  await sleep(timing.refuseAfterMs);
  s.refusing = true;
  const until = s.now().getTime() + timing.drainMs;
  while (s.inflight > 0 && s.now().getTime() < until) await sleep(25);
}
