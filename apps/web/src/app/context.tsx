import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { SicoraClient } from '@sicora/client';
import type { Claims, Session } from '../lib/session.ts';

export interface AppServices {
  session: Session;
  api: SicoraClient;
  /** Origin of the gateway (the app's own origin when served by it). */
  baseUrl: string;
  /** Authenticated fetch for what the typed client cannot read (the inbox's event stream). */
  authedFetch: (request: Request) => Promise<Response>;
}

const Ctx = createContext<AppServices | null>(null);

export function ServicesProvider({ value, children }: { value: AppServices; children: ReactNode }) {
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useServices(): AppServices {
  const value = useContext(Ctx);
  if (!value) throw new Error('ServicesProvider missing');
  return value;
}

export const useApi = () => useServices().api;

/** The signed-in user's claims (null when signed out), re-rendered on every session change. */
export function useSessionState(): { claims: Claims | null; notice: string | null } {
  const { session } = useServices();
  return useSyncExternalStore(session.subscribe, session.getState);
}
