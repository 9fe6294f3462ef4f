import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app/global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createQueryClient } from './app/app.tsx';
import { authedFetch, createApi, refresher } from './lib/api.ts';
import { createSession } from './lib/session.ts';

const baseUrl = window.location.origin;
const session = createSession({
  storage: window.localStorage,
  refresh: refresher(baseUrl),
  locks: 'locks' in navigator ? (navigator.locks as unknown as Parameters<typeof createSession>[0]['locks']) : undefined,
  channel: 'BroadcastChannel' in window ? new BroadcastChannel('sicora-session') : undefined,
});
const api = createApi(session, baseUrl);
const queryClient = createQueryClient();
// A signed-out session leaves nothing cached for the next person on this phone.
session.subscribe(() => {
  if (!session.getState().claims) queryClient.clear();
});

const root = createRoot(document.getElementById('root')!);
// The access token lives in memory only: after a reload the stored refresh token gets a new one first.
const restore = session.hasRefreshToken() ? session.refresh() : Promise.resolve(null);
void restore.finally(() => {
  root.render(
    <StrictMode>
      <App services={{ session, api, baseUrl, authedFetch: authedFetch(session) }} queryClient={queryClient} />
    </StrictMode>,
  );
});
